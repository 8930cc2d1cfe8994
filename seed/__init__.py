"""The deterministic demo and scale force generator: a client of the core, writing through its public functions."""
