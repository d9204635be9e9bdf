"""The `unweave` command line: one verb per stage, all calling the Python API."""
