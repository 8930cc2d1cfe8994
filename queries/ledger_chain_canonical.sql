SELECT seq, prev_hash, hash,
       CAST(prev_hash || json_array(seq, at, actor, role, request_id, crime_reference, action,
                                    from_state, to_state, code, rationale, details) AS BLOB),
       details
FROM ledger
ORDER BY seq
