"""Benchmarks: run by `make bench-*`, figures recorded in benchmarks/RESULTS.md."""

import os

# The simulated scenario records victims, stored encrypted: benchmarks run on throwaway
# stores with a key of their own unless one is configured (never use it for real data).
if not (os.environ.get("UNWEAVE_VICTIM_KEY") or os.environ.get("UNWEAVE_VICTIM_KEY_FILE")):
    os.environ["UNWEAVE_VICTIM_KEY"] = "YmVuY2htYXJrLW9ubHktdmljdGltLWtleS0wMDAwMDA="
