SELECT username, role, display_name, active, created_at FROM users WHERE username = ?
