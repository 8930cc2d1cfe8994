UPDATE offences SET restricted = ? WHERE code = ?
