SELECT l.seq, l.at, l.actor, l.action, l.request_id, r.kind,
       o.offence_group,
       (SELECT a.id FROM audit_items AS a WHERE a.ledger_seq = l.seq) AS already
FROM ledger AS l
JOIN requests AS r ON r.id = l.request_id
LEFT JOIN crimes AS c ON c.id = r.crime_id
LEFT JOIN offences AS o ON o.code = coalesce(c.offence_code, r.offence_code, r.suggested_code)
WHERE l.role = 'ddm'
  AND l.at >= :since AND l.at < :until
  AND l.action IN (SELECT value FROM json_each(:actions))
ORDER BY l.seq
