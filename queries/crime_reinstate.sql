UPDATE crimes
SET state = 'recorded', cancellation_code = NULL, cancelled_at = NULL, surviving_crime_id = NULL,
    transferred_force = NULL, transferred_reference = NULL
WHERE id = :id AND state = 'cancelled'
