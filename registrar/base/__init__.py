"""The words and facts every wing shares: the vocabulary, errors, the one clock, text checks, reference data, crash logs."""
