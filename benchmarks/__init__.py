"""Benchmarks: run by `make bench-*`, figures recorded in benchmarks/RESULTS.md."""
