SELECT details FROM ledger WHERE seq = 1 AND action = 'init'
