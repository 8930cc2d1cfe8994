INSERT INTO offences (code, name, offence_group, subgroup, victim_based, restricted, severity)
VALUES (?, ?, ?, ?, ?, ?, ?)
