SELECT seq, details FROM ledger WHERE request_id = :request_id AND action = :action ORDER BY seq DESC LIMIT 1
