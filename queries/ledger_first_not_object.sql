SELECT seq FROM ledger WHERE NOT json_valid(details) OR json_type(details) != 'object' ORDER BY seq LIMIT 1
