UPDATE audit_items SET verdict = ?, note = ?, verdict_by = ?, verdict_at = ?
WHERE id = ? AND verdict IS NULL
