SELECT id FROM requests WHERE crime_id = ? AND kind = ? AND closed_at IS NULL
