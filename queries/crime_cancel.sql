UPDATE crimes
SET state = 'cancelled', cancellation_code = :code, cancelled_at = :now,
    surviving_crime_id = :surviving_crime_id,
    transferred_force = coalesce(:transferred_force, transferred_force),
    transferred_reference = coalesce(:transferred_reference, transferred_reference)
WHERE id = :id AND state = 'recorded'
