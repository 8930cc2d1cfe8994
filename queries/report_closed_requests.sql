SELECT r.id, r.kind, r.state, r.requested_at, r.received_at, r.closed_at, r.agency, r.other_force
FROM requests AS r
WHERE r.closed_at >= :since AND r.closed_at < :until
