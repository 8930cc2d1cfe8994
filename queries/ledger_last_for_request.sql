SELECT seq, at, actor, role, action, from_state, to_state
FROM ledger WHERE request_id = ? ORDER BY seq DESC LIMIT 1
