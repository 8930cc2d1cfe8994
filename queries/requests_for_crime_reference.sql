SELECT r.id FROM requests AS r JOIN crimes AS c ON c.id = r.crime_id
WHERE c.reference = ?
UNION
SELECT rc.request_id FROM request_crimes AS rc JOIN crimes AS c ON c.id = rc.crime_id
WHERE c.reference = ?
ORDER BY 1 DESC
LIMIT 1
