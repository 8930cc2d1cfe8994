SELECT from_state FROM ledger WHERE request_id = ? AND to_state = 'returned' ORDER BY seq DESC LIMIT 1
