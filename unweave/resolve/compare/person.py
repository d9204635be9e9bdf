"""All features on a pair of person records, and the guards that keep people apart."""

from __future__ import annotations

from unweave.resolve.compare.contact import compare_addresses, compare_emails, compare_phones
from unweave.resolve.compare.dates import compare_birth_dates
from unweave.resolve.compare.documents import compare_documents
from unweave.resolve.compare.evidence import Evidence
from unweave.resolve.compare.names import compare_names
from unweave.resolve.compare.travel import compare_crossings
from unweave.resolve.compare.weak import compare_gender, compare_nationalities
from unweave.resolve.records import PersonRecord


def compare_persons(a: PersonRecord, b: PersonRecord) -> list[Evidence]:
    """Every feature's evidence on the pair, names first."""
    return [
        compare_names(a.names, b.names),
        compare_birth_dates(a.birth_dates, b.birth_dates),
        compare_documents(a.documents, b.documents),
        compare_phones(a.phones, b.phones),
        compare_emails(a.emails, b.emails),
        compare_addresses(a.addresses, b.addresses),
        compare_gender(a.gender, b.gender),
        compare_nationalities(a.nationalities, b.nationalities),
        compare_crossings(a.crossings, b.crossings),
    ]


def blocking_reasons(evidence: list[Evidence]) -> list[str]:
    """Why this pair must not be merged automatically, whatever else agrees.

    Relatives share phones and addresses but not first names or birth dates; namesakes
    share a name but not a birth date. Either contradiction keeps the pair apart (it can
    still go to a person for review).
    """
    by = {e.feature: e for e in evidence}
    out = []
    if by["name"].level in ("weak", "different"):
        out.append(f"names disagree: {by['name'].reason}")
    if by["birth_date"].level == "different":
        out.append(f"birth dates disagree: {by['birth_date'].reason}")
    return out
