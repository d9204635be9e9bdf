"""The Splink model for persons: comparisons as levels on the derived columns, and blocking.

Every level reads columns made by ``features.py``; the SQL is written for DuckDB and
translated by Splink (sqlglot) for Spark. Level labels are what reviewers read, so each
says in words what agreed.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
from splink import SettingsCreator
from splink.comparison_library import CustomComparison
from splink.internals.column_expression import ColumnExpression
from splink.internals.comparison_level_creator import ComparisonLevelCreator

# Labels the guards look for (engine.py); keep them in sync with the levels below.
NAME_WEAK = ("one name token shared", "names differ")
DOB_CLOSE = ("one digit apart", "two digits apart or swapped")
DOB_DIFFERENT = ("same birth year, other day", "birth dates differ")
DOC_SAME = "same document number and country"
# Adjacent characters swapped is a typing error; one character changed may also be a
# relative's passport issued the same day (consecutive numbers), so it excuses less.
# One character changed before the last two is a typing error too: a passport issued the
# same day to a relative has the same number up to its last digits (...129, ...130).
DOC_CLOSE = (
    "same document number",
    "document numbers with two characters swapped",
    "document numbers one character apart, not at the end",
)
DOC_NEAR = "document numbers one character apart"
# The whole name the same (every word, spelling variants, another romanisation), and a
# shared address or phone: see engine.decide().
NAME_SAME = ("same name or spelling variants", "same name in another romanisation")
ONE_WORD_INSIDE = "a one-word name inside the other"
NAME_INSIDE = "one name inside the other"  # two words or more of the name, none other
SHARED_CONTACT = (
    "shared phone no record gives another name",
    "shared phone (relatives share them)",
    "shared address (relatives share them)",
)
CROSSED_BACK = "a crossing back the other way within about a month"
CONTRADICTIONS = {
    "birth_date_level": DOB_DIFFERENT,
    "document_level": ("different document numbers",),
    "gender_level": ("different gender",),
    "address_level": ("different addresses",),
}


def _custom(sql: str, label: str) -> cll.CustomLevel:
    return cll.CustomLevel(sql, label, base_dialect_str="duckdb")


class Overlap(ComparisonLevelCreator):
    """The two arrays share an element: ``list_has_any`` (DuckDB) or ``arrays_overlap``
    (Spark), several times cheaper than counting an intersection. Every pair scored (the
    u sample, each candidate pair) evaluates the levels down to its own, so cheap levels
    are what makes a million records take seconds, not minutes. With ``right_col``, the
    left record's ``col_name`` against the right record's ``right_col``."""

    def __init__(self, col_name: str, right_col: str | None = None) -> None:
        self.col_name = col_name
        self.right_col = right_col or col_name

    def create_sql(self, sql_dialect: Any) -> str:
        left = ColumnExpression.instantiate_if_str(self.col_name)
        right = ColumnExpression.instantiate_if_str(self.right_col)
        left.sql_dialect = right.sql_dialect = sql_dialect
        fn = "arrays_overlap" if sql_dialect.sql_dialect_str == "spark" else "list_has_any"
        return f"{fn}({left.name_l}, {right.name_r})"

    def create_label_for_charts(self) -> str:
        return f"{self.col_name} share an element"


def _overlap(col: str, label: str) -> ComparisonLevelCreator:
    return Overlap(col).configure(label_for_charts=label)


def _guarded(guard: ComparisonLevelCreator, level: ComparisonLevelCreator, label: str) -> Any:
    """``level`` behind a cheap condition it implies: the database skips the costly test
    (an edit distance, a subset) for the pairs the guard already rules out."""
    return cll.And(guard, level).configure(label_for_charts=label)


# Well-formed dates ('1985', '1985-03', '1985-03-02') one or two edits apart keep at least
# one part, or are month precision.
_DATE_PART_KEPT = _custom(
    "birth_year_l = birth_year_r OR birth_month_l = birth_month_r"
    " OR birth_day_l = birth_day_r OR birth_day_l IS NULL",
    "a date part in common",
)
# Strings of four or more characters one edit or swap apart share their first two or their
# last two characters.
_DOC_ENDS_KEPT = _custom(
    "substr(doc_number_l, 1, 2) = substr(doc_number_r, 1, 2)"
    " OR substr(doc_number_l, -2) = substr(doc_number_r, -2)",
    "same first or last two characters",
)


# Name parts: first and last of the sorted tokens, canonical (variants unified) and as
# written in Latin (a typo in a variant spelling: "Michal" is not "Mikhail").
NAME_PARTS = (("name_part_a", "name_part_b"), ("name_lpart_a", "name_lpart_b"))


def _all_parts_similar(a: str, b: str) -> ComparisonLevelCreator:
    return cll.And(
        cll.JaroWinklerLevel(a, 0.88),
        cll.JaroWinklerLevel(b, 0.88),
        cll.Not(cll.ExactMatchLevel(a)),
        cll.Not(cll.ExactMatchLevel(b)),
    )


def _one_part_typo(a: str, b: str) -> ComparisonLevelCreator:
    return cll.And(
        cll.JaroWinklerLevel(a, 0.88),
        cll.JaroWinklerLevel(b, 0.88),
        cll.Or(cll.LevenshteinLevel(a, 2), cll.LevenshteinLevel(b, 2)),
    )


def _one_letter_off(same: str, other_l: str, other_r: str) -> str:
    return (
        f"{same} AND levenshtein({other_l}, {other_r}) <= 1"
        f" AND least(length({other_l}), length({other_r})) >= 4"
    )


# One name part the same and the other one letter off, the parts taken in either order:
# a typo that changes a part's first letter ("BIANCHI aura", "OBASEKI Arincess") also
# changes which part sorts first. Levenshtein, not Jaro-Winkler: a letter changed inside a
# short word (HALL / HPLL) or a long one (CONSTANTIN / CODSTANTIN) stays under 0.88.
_PART_ONE_LETTER_OFF = " OR ".join(
    "(" + _one_letter_off(f"name_part_{x}_l = name_part_{y}_r", f"name_part_{o}_l",
                          f"name_part_{p}_r") + ")"
    for x, y, o, p in (("a", "a", "b", "b"), ("b", "b", "a", "a"),
                       ("a", "b", "b", "a"), ("b", "a", "a", "b"))
)  # fmt: skip


def name_comparison() -> CustomComparison:
    return CustomComparison(
        output_column_name="name",
        comparison_description="person names across scripts and spellings",
        comparison_levels=[
            cll.NullLevel("name_canon"),
            # The exact levels look at every name of both records (aliases, spellings).
            # A spelling variant (Mohamed / Muhammad) is as much the same name as the same
            # letters: one level, or EM, seeing namesakes with identical names, would
            # learn that a variant spelling speaks less for one person than a namesake's.
            _overlap("name_canons", NAME_SAME[0]),
            _overlap("name_skels", "same consonant skeleton"),
            _overlap("name_folds", NAME_SAME[1]),
            # Arabic names in Latin letters against Arabic script or another romanisation:
            # Qadhafi, AL-GADDAFI and القذافي, Magarief and المقريف (q = g = k, dh = d).
            _overlap("name_askels", "same consonants as Arabic names are romanised"),
            _guarded(
                Overlap("name_tokens"),
                cll.And(
                    cll.ArrayIntersectLevel("name_tokens", 2),
                    cll.ArraySubsetLevel("name_tokens"),
                ),
                NAME_INSIDE,
            ),
            # A name written with one word only ("Webb", a contact saved as "Mihai") inside
            # the other: a missing word, not a contradiction, and weaker than two words.
            _guarded(Overlap("name_tokens"), cll.ArraySubsetLevel("name_tokens"), ONE_WORD_INSIDE),
            cll.ExactMatchLevel("name_phon").configure(label_for_charts="names sound alike"),
            # Each part close on its own: a shared family name with a merely similar given
            # name (Mario / Maria) must not pass as one similar string.
            cll.Or(*(_all_parts_similar(a, b) for a, b in NAME_PARTS)).configure(
                label_for_charts="every name part similar"
            ),
            cll.Or(
                *(_one_part_typo(a, b) for a, b in NAME_PARTS),
                cll.And(Overlap("name_tokens"), _custom(_PART_ONE_LETTER_OFF, "one letter off")),
            ).configure(label_for_charts="one name part with a typo"),
            # The same given name under another family name: a name taken at marriage or
            # an alias; siblings share the family name instead (they stay in NAME_WEAK).
            cll.And(
                Overlap("name_given"),
                cll.Not(Overlap("name_family")),
            ).configure(label_for_charts="same given name, other family name"),
            _overlap("name_tokens", NAME_WEAK[0]),
            cll.ElseLevel().configure(label_for_charts=NAME_WEAK[1]),
        ],
    )


def birth_date_comparison() -> CustomComparison:
    return CustomComparison(
        output_column_name="birth_date",
        comparison_description="birth dates at any precision",
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("dob").configure(label_for_charts="same birth date"),
            _custom(
                "birth_year_l = birth_year_r AND birth_month_l = birth_day_r "
                "AND birth_day_l = birth_month_r",
                "day and month swapped",
            ),
            _custom(
                "birth_year_l = birth_year_r AND (birth_month_l IS NULL OR birth_month_r IS NULL"
                " OR (birth_month_l = birth_month_r "
                "AND (birth_day_l IS NULL OR birth_day_r IS NULL)))",
                "birth dates agree as far as known",
            ),
            _guarded(_DATE_PART_KEPT, cll.LevenshteinLevel("dob", 1), DOB_CLOSE[0]),
            _guarded(_DATE_PART_KEPT, cll.DamerauLevenshteinLevel("dob", 2), DOB_CLOSE[1]),
            cll.ExactMatchLevel("birth_year").configure(label_for_charts=DOB_DIFFERENT[0]),
            cll.ElseLevel().configure(label_for_charts=DOB_DIFFERENT[1]),
        ],
    )


def document_comparison() -> CustomComparison:
    return CustomComparison(
        output_column_name="document",
        comparison_description="identity document numbers, type and issuing country",
        comparison_levels=[
            cll.NullLevel("doc_number"),
            _overlap("doc_keys", DOC_SAME),
            _overlap("doc_numbers", DOC_CLOSE[0]),
            cll.And(
                _DOC_ENDS_KEPT,
                cll.DamerauLevenshteinLevel("doc_number", 1),
                cll.Not(cll.LevenshteinLevel("doc_number", 1)),
                _custom("length(doc_number_l) >= 6", "long enough"),
            ).configure(label_for_charts=DOC_CLOSE[1]),
            cll.And(
                _DOC_ENDS_KEPT,
                cll.LevenshteinLevel("doc_number", 1),
                _custom(
                    "length(doc_number_l) >= 6 AND length(doc_number_l) = length(doc_number_r)"
                    " AND substr(doc_number_l, 1, length(doc_number_l) - 2)"
                    " <> substr(doc_number_r, 1, length(doc_number_r) - 2)",
                    "changed before the last two characters",
                ),
            ).configure(label_for_charts=DOC_CLOSE[2]),
            cll.And(
                _DOC_ENDS_KEPT,
                cll.LevenshteinLevel("doc_number", 1),
                _custom("length(doc_number_l) >= 6", "long enough"),
            ).configure(label_for_charts=DOC_NEAR),
            cll.ElseLevel().configure(label_for_charts="different document numbers"),
        ],
    )


def _not_a_veto(label: str, m: float, u: float) -> ComparisonLevelCreator:
    """A fixed, mild "different" level. People change phones and move: if EM saw no
    true pair with different phones it would learn m = 0, a veto of about -18."""
    return cll.ElseLevel().configure(
        label_for_charts=label, m_probability=m, u_probability=u,
        fix_m_probability=True, fix_u_probability=True,
    )  # fmt: skip


def _shared(col: str, array_col: str, label: str, other: str) -> CustomComparison:
    return CustomComparison(
        output_column_name=col,
        comparison_levels=[
            cll.NullLevel(array_col),
            _overlap(array_col, label),
            _not_a_veto(other, 0.3, 0.999),
        ],
    )


def phone_comparison() -> CustomComparison:
    return CustomComparison(
        output_column_name="phone",
        comparison_levels=[
            cll.NullLevel("phones"),
            _overlap("phones_personal", SHARED_CONTACT[0]),
            _overlap("phones", SHARED_CONTACT[1]),
            _not_a_veto("different phones", 0.3, 0.999),
        ],
    )


def address_comparison() -> CustomComparison:
    return CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.NullLevel("address"),
            _overlap("address_keys", SHARED_CONTACT[2]),
            cll.JaroWinklerLevel("address", 0.9).configure(label_for_charts="similar address"),
            _guarded(
                Overlap("address_tokens"),
                cll.ArrayIntersectLevel("address_tokens", 4),
                "four or more address words shared",
            ),
            _guarded(
                Overlap("address_tokens"),
                cll.ArrayIntersectLevel("address_tokens", 2),
                "two or three address words shared",
            ),
            _not_a_veto("different addresses", 0.4, 0.95),
        ],
    )


def travel_comparison() -> CustomComparison:
    """A border crossing back the other way within about a month (compare/travel.py):
    a trip out and the trip home, often recorded with a name only."""
    return CustomComparison(
        output_column_name="travel",
        comparison_description="border crossings",
        comparison_levels=[
            cll.NullLevel("trip_legs"),
            Overlap("trip_returns", "trip_legs").configure(label_for_charts=CROSSED_BACK),
            # Two trips of one person months apart are as likely as two people's.
            _not_a_veto("crossings, none back the other way within a month", 0.6, 0.99),
        ],
    )


def weak_comparisons() -> list[CustomComparison]:
    """Gender and nationality with fixed, small Bayes factors (design rule 4)."""
    return [
        CustomComparison(
            output_column_name="gender",
            comparison_levels=[
                cll.NullLevel("gender"),
                cll.ExactMatchLevel("gender").configure(
                    label_for_charts="same gender",
                    m_probability=0.95,
                    u_probability=0.5,
                    fix_m_probability=True,
                    fix_u_probability=True,
                ),
                cll.ElseLevel().configure(
                    label_for_charts="different gender",
                    m_probability=0.05,
                    u_probability=0.5,
                    fix_m_probability=True,
                    fix_u_probability=True,
                ),
            ],
        ),
        CustomComparison(
            output_column_name="nationality",
            comparison_levels=[
                cll.NullLevel("nationalities"),
                Overlap("nationalities").configure(
                    label_for_charts="a nationality in common (weak)",
                    m_probability=0.6,
                    u_probability=0.4,
                    fix_m_probability=True,
                    fix_u_probability=True,
                ),
                cll.ElseLevel().configure(
                    label_for_charts="no nationality in common (weak)",
                    m_probability=0.4,
                    u_probability=0.6,
                    fix_m_probability=True,
                    fix_u_probability=True,
                ),
            ],
        ),
    ]


def comparisons() -> list[CustomComparison]:
    return [
        name_comparison(),
        birth_date_comparison(),
        document_comparison(),
        phone_comparison(),
        _shared("email", "emails", "shared e-mail", "different e-mails"),
        address_comparison(),
        travel_comparison(),
        *weak_comparisons(),
    ]


# Blocking: which pairs are compared at all. Each rule is cheap equality on a derived key.
PREDICTION_BLOCKS = (
    "l.name_canon = r.name_canon",
    "l.name_skel = r.name_skel AND l.birth_year = r.birth_year",
    "l.doc_number = r.doc_number",
    # Same birth date with a name or address that only starts alike (typos). (The same
    # with a document's first three characters added pairs and no true one on Febrl4,
    # the scenario or the synthetic people: dropped.) The name's skeleton must start with
    # the same two letters, not one: with one, a birth date's block grows with the square
    # of the population (91 million pairs at 5 million records against 28 with two). A
    # typo in the second letter is met by the first and the last letter agreeing.
    "l.dob = r.dob AND substr(l.name_skel, 1, 2) = substr(r.name_skel, 1, 2)",
    "l.dob = r.dob AND substr(l.name_skel, 1, 1) = substr(r.name_skel, 1, 1)"
    " AND right(l.name_skel, 1) = right(r.name_skel, 1)",
    "l.dob = r.dob AND substr(l.address, 1, 4) = substr(r.address, 1, 4)",
    "l.phone = r.phone",
    "l.name_first = r.name_first AND l.address = r.address",
    "l.name_fold = r.name_fold",
    # A given or family name, a document number and an address that start alike (a typo
    # in the document and in the other name). Without the address, a common given name
    # (Mohammed) and a document series ("P123") make a block that grows with the square of
    # the population: 64,000 pairs at 200,000 records, some 34 million at 5 million, for
    # no true pair that another rule does not find (3,600 with the address, none lost on
    # Febrl4 or the synthetic people).
    "l.name_first = r.name_first AND substr(l.doc_number, 1, 4) = substr(r.doc_number, 1, 4)"
    " AND substr(l.address, 1, 4) = substr(r.address, 1, 4)",
    # Same birth date and one name part alike, however the rest is spelt (EIIGIE / EHIGIE).
    "l.dob = r.dob AND l.name_part_a = r.name_part_a",
    "l.dob = r.dob AND l.name_part_b = r.name_part_b",
    # The same across the parts: a typo in the first letter reorders them (SMITH Jophie /
    # Sophie Smith).
    "l.dob = r.dob AND l.name_part_a = r.name_part_b",
    "l.dob = r.dob AND l.name_part_b = r.name_part_a",
    # Arabic names across scripts and romanisations (AL-GADDAFI / القذافي), same birth year.
    "l.name_askel = r.name_askel AND l.birth_year = r.birth_year",
    # A trip out and the trip home under spellings of one name (Khadija / Khadiaj
    # Tarhuni) on border records without a birth date.
    "l.name_skel = r.name_skel AND l.trip_route = r.trip_route",
)
TRAINING_BLOCKS = ("l.dob = r.dob", "l.name_canon = r.name_canon")
DETERMINISTIC = ("l.doc_number = r.doc_number", "l.name_canon = r.name_canon AND l.dob = r.dob")


def blocking_rule(sql: str, link_only: bool) -> str:
    return f"({sql}) AND l.dataset <> r.dataset" if link_only else sql


def settings(link_only: bool = False, max_iterations: int = 25) -> SettingsCreator:
    """Dedupe over all records (agencies are a column); ``link_only`` skips in-dataset pairs."""
    kwargs: dict[str, Any] = {
        "link_type": "dedupe_only",
        "max_iterations": max_iterations,
        "comparisons": comparisons(),
        "blocking_rules_to_generate_predictions": [
            blocking_rule(b, link_only) for b in PREDICTION_BLOCKS
        ],
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": False,  # the engine reads levels from weights
        "additional_columns_to_retain": ["dataset"],
    }
    return SettingsCreator(**kwargs)
