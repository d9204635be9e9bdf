"""The resolution engine: records in, scored and explained pairs out.

    engine = ResolutionEngine("duckdb")          # or "spark"
    result = engine.resolve(records)             # PersonRecord list or a feature frame
    result.pairs                                 # one row per candidate pair (pandas)
    for pair in result.scored_pairs(): pair.decision, pair.evidence

Steps: derive columns (features.py), block, estimate u by random sampling, m by EM on two
blocking rules, predict, then decide each pair: a shared identity document with compatible
name and birth date links at once ("identifier"); contradictions in names or birth dates
(relatives, namesakes) keep a pair out of automatic matching, whatever its score.
The result is what judgements are built on: each pair has the two entity ids, the score,
a decision and, per comparison, the level that agreed and its match weight (log2 of
its Bayes factor).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from unweave.errors import ConfigError, UnweaveError

try:
    from unweave.resolve import model
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ConfigError(
        f"resolution needs Splink and DuckDB ({exc.name} is missing)",
        hint="pip install -e '.[resolve]'",
    ) from exc
from unweave.resolve.backends import Backend, get_backend
from unweave.resolve.compare.evidence import Evidence
from unweave.resolve.features import SCHEMA, feature_table
from unweave.resolve.records import PersonRecord

log = logging.getLogger(__name__)

# Decisions written on each pair, from surest to least sure.
IDENTIFIER = "identifier"  # linked by a shared identity document, name and date compatible
MATCH = "match"  # probability at or above the threshold, no contradiction
REVIEW = "review"  # uncertain, or contradicted: a person must judge
COMPARISONS: tuple[str, ...] = tuple(
    str(c.create_output_column_name()) for c in model.comparisons()
)


@dataclass(frozen=True)
class EngineConfig:
    threshold: float = 0.95  # at or above: MATCH
    review_threshold: float = 0.5  # at or above (and below threshold): REVIEW
    link_only: bool = False  # compare only records of different datasets
    u_max_pairs: float = 5e5
    # EM samples this many blocked pairs: at 1 million records the birth-date block holds
    # some 26 million, and half a million still hold thousands of true pairs to learn m.
    em_max_pairs: float | None = 5e5
    em_max_iterations: int = 25
    m_floor: float = 1e-3  # no trained level may weigh as a veto (floor_m_probabilities)
    prior_recall: float = 0.8  # recall assumed for the deterministic rules (prior)
    # Keep relatives and namesakes out of automatic matches (see decide()). Off only to
    # measure what the guards cost on benchmark data; never off for casework.
    guards: bool = True
    # Records per prediction slice: above this, pairs are scored in k x k slices of the
    # records (hash of the id), each slice joining only its own records' columns and
    # handing back only the columns kept here, so that memory follows the slice, not
    # the whole run (5 million records: 4 x 4 slices of 1.25 million).
    slice_records: int = 1_250_000
    # A run on another engine (Spark) trains its model on DuckDB, over at most this many
    # records drawn at random: Splink runs each step of EM and of the u sample as Spark
    # jobs, 91 % of a 100,000-record run on two local cores (418 of 460 s). The prior and
    # the m and u probabilities are ratios, which a random sample of records keeps.
    train_records: int = 2_000_000


@dataclass(frozen=True)
class ScoredPair:
    """One candidate pair, as judgements and the review queue will read it."""

    left_id: str
    right_id: str
    probability: float
    weight: float
    decision: str
    reason: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Resolution:
    """The outcome of one run: pairs above the review floor, with explanations."""

    pairs: pd.DataFrame
    timings: dict[str, float]
    engine: str
    trained: dict[str, Any] | None = None  # the model's parameters, JSON-able

    def matches(self) -> pd.DataFrame:
        """Pairs linked automatically (identifier or match decisions)."""
        return self.pairs[self.pairs["decision"].isin([IDENTIFIER, MATCH])]

    def review(self) -> pd.DataFrame:
        return self.pairs[self.pairs["decision"] == REVIEW]

    def scored_pairs(self) -> Iterator[ScoredPair]:
        for row in self.pairs.itertuples(index=False):
            data = row._asdict()
            evidence = [
                Evidence(
                    name,
                    _weight_score(data[f"mw_{name}"]),
                    f"{data[f'{name}_level']} (weight {float(data[f'mw_{name}']):+.1f})",
                    data[f"{name}_level"],
                )
                for name in COMPARISONS
                if data[f"{name}_level"] is not None
            ]
            yield ScoredPair(
                left_id=data["left_id"],
                right_id=data["right_id"],
                probability=float(data["match_probability"]),
                weight=float(data["match_weight"]),
                decision=data["decision"],
                reason=data["reason"],
                evidence=evidence,
            )


def _weight_score(weight: Any) -> float:
    """A match weight (log2 Bayes factor) as the probability it alone gives from even odds."""
    bf = 2.0 ** float(weight)
    return bf / (1.0 + bf)


class ResolutionEngine:
    """Splink behind a small interface; the backend decides where the SQL runs."""

    def __init__(self, engine: str | Backend = "duckdb", config: EngineConfig | None = None):
        self.backend = get_backend(engine) if isinstance(engine, str) else engine
        self.config = config or EngineConfig()
        self.trained: dict[str, Any] | None = None

    def resolve(
        self,
        records: Iterable[PersonRecord] | pd.DataFrame | pa.Table,
        trained: dict[str, Any] | None = None,
    ) -> Resolution:
        """Score every candidate pair among ``records`` (or their feature table).

        With ``trained`` (the ``Resolution.trained`` of an earlier run, plain JSON), the
        model is not trained again: its parameters are used as they are. That is how one
        model serves several runs, and how a model trained on DuckDB runs on Spark.
        """
        timings: dict[str, float] = {}
        start = time.perf_counter()
        if isinstance(records, pd.DataFrame):
            frame = pa.Table.from_pandas(records, schema=SCHEMA, preserve_index=False)
        elif isinstance(records, pa.Table):
            frame = records
        else:
            frame = feature_table(records)
        timings["features"] = time.perf_counter() - start
        if len(frame) < 2:
            return Resolution(_empty_pairs(), timings, self.backend.name, trained)
        try:
            raw = self._predict(frame, timings, trained)
        except UnweaveError:
            raise
        except Exception as exc:  # a failing query: say which engine and why
            raise UnweaveError(
                f"resolution failed on {self.backend.name}: {exc}",
                hint="run with --engine duckdb to compare, or report the query above",
            ) from exc
        start = time.perf_counter()
        pairs = decide(raw, self.config)
        timings["decide"] = time.perf_counter() - start
        return Resolution(pairs, timings, self.backend.name, self.trained)

    def _train(self, linker: Any) -> None:
        cfg = self.config
        rules: list[Any] = [model.blocking_rule(b, cfg.link_only) for b in model.DETERMINISTIC]
        linker.training.estimate_probability_two_random_records_match(
            rules, recall=cfg.prior_recall
        )
        # One chunk: Splink 5 samples u comparison by comparison, and ten chunks each would
        # plan the whole comparison again (more time than the pairs themselves).
        # The sample is a hash of the record ids (Splink 5): the same records every run.
        linker.training.estimate_u_using_random_sampling(max_pairs=cfg.u_max_pairs, num_chunks=1)
        for rule in model.TRAINING_BLOCKS:
            linker.training.estimate_parameters_using_expectation_maximisation(
                model.blocking_rule(rule, cfg.link_only),
                max_pairs=cfg.em_max_pairs,
                estimate_without_term_frequencies=True,
            )
        floor_m_probabilities(linker, cfg.m_floor)

    def _linker(self, table: Any) -> Any:
        from splink import Linker

        cfg = self.config
        settings = model.settings(cfg.link_only, cfg.em_max_iterations)
        return Linker(table, settings, log_level=logging.ERROR)

    def _trained_on_duckdb(self, frame: pa.Table) -> dict[str, Any]:
        """The model trained on DuckDB over the records, or a random sample of them."""
        cfg = self.config
        if len(frame) > cfg.train_records:
            rng = np.random.default_rng(0)  # the same sample every run of the same records
            frame = frame.take(np.sort(rng.choice(len(frame), cfg.train_records, replace=False)))
        linker = self._linker(get_backend("duckdb").register(frame))
        self._train(linker)
        return model_parameters(linker)

    def _predict(
        self, frame: pa.Table, timings: dict[str, float], trained: dict[str, Any] | None
    ) -> pd.DataFrame:
        cfg = self.config
        t = time.perf_counter()
        linker = self._linker(self.backend.register(frame))
        if trained is None and self.backend.name != "duckdb":
            trained = self._trained_on_duckdb(frame)
        if trained is None:
            self._train(linker)
        else:
            apply_parameters(linker, trained)
        timings["train"] = time.perf_counter() - t
        self.trained = model_parameters(linker)
        t = time.perf_counter()
        # Pairs under a low floor are dropped in the database (at 1 million records,
        # keeping every blocked pair costs a minute and 1.5 GB). A shared document weighs
        # about +16 on its own, so a pair sharing one, with a name and a birth date that
        # do not contradict, is always far above the floor and reaches decide().
        floor = min(cfg.review_threshold, 0.01)
        # Each level's weight names its level: the predictions need not carry the gamma
        # columns, and with them every compared column of both records (Splink keeps
        # gammas only beside the matching columns). Only where two levels of one
        # comparison weigh the same are the gammas (and those columns) read.
        labels = _labels_by_weight(linker)
        by_gamma = labels is None
        linker._settings_obj._retain_matching_columns = by_gamma
        if labels is None:
            labels = _level_labels(linker)
        code = "gamma" if by_gamma else "mw"
        keep = [
            "unique_id_l", "unique_id_r", "dataset_l", "dataset_r",
            "match_probability", "match_weight",
            *(f"mw_{n}" for n in COMPARISONS), *(f"gamma_{n}" for n in COMPARISONS if by_gamma),
            "match_key",
        ]  # fmt: skip
        k = prediction_slices(len(frame), cfg.slice_records)
        parts = []
        for left in range(1, k + 1):
            for right in range(1, k + 1):
                scored = linker.inference.predict_chunk(
                    left_chunk=(left, k), right_chunk=(right, k),
                    threshold_match_probability=floor, warning_mode="never",
                )  # fmt: skip
                kept = scored.query_sql(f"SELECT {', '.join(keep)} FROM {{this}}")
                scored.drop_table_from_database_and_remove_from_cache()
                parts.append(kept.as_pandas_dataframe())
                kept.drop_table_from_database_and_remove_from_cache()
                log.info(
                    "prediction slice %d x %d of %d: %d pairs", left, right, k, len(parts[-1])
                )
        raw = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        del parts
        timings["predict"] = time.perf_counter() - t
        for name in COMPARISONS:
            raw[f"{name}_level"] = raw[f"{code}_{name}"].map(labels[name])
        return raw


def prediction_slices(records: int, slice_records: int) -> int:
    """How many slices of the records each side of the pairs is cut into (1: none)."""
    return max(1, -(-records // max(1, slice_records)))


def floor_m_probabilities(linker: Any, floor: float) -> None:
    """Raise every trained m to ``floor``: a level EM never saw among matches in this data
    (a similar address where duplicates copied it exactly) is not proof of a non-match,
    and m = 0 would make it a veto of -30 or worse."""
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            if level.is_null_level or level.m_probability is None:
                continue
            if level.m_probability < floor:
                level.m_probability = floor


def model_parameters(linker: Any) -> dict[str, Any]:
    """The trained parameters: the prior, and m and u of every non-null level."""
    settings = linker._settings_obj
    levels = {
        str(c.output_column_name): [
            [lvl.m_probability, lvl.u_probability]
            for lvl in c.comparison_levels
            if not lvl.is_null_level
        ]
        for c in settings.comparisons
    }
    return {"prior": settings._probability_two_random_records_match, "levels": levels}


class StaleModel(UnweaveError):
    """A saved model trained for other comparisons (the code changed since)."""


def apply_parameters(linker: Any, trained: dict[str, Any]) -> None:
    """Set parameters saved by ``model_parameters`` on a fresh linker of the same model."""
    settings = linker._settings_obj
    settings._probability_two_random_records_match = trained["prior"]
    for comparison in settings.comparisons:
        saved = trained["levels"].get(str(comparison.output_column_name))
        levels = [lvl for lvl in comparison.comparison_levels if not lvl.is_null_level]
        if saved is None or len(saved) != len(levels):
            raise StaleModel(
                f"saved model does not fit comparison {comparison.output_column_name!r}",
                hint="train again: the comparison levels have changed since it was saved",
            )
        for level, (m, u) in zip(levels, saved, strict=True):
            level.m_probability, level.u_probability = m, u


def _level_labels(linker: Any) -> dict[str, dict[int, str | None]]:
    """gamma value -> level label, per comparison (None for the null level)."""
    out: dict[str, dict[int, str | None]] = {}
    for comparison in linker._settings_obj.comparisons:
        levels: dict[int, str | None] = {}
        for level in comparison.comparison_levels:
            levels[level.comparison_vector_value] = (
                None if level.is_null_level else level.label_for_charts
            )
        out[str(comparison.output_column_name)] = levels
    return out


def _labels_by_weight(linker: Any) -> dict[str, dict[Any, str | None]] | None:
    """match weight -> level label, per comparison (None for the null level), as Splink
    writes the weights into its SQL; None when two levels of a comparison weigh the same."""
    out: dict[str, dict[Any, str | None]] = {}
    for comparison in linker._settings_obj.comparisons:
        levels: dict[Any, str | None] = {}
        for level in comparison.comparison_levels:
            weight = level._match_weight
            if weight is None or weight in levels:
                return None
            levels[weight] = None if level.is_null_level else level.label_for_charts
        out[str(comparison.output_column_name)] = levels
    return out


def _empty_pairs() -> pd.DataFrame:
    cols = ["left_id", "right_id", "match_probability", "match_weight", "decision", "reason"]
    cols += [f"{n}_level" for n in COMPARISONS] + [f"mw_{n}" for n in COMPARISONS]
    return pd.DataFrame(columns=cols)


# The comparisons that establish who a person is beyond the name.
NAME_ONLY_UNCOMPARED = ("birth_date", "document", "phone", "email", "address")


CROSSING_NOT_COUNTED = f"{model.CROSSED_BACK} (not counted: other details contradict)"


def _probability(weight: pd.Series) -> pd.Series:
    """Match probabilities of match weights (log2 odds, the prior included)."""
    return 1 / (1 + np.exp2(-weight))


def _discount_crossings(raw: pd.DataFrame, contradicted: pd.Series) -> pd.DataFrame:
    """A crossing back counts only where nothing contradicts. Relatives or namesakes of
    one name travel the same route in the same weeks, each on their own passport (a
    father and son, both Ivan Kravchenko, scenario seed 1): with the trip counted, two
    passports would make one person. Such pairs are scored without it."""
    hit = contradicted & (raw["travel_level"] == model.CROSSED_BACK)
    if not hit.any():
        return raw
    raw = raw.copy()
    weight = raw.loc[hit, "match_weight"] - raw.loc[hit, "mw_travel"]
    raw.loc[hit, "match_weight"] = weight
    raw.loc[hit, "match_probability"] = _probability(weight)
    raw.loc[hit, "mw_travel"] = 0.0
    raw.loc[hit, "travel_level"] = CROSSING_NOT_COUNTED
    return raw


TORN = "crossed back with two records that contradict each other: for a person to judge"


def _torn(raw: pd.DataFrame, carried: pd.Series, contradicted: pd.Series) -> pd.Series:
    """Which ``carried`` pairs (matches that rest on a crossing back) belong to a record
    carried so to two partners that are held apart."""
    torn = pd.Series(False, index=raw.index)
    if carried.sum() < 2:
        return torn
    links = raw.loc[carried, ["unique_id_l", "unique_id_r"]]
    ends = pd.concat(
        [
            pd.DataFrame({"x": links.unique_id_l, "y": links.unique_id_r, "row": links.index}),
            pd.DataFrame({"x": links.unique_id_r, "y": links.unique_id_l, "row": links.index}),
        ]
    )
    ends = ends[ends.duplicated("x", keep=False)]
    both = ends.merge(ends, on="x", suffixes=("_1", "_2"))
    both = both[both.y_1 < both.y_2]
    if both.empty:
        return torn
    # Held apart: the two partners contradict each other, or their pair scored under the
    # floor the database drops pairs at (a birth date and a passport that differ).
    scored = set(zip(raw.unique_id_l, raw.unique_id_r, strict=True))
    against = raw.loc[contradicted, ["unique_id_l", "unique_id_r"]]
    held = set(zip(against.unique_id_l, against.unique_id_r, strict=True))
    apart = [
        (a, b) in held or (b, a) in held or ((a, b) not in scored and (b, a) not in scored)
        for a, b in zip(both.y_1, both.y_2, strict=True)
    ]
    hits = both[np.array(apart, dtype=bool)]
    torn[torn.index.isin(set(hits.row_1) | set(hits.row_2))] = True
    return torn


def decide(raw: pd.DataFrame, config: EngineConfig) -> pd.DataFrame:
    """Write a decision and a reason on each pair; drop pairs below the review floor."""
    contradicted = pd.Series(False, index=raw.index)
    for column, labels in model.CONTRADICTIONS.items():
        contradicted |= raw[column].isin(labels)
    raw = _discount_crossings(raw, contradicted)
    name, dob, doc = raw["name_level"], raw["birth_date_level"], raw["document_level"]
    names_disagree = name.isin(model.NAME_WEAK)
    dates_disagree = dob.isin(model.DOB_DIFFERENT)
    doc_same = doc == model.DOC_SAME
    doc_close = doc_same | doc.isin(model.DOC_CLOSE)
    doc_near = doc_close | (doc == model.DOC_NEAR)
    identifier = doc_same & ~names_disagree & ~dates_disagree
    # Relatives share phones and addresses, never an identity document: a shared document
    # with a compatible birth date lets the score decide despite other names (aliases,
    # typos); a shared document also excuses a birth-date error.
    excused = doc_same | (doc_close & ~dates_disagree)
    blocked = (names_disagree & ~excused) | (dates_disagree & ~doc_near)
    if not config.guards:
        blocked = pd.Series(False, index=raw.index)
    # The same whole name and a shared address or phone, nothing contradicting: two
    # independent details. Relatives share the address or phone under another given name;
    # namesakes share the name, not the home or the phone. A father and son of one name
    # under one roof differ in birth date, which contradicts when both records give one.
    contact = raw["address_level"].isin(model.SHARED_CONTACT) | raw["phone_level"].isin(
        model.SHARED_CONTACT
    )
    # A contact saved under part of the name ("Mihai", the Vietnamese given name "Tiến
    # Đạt") on a phone that no record of the run gives under another name (not a
    # household's, not an exploiter's).
    personal = raw["phone_level"] == model.SHARED_CONTACT[0]
    inside = name.isin((model.ONE_WORD_INSIDE, model.NAME_INSIDE))
    name_and_contact = (
        ((name.isin(model.NAME_SAME) & contact) | (inside & personal))
        & ~contradicted
        & ~identifier
    )
    # The same whole name and nothing else to compare (no birth date, document, phone,
    # e-mail or address on one side or the other), nothing contradicting: a coin toss in
    # these data (scenario seed 1: 604 true of 1,275, scored 0.22-0.48). Never a link
    # (namesakes), but a person with the case file may know: to the review queue.
    name_only = (
        name.isin(model.NAME_SAME)
        & raw[[f"{c}_level" for c in NAME_ONLY_UNCOMPARED]].isna().all(axis=1)
        & (raw["travel_level"] != model.CROSSED_BACK)
        & ~contradicted
    )
    prob = raw["match_probability"]
    decision = np.select(
        [
            identifier,
            ~blocked & ((prob >= config.threshold) | name_and_contact),
            (prob >= config.review_threshold) | name_only,
        ],
        [IDENTIFIER, MATCH, REVIEW],
        default="",
    )
    reason = np.select(
        [
            identifier,
            name_only & (prob < config.review_threshold),
            name_and_contact & (prob < config.threshold),
            blocked & names_disagree & dates_disagree,
            blocked & names_disagree,
            blocked & dates_disagree,
            prob >= config.threshold,
        ],
        [
            "same identity document, compatible name and birth date",
            "same whole name and nothing else to compare: for a person to judge",
            "same whole name and a shared address or phone, or one word of the name and a"
            " phone no record gives another name; nothing contradicting",
            "names and birth dates disagree (relatives or namesakes?)",
            "names disagree: shared details alone do not make one person (relatives?)",
            "same name, other birth date (namesakes?)",
            "probability above the threshold",
        ],
        default="uncertain",
    )
    # A record that crossed back with two records which contradict each other (a father
    # and son of one name, out and home in the same weeks) is one of them or neither:
    # for a person to judge, not a link to both.
    without_trip = _probability(raw["match_weight"] - raw["mw_travel"])
    carried = (
        (decision == MATCH)
        & (raw["travel_level"] == model.CROSSED_BACK)
        & (without_trip < config.threshold)
        & ~name_and_contact
    )
    torn = _torn(raw, carried, contradicted)
    decision = np.where(torn, REVIEW, decision)
    reason = np.where(torn, TORN, reason)
    out = raw.assign(decision=decision, reason=reason)
    out = out[out["decision"] != ""].rename(
        columns={"unique_id_l": "left_id", "unique_id_r": "right_id"}
    )
    out = out.drop(columns=[f"gamma_{n}" for n in COMPARISONS], errors="ignore")
    return out.sort_values("match_probability", ascending=False).reset_index(drop=True)
