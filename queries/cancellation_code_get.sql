SELECT code, title, needs, confirmed FROM cancellation_codes WHERE code = ?
