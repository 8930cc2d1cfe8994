INSERT INTO areas (name) VALUES (:name)
