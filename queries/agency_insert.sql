INSERT INTO agencies (code, name) VALUES (?, ?)
