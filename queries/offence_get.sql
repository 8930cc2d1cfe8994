SELECT code, name, offence_group, subgroup, victim_based, restricted, severity FROM offences WHERE code = ?
