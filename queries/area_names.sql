SELECT name FROM areas WHERE name NOT IN (SELECT code FROM retirements WHERE kind = 'area') ORDER BY name
