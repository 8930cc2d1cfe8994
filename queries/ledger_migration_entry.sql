SELECT seq FROM ledger WHERE action IN ('upgrade', 'accounting-baseline') AND json_extract(details, '$.migration') = ? ORDER BY seq LIMIT 1
