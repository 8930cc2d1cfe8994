SELECT count(*) FROM ssh_keys AS k JOIN users AS u ON u.username = k.username
WHERE k.removed_at IS NULL AND u.role = 'fcr' AND u.active = 1 AND u.username <> ?
