SELECT created_at, done_at, informed_on, method, done_by FROM follow_ups WHERE request_id = ?
