SELECT count(*) FROM requests WHERE state = 'returned' AND requested_by = :username
