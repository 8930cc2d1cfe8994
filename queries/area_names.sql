SELECT name FROM areas ORDER BY name
