INSERT INTO recording_reviews (incident_id, sample_id, source, seniors_only, added_at)
SELECT i.id, NULL, 'rape-report', 1, :added_at
FROM incidents AS i
WHERE i.id > :after AND i.rape_report = 1 AND i.crime_recorded = 0
  AND NOT EXISTS (SELECT 1 FROM recording_reviews AS r WHERE r.incident_id = i.id)
ORDER BY i.id
