DELETE FROM request_crimes WHERE request_id = ? AND link = 'duplicate'
