SELECT maker, kind, offence_group, verdict
FROM audit_items
WHERE verdict IS NOT NULL AND decided_at >= :since AND decided_at < :until
