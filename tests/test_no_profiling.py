"""No score or filter uses nationality, ethnicity or migration status on its own (design rule 4).

Two checks that fail when someone breaks the rule: the resolution model's weights (the
only score that reads nationality), and an audit of the code naming every module that reads
such a field, so that a new one must be looked at before it is allowed.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from unweave.resolve.model import DETERMINISTIC, PREDICTION_BLOCKS, TRAINING_BLOCKS, comparisons

PACKAGE = Path(__file__).resolve().parents[1] / "unweave"
SENSITIVE = re.compile(
    r"nationalit|citizenship|ethnicit|religio|migrant|migration[ _-]?status|asylum|"
    r"irregular|residen(ce|cy)[ _-]?(permit|status)|visa[ _-]?status",
    re.IGNORECASE,
)
# Every module that names such a field, and why that is not a score or filter on it alone.
REVIEWED = {
    "resolve/model.py": "the nationality comparison: fixed, weak weights (tested below)",
    "resolve/compare/weak.py": "the same comparison as a feature function with its reason",
    "resolve/compare/person.py": "calls it beside names, dates and documents",
    "resolve/compare/__init__.py": "exports it",
    "resolve/records.py": "reads it for that comparison; a document's country defaults to it",
    "resolve/features.py": "the column of that comparison",
    "graph/build.py": "a node's country, shown; no measure reads it",
    "cli/resolve_cmds.py": "shown side by side to the person reviewing a pair",
    "web/routes/review.py": "the same, on the review page",
    "linkage/features.py": "a document's issuing country defaults to it (the document key)",
    "ingest/formats/travel.py": "read from border records as written",
    "store/protect.py": "says that it is kept in clear and never used alone",
    "scenario/": "the simulator gives its people nationalities (data, not a score)",
}
MAX_WEAK_BITS = 1.0  # a weak level moves the odds by at most a factor of two


def _reviewed(rel: str) -> bool:
    return any(rel == k or (k.endswith("/") and rel.startswith(k)) for k in REVIEWED)


def test_every_module_naming_nationality_or_migration_status_was_reviewed() -> None:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("store/migrations/"):
            continue
        hits = [m.group(0) for m in SENSITIVE.finditer(path.read_text(encoding="utf-8"))]
        if hits and not _reviewed(rel):
            found[rel] = hits[0]
    assert found == {}, "review these uses against design rule 4, then list them in REVIEWED"
    assert _reviewed("resolve/model.py") and not _reviewed("analyze/measures.py")


def test_nationality_is_weak_evidence_only_and_never_a_blocking_key() -> None:
    levels = {}
    for comparison in comparisons():
        data = comparison.get_comparison("duckdb").as_dict()
        for level in data["comparison_levels"]:
            if SENSITIVE.search(level["sql_condition"]) or data["output_column_name"] in (
                "nationality",
                "gender",
            ):
                levels[(data["output_column_name"], level.get("label_for_charts"))] = level
    assert {name for name, _ in levels} == {"nationality", "gender"}
    for (name, label), level in levels.items():
        if level.get("is_null_level") or "IS NULL" in level["sql_condition"]:
            continue
        # Fixed: training cannot make them strong; and small either way.
        assert level["fix_m_probability"] and level["fix_u_probability"], (name, label)
        bits = math.log2(level["m_probability"] / level["u_probability"])
        if name == "nationality":
            assert abs(bits) <= MAX_WEAK_BITS, (label, bits)
    # Which pairs are compared at all never depends on nationality.
    for rule in PREDICTION_BLOCKS + TRAINING_BLOCKS + DETERMINISTIC:
        assert not SENSITIVE.search(rule), rule
