SELECT a.id, a.sample_id, a.ledger_seq, a.request_id, a.kind, a.maker, a.action, a.offence_group, a.decided_at,
       a.verdict, a.note, a.verdict_by, a.verdict_at, l.rationale, l.code, l.crime_reference
FROM audit_items AS a JOIN ledger AS l ON l.seq = a.ledger_seq
WHERE (:sample_id IS NULL OR a.sample_id = :sample_id)
  AND (:pending = 0 OR a.verdict IS NULL)
  AND a.id > :after_id
ORDER BY a.id
LIMIT :limit
