SELECT a.name, r.retired_at
FROM areas AS a
LEFT JOIN retirements AS r ON r.kind = 'area' AND r.code = a.name
ORDER BY a.name
