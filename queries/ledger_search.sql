SELECT seq, at, actor, role, request_id, crime_reference, action, from_state, to_state, code,
       rationale, details
FROM ledger
WHERE (:request_id IS NULL OR request_id = :request_id)
  AND (:crime IS NULL OR crime_reference = :crime OR request_id IN (
        SELECT r.id FROM requests AS r JOIN crimes AS c ON c.id = r.crime_id WHERE c.reference = :crime
        UNION
        SELECT l.request_id FROM request_crimes AS l JOIN crimes AS c ON c.id = l.crime_id WHERE c.reference = :crime)
      OR :crime IN (SELECT value FROM json_each(details, '$.recorded'))
      OR :crime IN (SELECT value FROM json_each(details, '$.crimes')))
  AND (:actor IS NULL OR actor = :actor)
  AND (:action IS NULL OR action = :action)
  AND (:code IS NULL OR code = :code)
  AND (:since IS NULL OR at >= :since)
  AND (:until IS NULL OR at < :until)
  AND (:text IS NULL OR instr(lower(rationale || ' ' || details), lower(:text)) > 0)
  AND seq < :before_seq
ORDER BY seq DESC
LIMIT :limit
