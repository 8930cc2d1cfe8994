SELECT recorded_at FROM crimes WHERE id = ?
