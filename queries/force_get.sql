SELECT code, name FROM forces WHERE code = ?
