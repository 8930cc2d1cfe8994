SELECT code, title, needs, confirmed FROM cancellation_codes ORDER BY code
