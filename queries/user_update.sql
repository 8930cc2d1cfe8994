UPDATE users SET role = ?, active = ? WHERE username = ?
