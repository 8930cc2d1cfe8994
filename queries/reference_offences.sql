SELECT code, name, offence_group, subgroup, victim_based, restricted, severity FROM offences ORDER BY offence_group, code
