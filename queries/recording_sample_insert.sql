INSERT INTO recording_samples (drawn_at, drawn_by, seed, period_from, period_to, weights, candidates, sampled)
VALUES (:drawn_at, :drawn_by, :seed, :period_from, :period_to, :weights, :candidates, :sampled)
