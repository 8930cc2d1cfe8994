SELECT c.reference, c.offence_code, o.name AS offence_name, c.state, l.link
FROM request_crimes AS l
JOIN crimes AS c ON c.id = l.crime_id
JOIN offences AS o ON o.code = c.offence_code
WHERE l.request_id = ?
ORDER BY c.reference
