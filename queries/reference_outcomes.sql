SELECT number, name, outcome_group FROM outcomes ORDER BY number
