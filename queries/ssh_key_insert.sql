INSERT INTO ssh_keys (fingerprint, username, key_type, key_data, comment, added_at, added_by)
VALUES (:fingerprint, :username, :key_type, :key_data, :comment, :added_at, :added_by)
