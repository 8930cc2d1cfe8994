INSERT INTO outcomes (number, name, outcome_group) VALUES (?, ?, ?)
