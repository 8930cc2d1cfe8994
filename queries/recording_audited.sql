SELECT r.id, r.verdict, r.reason, r.delay_hours, i.number, i.opened_at, i.area, i.rape_report, i.crime_recorded,
       (SELECT min(c.recorded_at) FROM incident_crimes AS ic JOIN crimes AS c ON c.id = ic.crime_id
        WHERE ic.incident_id = i.id) AS first_recorded_at,
       (SELECT o.offence_group FROM incident_crimes AS ic
        JOIN crimes AS c ON c.id = ic.crime_id
        JOIN offences AS o ON o.code = c.offence_code
        WHERE ic.incident_id = i.id ORDER BY c.recorded_at, c.id LIMIT 1) AS offence_group
FROM recording_reviews AS r
JOIN incidents AS i ON i.id = r.incident_id
WHERE r.verdict IS NOT NULL AND i.opened_at >= :since AND i.opened_at < :until
ORDER BY r.id
