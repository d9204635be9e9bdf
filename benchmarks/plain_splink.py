"""The baseline beside Unweave's resolution: plain Splink as a user would try it first.

Library default comparisons on the first name, birth date, phone and document of each
record, lower-cased and stripped (generic cleaning), trained the usual way. Both the
synthetic scale benchmark (resolve.py) and the scenario benchmark (resolve_scenario.py)
use this one set-up, so their baselines are the same method.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import pandas as pd

from unweave.resolve.records import PersonRecord


def _first(values: Sequence[str]) -> str | None:
    return values[0].strip().lower() if values else None


def plain_linker(records: Sequence[PersonRecord]) -> Any:
    """A trained Splink ``Linker`` (DuckDB) over ``records``."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = pd.DataFrame(
        {
            "unique_id": [r.entity_id for r in records],
            "name": [_first(r.names) for r in records],
            "birth_date": [_first(r.birth_dates) for r in records],
            "phone": [_first(r.phones) for r in records],
            "document": [r.documents[0].number.lower() if r.documents else None for r in records],
        }
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name"),
            cl.ExactMatch("birth_date"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("document"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("name"),
            block_on("birth_date"),
            block_on("phone"),
            block_on("document"),
        ],
    )
    linker = Linker(DuckDBAPI().register(frame), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("document"), block_on("name", "birth_date")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    return linker
