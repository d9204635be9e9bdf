"""Simulated trafficking cases with ground truth: for the demo, the tests, the benchmarks.

``generate(seed, size, out_dir)`` writes every participating agency's partial, noisy view
in the input formats of docs/formats.md, a manifest that ``unweave ingest`` loads in one
command, and the truth beside it (docs/scenario.md).
"""

from unweave.scenario.generate import generate

__all__ = ["generate"]
