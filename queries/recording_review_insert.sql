INSERT INTO recording_reviews (incident_id, sample_id, source, seniors_only, added_at)
VALUES (:incident_id, :sample_id, :source, :seniors_only, :added_at)
