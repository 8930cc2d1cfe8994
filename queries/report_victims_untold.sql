SELECT f.request_id, r.kind, c.reference AS crime_reference, f.created_at
FROM follow_ups AS f
JOIN requests AS r ON r.id = f.request_id
JOIN crimes AS c ON c.id = f.crime_id
WHERE f.done_at IS NULL
ORDER BY f.created_at
