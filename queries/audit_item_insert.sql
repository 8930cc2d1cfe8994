INSERT INTO audit_items (sample_id, ledger_seq, request_id, kind, maker, action, offence_group, decided_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
