SELECT code, name FROM agencies WHERE code = ?
