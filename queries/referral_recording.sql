SELECT r.id, r.state, r.agency, r.subject,
       EXISTS (SELECT 1 FROM audit_items AS a WHERE a.request_id = r.id AND a.verdict = 'disagree') AS disagreed
FROM requests AS r
WHERE r.kind = 'referral' AND r.closed_at >= :since AND r.closed_at < :until AND r.state != 'withdrawn'
ORDER BY r.id
