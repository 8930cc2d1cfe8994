"""The store and what keeps it honest: its schema, the row accounting, the hash-chained ledger, backups."""
