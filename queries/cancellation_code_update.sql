UPDATE cancellation_codes SET title = ?, confirmed = ? WHERE code = ?
