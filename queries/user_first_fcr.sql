SELECT username FROM users WHERE role = 'fcr' AND active = 1 ORDER BY created_at, username LIMIT 1
