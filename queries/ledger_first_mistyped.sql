SELECT seq, typeof(seq), typeof(at), typeof(actor), typeof(role), typeof(request_id), typeof(crime_reference),
       typeof(action), typeof(from_state), typeof(to_state), typeof(code), typeof(rationale), typeof(details),
       typeof(prev_hash), typeof(hash)
FROM ledger
WHERE typeof(seq) <> 'integer' OR typeof(at) <> 'text' OR typeof(actor) <> 'text' OR typeof(role) <> 'text'
   OR typeof(request_id) NOT IN ('integer', 'null') OR typeof(crime_reference) NOT IN ('text', 'null')
   OR typeof(action) <> 'text' OR typeof(from_state) NOT IN ('text', 'null')
   OR typeof(to_state) NOT IN ('text', 'null') OR typeof(code) NOT IN ('text', 'null')
   OR typeof(rationale) <> 'text' OR typeof(details) <> 'text' OR typeof(prev_hash) <> 'text'
   OR typeof(hash) <> 'text'
ORDER BY rowid
LIMIT 1
