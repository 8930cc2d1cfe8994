SELECT code, name FROM agencies ORDER BY code
