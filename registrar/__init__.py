"""registrar: the Force Crime Registrar's core, in wings (README: How the code is laid out), and its command line."""
