SELECT seq, prev_hash, hash,
       json_array(seq, at, actor, role, request_id, crime_reference, action,
                  from_state, to_state, code, rationale, details),
       '' AS details
FROM ledger
ORDER BY seq
