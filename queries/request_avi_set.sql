INSERT INTO request_avi (request_id, avi_type, shows) VALUES (:request_id, :avi_type, :shows)
ON CONFLICT (request_id) DO UPDATE SET avi_type = coalesce(excluded.avi_type, avi_type),
                                       shows = coalesce(excluded.shows, shows)
