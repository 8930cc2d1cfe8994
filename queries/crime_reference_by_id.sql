SELECT reference FROM crimes WHERE id = ?
