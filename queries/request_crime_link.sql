INSERT INTO request_crimes (request_id, crime_id, link) VALUES (?, ?, ?)
