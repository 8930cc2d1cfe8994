SELECT k.fingerprint, k.username, k.key_type, k.key_data, k.comment, k.added_at, k.added_by, u.active
FROM ssh_keys AS k JOIN users AS u ON u.username = k.username
WHERE k.removed_at IS NULL
ORDER BY k.username, k.added_at, k.id
