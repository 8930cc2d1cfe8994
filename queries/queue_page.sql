SELECT r.id, r.kind, r.state, r.version, r.requested_by, r.requested_at, r.due_at, r.referred_to,
       r.summary, r.cancellation_code, r.proposed_code, r.other_force, r.other_reference, r.agency,
       r.subject, r.received_at,
       c.reference AS crime_reference,
       coalesce(c.area, r.area) AS area,
       o.code AS offence_code, o.name AS offence_name, o.offence_group, coalesce(o.restricted, 0) AS restricted
FROM requests AS r
LEFT JOIN crimes AS c ON c.id = r.crime_id
LEFT JOIN offences AS o ON o.code = coalesce(c.offence_code, r.offence_code, r.suggested_code)
WHERE r.closed_at IS NULL
  AND (:kind IS NULL OR r.kind = :kind)
  AND (:state IS NULL OR r.state = :state)
  AND (:waiting_on_force = 0 OR r.state IN ('sent', 'disputed', 'escalated'))
  AND (:due_before IS NULL OR r.due_at < :due_before)
  AND (:area IS NULL OR coalesce(c.area, r.area) = :area)
  AND (:offence_group IS NULL OR o.offence_group = :offence_group)
  AND (:restricted_only = 0 OR o.restricted = 1)
  AND (:referred_to_me IS NULL OR (r.state = 'referred' AND coalesce(r.referred_to, :referred_to_me) = :referred_to_me))
  AND (:returned_to IS NULL OR (r.state = 'returned' AND r.requested_by = :returned_to))
  AND (:text IS NULL OR instr(
        lower(r.id || ' ' || coalesce(c.reference, '') || ' ' || r.summary || ' ' || coalesce(o.code, '') || ' '
              || coalesce(o.name, '') || ' ' || r.requested_by || ' ' || coalesce(r.other_force, '') || ' '
              || coalesce(r.agency, '') || ' ' || coalesce(r.other_reference, '')),
        lower(:text)) > 0)
  AND (r.due_at > :after_due OR (r.due_at = :after_due AND r.id > :after_id))
ORDER BY r.due_at, r.id
LIMIT :limit
