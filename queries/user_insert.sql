INSERT INTO users (username, role, display_name, active, created_at) VALUES (?, ?, ?, ?, ?)
