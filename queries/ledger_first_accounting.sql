SELECT seq FROM ledger WHERE details LIKE '%"writes"%' OR details LIKE '%"bulk"%' ORDER BY seq LIMIT 1
