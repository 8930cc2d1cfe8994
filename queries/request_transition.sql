UPDATE requests
SET state = :to_state,
    version = version + 1,
    closed_at = CASE WHEN :closes THEN coalesce(closed_at, :now) ELSE NULL END,
    referred_to = CASE WHEN :to_state = 'referred' THEN :referred_to ELSE referred_to END
WHERE id = :id AND version = :version
