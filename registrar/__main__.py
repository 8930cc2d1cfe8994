"""Run the command line as `python -m registrar`."""

from .cli import main

main()
