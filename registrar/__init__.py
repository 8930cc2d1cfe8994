"""registrar: the Force Crime Registrar's workbench core (store, rules, ledger), free of Textual."""
