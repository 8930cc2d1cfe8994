"""The `registrar` command line: the composition root, the one place that opens the workbench and the demo generator."""
