SELECT id, fingerprint, username, key_type, key_data, comment, added_at, added_by, removed_at, removed_by
FROM ssh_keys WHERE fingerprint = ?
ORDER BY removed_at IS NULL DESC, id DESC
LIMIT 1
