SELECT i.id, i.number, i.opened_at, i.opening_code, i.crime_recorded,
       i.domestic_abuse, i.child_at_risk, i.adult_at_risk, i.hate_crime, i.rape_report,
       (SELECT r.id FROM recording_reviews AS r WHERE r.incident_id = i.id) AS already
FROM incidents AS i
WHERE i.opened_at >= :since AND i.opened_at < :until
ORDER BY i.opened_at, i.number
