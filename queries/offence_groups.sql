SELECT DISTINCT offence_group FROM offences ORDER BY offence_group
