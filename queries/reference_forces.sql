SELECT code, name FROM forces ORDER BY code
