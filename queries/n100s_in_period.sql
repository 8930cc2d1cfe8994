SELECT n.id, n.reason, n.created_at, i.number, i.opened_at
FROM n100s AS n
JOIN incidents AS i ON i.id = n.incident_id
WHERE i.opened_at >= :since AND i.opened_at < :until
ORDER BY n.id
