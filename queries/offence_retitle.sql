UPDATE offences SET name = :name WHERE code = :code
