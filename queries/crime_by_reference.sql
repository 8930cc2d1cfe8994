SELECT c.*, o.name AS offence_name, o.offence_group, o.restricted
FROM crimes AS c JOIN offences AS o ON o.code = c.offence_code
WHERE c.reference = ?
