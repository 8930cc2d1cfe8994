INSERT INTO forces (code, name) VALUES (?, ?)
