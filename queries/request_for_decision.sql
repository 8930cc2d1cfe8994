SELECT r.*,
       c.reference AS crime_reference,
       c.offence_code AS crime_offence_code,
       c.state AS crime_state,
       c.oic AS crime_oic,
       c.domestic_abuse AS crime_domestic_abuse,
       c.hate_crime AS crime_hate_crime,
       c.vulnerable_victim AS crime_vulnerable_victim,
       v.avi_type, v.shows AS avi_shows,
       (SELECT l.actor FROM ledger AS l WHERE l.request_id = r.id AND l.action = 'raise'
        ORDER BY l.seq LIMIT 1) AS raised_by
FROM requests AS r LEFT JOIN crimes AS c ON c.id = r.crime_id
LEFT JOIN request_avi AS v ON v.request_id = r.id
WHERE r.id = ?
