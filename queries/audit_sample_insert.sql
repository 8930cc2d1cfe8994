INSERT INTO audit_samples (drawn_at, drawn_by, seed, period_from, period_to, rates, candidates, sampled)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
