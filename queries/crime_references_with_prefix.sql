SELECT reference FROM crimes WHERE reference >= :low AND reference < :high
