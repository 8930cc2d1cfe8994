SELECT r.*,
       c.reference AS crime_reference, c.offence_code AS crime_offence_code, c.state AS crime_state,
       c.cancellation_code AS crime_cancellation_code, c.recorded_at AS crime_recorded_at,
       c.occurred_at AS crime_occurred_at, c.cancelled_at AS crime_cancelled_at, c.area AS crime_area,
       c.oic AS crime_oic, c.domestic_abuse AS crime_domestic_abuse, c.hate_crime AS crime_hate_crime,
       c.vulnerable_victim AS crime_vulnerable_victim, c.summary AS crime_summary,
       c.transferred_force AS crime_transferred_force, c.transferred_reference AS crime_transferred_reference,
       o.name AS offence_name, o.offence_group, coalesce(o.restricted, 0) AS restricted,
       p.name AS proposed_name, coalesce(p.restricted, 0) AS proposed_restricted,
       f.name AS other_force_name, a.name AS agency_name,
       g.title AS ground_title,
       v.avi_type, v.shows AS avi_shows
FROM requests AS r
LEFT JOIN crimes AS c ON c.id = r.crime_id
LEFT JOIN offences AS o ON o.code = coalesce(c.offence_code, r.offence_code, r.suggested_code)
LEFT JOIN offences AS p ON p.code = r.proposed_code
LEFT JOIN forces AS f ON f.code = r.other_force
LEFT JOIN agencies AS a ON a.code = r.agency
LEFT JOIN cancellation_codes AS g ON g.code = r.cancellation_code
LEFT JOIN request_avi AS v ON v.request_id = r.id
WHERE r.id = ?
