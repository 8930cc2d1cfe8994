SELECT id, drawn_at, drawn_by, seed, period_from, period_to, rates, candidates, sampled,
       (SELECT count(*) FROM audit_items AS a WHERE a.sample_id = s.id AND a.verdict IS NULL) AS pending
FROM audit_samples AS s
ORDER BY id DESC
