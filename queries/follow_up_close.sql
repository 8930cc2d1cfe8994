UPDATE follow_ups
SET done_at = :now, informed_on = :informed_on, method = :method, done_by = :actor
WHERE request_id = :request_id AND done_at IS NULL
