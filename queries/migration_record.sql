INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (:migration_set, :name, :applied_at)
