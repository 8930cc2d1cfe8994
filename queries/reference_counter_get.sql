SELECT last FROM reference_counters WHERE prefix = ?
