"""Identity documents: number, type and issuing country, with one-character typos."""

from __future__ import annotations

from itertools import product

from rigour.text import levenshtein

from unweave.resolve.compare.evidence import Evidence, missing
from unweave.resolve.records import Document, doc_number

FEATURE = "document"


def _same_kind(a: Document, b: Document) -> bool:
    return a.type == b.type and (a.country is None or b.country is None or a.country == b.country)


def compare_document(a: Document, b: Document) -> Evidence:
    na, nb = doc_number(a.number), doc_number(b.number)
    if not na or not nb:
        return missing(FEATURE, "document number")
    where = f" issued by {(a.country or b.country or '?').upper()}"
    if na == nb:
        if a.country and b.country and a.country != b.country:
            return Evidence(
                FEATURE,
                0.5,
                f"number {na} on documents of {a.country.upper()} and {b.country.upper()}",
                "weak",
            )
        return Evidence(FEATURE, 1.0, f"same {a.type} number {na}{where}", "exact")
    if _same_kind(a, b) and len(na) >= 6 and levenshtein(na, nb) == 1:
        return Evidence(
            FEATURE, 0.7, f"{a.type} numbers {na} and {nb} differ by one character", "likely"
        )
    if _same_kind(a, b):
        return Evidence(
            FEATURE, 0.2, f"different {a.type} numbers {na} and {nb}{where}", "different"
        )
    return missing(FEATURE, "document of the same type")


def compare_documents(left: list[Document], right: list[Document]) -> Evidence:
    """The best agreement over all document pairs (a person may hold several)."""
    if not left or not right:
        return missing(FEATURE, "identity document")
    found = [compare_document(a, b) for a, b in product(left, right)]
    return max(found, key=lambda e: (e.level != "missing", e.score))
