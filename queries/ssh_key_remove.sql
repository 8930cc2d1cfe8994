UPDATE ssh_keys SET removed_at = :now, removed_by = :actor WHERE fingerprint = :fingerprint AND removed_at IS NULL
