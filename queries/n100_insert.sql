INSERT INTO n100s (incident_id, reason, note, created_at, created_by)
VALUES (:incident_id, :reason, :note, :created_at, :created_by)
