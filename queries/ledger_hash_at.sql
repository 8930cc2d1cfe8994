SELECT hash FROM ledger WHERE seq = ?
