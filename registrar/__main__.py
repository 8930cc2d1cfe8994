"""Run the command line as `python -m registrar`."""

from registrar.cli.main import main

main()
