SELECT count(*) AS items, min(created_at) AS oldest FROM follow_ups WHERE done_at IS NULL
