PRAGMA application_id = 1382503284
