SELECT id FROM requests WHERE id = ?
