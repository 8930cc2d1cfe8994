UPDATE recording_reviews
SET verdict = :verdict, reason = :reason, note = :note, verdict_by = :verdict_by, verdict_at = :verdict_at,
    delay_hours = :delay_hours
WHERE id = :id AND verdict IS NULL
