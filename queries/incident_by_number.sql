SELECT id, number FROM incidents WHERE number = ?
