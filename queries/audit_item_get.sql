SELECT a.*, l.rationale, l.code, l.from_state, l.to_state, l.crime_reference
FROM audit_items AS a JOIN ledger AS l ON l.seq = a.ledger_seq
WHERE a.id = ?
