SELECT id, request_id, crime_id, created_at FROM follow_ups WHERE request_id = ? AND done_at IS NULL
