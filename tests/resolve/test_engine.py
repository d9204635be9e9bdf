"""The engine end to end on a small set, once per backend (Spark only if pyspark is here)."""

from __future__ import annotations

import importlib.util

import pytest

from unweave.resolve.engine import IDENTIFIER, MATCH, EngineConfig, ResolutionEngine
from unweave.resolve.features import feature_table

from .conftest import background, travellers

BACKENDS = [
    "duckdb",
    pytest.param(
        "spark",
        marks=[
            pytest.mark.slow,
            pytest.mark.skipif(
                importlib.util.find_spec("pyspark") is None, reason="pyspark not installed"
            ),
        ],
    ),
]


@pytest.fixture(scope="module")
def records(hard_cases):
    return hard_cases + background(400) + travellers(60)


@pytest.fixture(scope="module")
def duckdb_resolution(records):
    return ResolutionEngine("duckdb", EngineConfig()).resolve(records)


@pytest.fixture(scope="module", params=BACKENDS)
def resolution(request, records, duckdb_resolution):
    if request.param == "duckdb":
        result = duckdb_resolution
    else:
        # Spark runs each small SQL step of EM as a job (minutes on two cores): a Spark
        # run trains on DuckDB, and Spark blocks, scores and explains.
        result = ResolutionEngine(request.param, EngineConfig()).resolve(records)
        # Every record is in the training sample here: the very model DuckDB trains.
        assert result.trained == duckdb_resolution.trained
    result.pairs.attrs["expected_background"] = sum(r.entity_id.endswith("-b") for r in records)
    return result


def _decisions(resolution) -> dict[frozenset[str], str]:
    pairs = resolution.pairs
    return {
        frozenset((a, b)): d
        for a, b, d in zip(pairs.left_id, pairs.right_id, pairs.decision, strict=True)
    }


def test_issue_trio_is_linked(resolution):
    decisions = _decisions(resolution)
    for a, b in (("it-1", "uk-1"), ("it-1", "ly-1"), ("uk-1", "ly-1")):
        assert decisions.get(frozenset((a, b))) in (MATCH, IDENTIFIER), (a, b, decisions)


def test_shared_passport_links_as_identifier(resolution):
    assert _decisions(resolution)[frozenset(("it-2", "de-2"))] == IDENTIFIER


def test_relatives_and_namesakes_are_not_matched(resolution):
    decisions = _decisions(resolution)
    for a, b in (("it-3", "it-4"), ("it-3", "uk-4"), ("it-4", "uk-4"), ("fr-5", "de-5")):
        assert decisions.get(frozenset((a, b))) not in (MATCH, IDENTIFIER), (a, b)


def test_background_duplicates_found_without_false_links(resolution):
    matches = resolution.matches()
    found = {frozenset((a, b)) for a, b in zip(matches.left_id, matches.right_id, strict=True)}
    background_found = [p for p in found if all(x.startswith("bg") for x in p)]
    wrong = [p for p in background_found if len({x.split("-")[0] for x in p}) > 1]
    assert not wrong
    seen_twice = len({x for p in background_found for x in p if x.endswith("-b")})
    assert seen_twice == len(background_found)
    assert seen_twice >= 0.9 * resolution.pairs.attrs["expected_background"]


def test_a_trip_out_and_home_links(resolution):
    """The crossing back compares two columns (Spark: arrays_overlap of left and right)."""
    decisions = _decisions(resolution)
    found = [decisions.get(frozenset((f"tv{i}-out", f"tv{i}-home"))) for i in range(60)]
    assert found.count(MATCH) >= 55
    pair = next(p for p in resolution.scored_pairs() if p.left_id.startswith("tv"))
    travel = {e.feature: e for e in pair.evidence}["travel"]
    assert "a crossing back the other way" in travel.reason


def test_pairs_carry_explanations(resolution):
    pair = next(p for p in resolution.scored_pairs() if p.decision == IDENTIFIER)
    features = {e.feature: e for e in pair.evidence}
    assert features["document"].level == "same document number and country"
    assert "weight" in features["document"].reason
    assert pair.reason and 0.0 <= pair.probability <= 1.0
    assert {"name_level", "birth_date_level", "mw_name"} <= set(resolution.pairs.columns)


