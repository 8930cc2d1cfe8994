SELECT count(*) FROM requests
WHERE state = 'referred' AND coalesce(referred_to, :username) = :username
