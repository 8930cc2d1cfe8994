SELECT id FROM requests WHERE external_id = ?
