UPDATE offences SET severity = :severity WHERE code = :code
