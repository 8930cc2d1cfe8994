SELECT o.code, o.name, o.offence_group, o.subgroup, o.victim_based, o.restricted, o.severity, r.retired_at
FROM offences AS o
LEFT JOIN retirements AS r ON r.kind = 'offence' AND r.code = o.code
ORDER BY o.offence_group, o.code
