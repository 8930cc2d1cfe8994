SELECT count(*) FROM users WHERE role = 'fcr' AND active = 1
