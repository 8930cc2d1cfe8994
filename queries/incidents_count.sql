SELECT count(*) AS incidents, coalesce(sum(crime_recorded), 0) AS with_crime
FROM incidents
WHERE opened_at >= :since AND opened_at < :until
