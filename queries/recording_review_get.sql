SELECT r.id, r.incident_id, r.sample_id, r.source, r.seniors_only, r.verdict, r.verdict_by, r.verdict_at,
       i.number, i.opened_at, i.closed_at, i.opening_code, i.closing_code, i.area, i.crime_recorded,
       i.domestic_abuse, i.child_at_risk, i.adult_at_risk, i.hate_crime, i.rape_report, i.summary
FROM recording_reviews AS r
JOIN incidents AS i ON i.id = r.incident_id
WHERE r.id = ?
