SELECT reference FROM crimes
WHERE reference >= :low AND reference < :high
ORDER BY reference DESC LIMIT 1
