SELECT l.seq, l.at, l.actor, l.role, l.request_id, r.kind, l.crime_reference, l.action, l.from_state, l.to_state,
       l.code, l.rationale, l.details, r.agency, r.other_force
FROM ledger AS l
JOIN requests AS r ON r.id = l.request_id
WHERE l.at >= :since AND l.at < :until
  AND l.action IN (SELECT value FROM json_each(:actions))
ORDER BY l.seq
