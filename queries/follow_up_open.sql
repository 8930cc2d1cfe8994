INSERT INTO follow_ups (request_id, crime_id, created_at) VALUES (?, ?, ?)
