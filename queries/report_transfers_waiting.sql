SELECT r.id, r.state, r.other_force, r.requested_at,
       (SELECT max(l.at) FROM ledger AS l WHERE l.request_id = r.id) AS since
FROM requests AS r
WHERE r.kind = 'transfer_out' AND r.closed_at IS NULL AND r.state IN ('sent', 'disputed', 'escalated')
ORDER BY since
