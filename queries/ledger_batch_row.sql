SELECT seq, at FROM ledger
WHERE request_id = ? AND action = ?
  AND json_extract(details, '$.batch_sha256') = ?
  AND json_extract(details, '$.batch_row') = ?
ORDER BY seq DESC LIMIT 1
