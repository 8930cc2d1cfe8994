SELECT count(*) AS pending, coalesce(sum(seniors_only), 0) AS seniors_only
FROM recording_reviews
WHERE verdict IS NULL
