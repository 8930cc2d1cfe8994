SELECT seq, at, actor, role, request_id, crime_reference, action,
       from_state, to_state, code, rationale, details, prev_hash, hash
FROM ledger
WHERE seq > ?
ORDER BY seq
