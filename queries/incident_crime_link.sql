INSERT INTO incident_crimes (incident_id, crime_id, link)
SELECT i.id, c.id, :link FROM incidents AS i, crimes AS c WHERE i.number = :number AND c.reference = :reference
