SELECT name FROM areas WHERE name = ?
