INSERT INTO reference_counters (prefix, last) VALUES (?, ?)
ON CONFLICT (prefix) DO UPDATE SET last = excluded.last
