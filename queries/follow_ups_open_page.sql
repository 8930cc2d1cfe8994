SELECT r.id, r.kind, r.state, r.version, r.requested_by, r.requested_at, f.created_at AS due_at, r.referred_to,
       r.summary, coalesce(c.cancellation_code, r.cancellation_code) AS cancellation_code, r.proposed_code,
       r.other_force, r.other_reference, r.agency, r.subject, r.received_at,
       c.reference AS crime_reference, c.area AS area,
       o.code AS offence_code, o.name AS offence_name, o.offence_group, o.restricted
FROM follow_ups AS f
JOIN requests AS r ON r.id = f.request_id
JOIN crimes AS c ON c.id = f.crime_id
JOIN offences AS o ON o.code = c.offence_code
WHERE f.done_at IS NULL
  AND (:area IS NULL OR c.area = :area)
  AND (:offence_group IS NULL OR o.offence_group = :offence_group)
  AND (:restricted_only = 0 OR o.restricted = 1)
  AND (:text IS NULL OR instr(lower(r.id || ' ' || c.reference || ' ' || r.summary || ' ' || o.code || ' ' || o.name
                                    || ' ' || r.requested_by), lower(:text)) > 0)
  AND (f.created_at > :after_due OR (f.created_at = :after_due AND r.id > :after_id))
ORDER BY f.created_at, r.id
LIMIT :limit
