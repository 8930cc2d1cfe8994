SELECT kind, state, count(*) AS items, min(coalesce(received_at, requested_at)) AS oldest, sum(due_at < :now) AS overdue
FROM requests
WHERE closed_at IS NULL
GROUP BY kind, state
ORDER BY kind, state
