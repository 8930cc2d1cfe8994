SELECT count(*) FROM audit_items WHERE verdict IS NULL
