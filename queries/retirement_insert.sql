INSERT INTO retirements (kind, code, retired_at, retired_by) VALUES (:kind, :code, :retired_at, :retired_by)
