SELECT seq FROM ledger
WHERE (action IN ('upgrade', 'accounting-baseline') AND json_extract(details, '$.migration') = :name)
   OR (action = 'init' AND EXISTS (SELECT 1 FROM json_each(ledger.details, '$.migrations') WHERE value = :name))
ORDER BY seq LIMIT 1
