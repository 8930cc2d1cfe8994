SELECT r.id, r.sample_id, r.source, r.seniors_only, r.added_at, r.verdict, r.reason, r.note, r.verdict_by,
       r.verdict_at, r.delay_hours,
       i.number, i.opened_at, i.opening_code, i.closing_code, i.area, i.crime_recorded,
       i.domestic_abuse, i.child_at_risk, i.adult_at_risk, i.hate_crime, i.rape_report, i.summary,
       (SELECT group_concat(c.reference, ' ') FROM incident_crimes AS ic JOIN crimes AS c ON c.id = ic.crime_id
        WHERE ic.incident_id = i.id) AS crime_references
FROM recording_reviews AS r
JOIN incidents AS i ON i.id = r.incident_id
WHERE (:pending = 0 OR r.verdict IS NULL)
  AND (:sample_id IS NULL OR r.sample_id = :sample_id)
ORDER BY r.verdict IS NOT NULL, r.seniors_only DESC, i.opened_at, r.id
LIMIT :limit