def test_a_sample_trains_a_model_like_the_whole(records, duckdb_resolution):
    """A run on another engine trains on DuckDB over a sample of the records; trained on
    two thirds of them the model is still the same model in its main weights."""
    engine = ResolutionEngine("duckdb", EngineConfig(train_records=len(records) * 2 // 3))
    sampled = engine._trained_on_duckdb(feature_table(records))
    whole = duckdb_resolution.trained
    assert sampled["levels"].keys() == whole["levels"].keys()
    same_name_m = sampled["levels"]["name"][0][0]  # m of "same name or spelling variants"
    assert abs(same_name_m - whole["levels"]["name"][0][0]) < 0.15
    assert 0.5 < sampled["prior"] / whole["prior"] < 2.0


def test_trained_model_is_reused(records, duckdb_resolution):
    import json

    trained = json.loads(json.dumps(duckdb_resolution.trained))
    again = ResolutionEngine("duckdb").resolve(records, trained=trained)
    assert again.trained == duckdb_resolution.trained
    assert len(again.matches()) == len(duckdb_resolution.matches())


def test_no_level_is_a_veto_and_weak_features_stay_weak(duckdb_resolution):
    levels = duckdb_resolution.trained["levels"]
    assert all(m >= 1e-3 for comparison in levels.values() for m, _ in comparison)
    for name in ("gender", "nationality"):  # fixed, small Bayes factors (rule 4)
        assert all(0.04 < m / u < 2.0 for m, u in levels[name])


def test_sliced_prediction_scores_the_same_pairs(records, duckdb_resolution):
    """Scored in 3 x 3 slices of the records (how 5 million records are scored), the
    pairs, their scores and decisions are those of one pass."""
    sliced = ResolutionEngine("duckdb", EngineConfig(slice_records=len(records) // 3 + 1))
    again = sliced.resolve(records, trained=duckdb_resolution.trained)
    assert _decisions(again) == _decisions(duckdb_resolution)
    key = ["left_id", "right_id"]
    one = duckdb_resolution.pairs.sort_values(key).reset_index(drop=True)
    three = again.pairs.sort_values(key).reset_index(drop=True)
    assert list(three.match_weight.round(9)) == list(one.match_weight.round(9))


def test_duckdb_settings_are_checked(monkeypatch):
    from unweave.errors import ConfigError
    from unweave.resolve.backends.duckdb import DuckDBBackend

    monkeypatch.setenv("UNWEAVE_RESOLVE_MEMORY", "12GB")
    monkeypatch.setenv("UNWEAVE_RESOLVE_THREADS", "2")
    backend = DuckDBBackend()
    assert (backend.memory_limit, backend.threads) == ("12GB", 2)
    limit = backend.db_api._con.execute("SELECT current_setting('memory_limit')").fetchone()
    assert limit[0].endswith("GiB")
    monkeypatch.setenv("UNWEAVE_RESOLVE_MEMORY", "lots")
    with pytest.raises(ConfigError, match="UNWEAVE_RESOLVE_MEMORY"):
        DuckDBBackend()


def test_a_killed_runs_spill_folder_is_removed(monkeypatch, tmp_path):
    """Spilled pages hold decrypted records: the next run removes a dead process's folder
    and keeps a living one's; its own is readable by its user only."""
    import os
    import subprocess
    import sys

    from unweave.resolve.backends.duckdb import DuckDBBackend

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        for pid in (dead.pid, living.pid):
            (tmp_path / f"run-{pid}").mkdir()
            (tmp_path / f"run-{pid}" / "duckdb_temp_block.tmp").write_bytes(b"spilled")
        monkeypatch.setenv("UNWEAVE_RESOLVE_TEMP", str(tmp_path))
        con = DuckDBBackend().db_api._con
        own = tmp_path / f"run-{os.getpid()}"
        assert not (tmp_path / f"run-{dead.pid}").exists()
        assert (tmp_path / f"run-{living.pid}" / "duckdb_temp_block.tmp").exists()
        assert own.is_dir() and own.stat().st_mode & 0o077 == 0
        assert con.execute("SELECT current_setting('temp_directory')").fetchone()[0] == str(own)
    finally:
        living.kill()
        living.wait()


def test_levels_are_read_from_gammas_where_weights_tie(records, duckdb_resolution):
    """Levels come from their weights; where two levels of a comparison weigh the same
    (gender neutral here), the engine reads the gammas instead and labels them right."""
    import copy

    trained = copy.deepcopy(duckdb_resolution.trained)
    trained["levels"]["gender"] = [[0.5, 0.5], [0.5, 0.5]]
    again = ResolutionEngine("duckdb").resolve(records, trained=trained)
    assert set(again.pairs.gender_level) == set(duckdb_resolution.pairs.gender_level)
    key = ["left_id", "right_id"]
    one = duckdb_resolution.pairs.sort_values(key).set_index(key)
    two = again.pairs.sort_values(key).set_index(key)
    common = one.index.intersection(two.index)
    assert len(common) > 0.9 * len(one)
    for column in ("name_level", "gender_level"):  # None where a record has no value
        assert one.loc[common, column].fillna("-").equals(two.loc[common, column].fillna("-"))
