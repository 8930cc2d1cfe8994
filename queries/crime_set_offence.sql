UPDATE crimes SET offence_code = :code WHERE id = :id AND state = 'recorded'
