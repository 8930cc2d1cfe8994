INSERT INTO cancellation_codes (code, title, needs, confirmed) VALUES (?, ?, ?, ?)
