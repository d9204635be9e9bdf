"""Feature functions: each compares one kind of value and says why, in one sentence."""

from unweave.resolve.compare.assets import (
    compare_bank_accounts,
    compare_org_names,
    compare_plates,
    compare_registration,
)
from unweave.resolve.compare.contact import compare_addresses, compare_emails, compare_phones
from unweave.resolve.compare.dates import compare_birth_dates
from unweave.resolve.compare.documents import compare_documents
from unweave.resolve.compare.evidence import Evidence
from unweave.resolve.compare.names import compare_name, compare_names
from unweave.resolve.compare.person import blocking_reasons, compare_persons
from unweave.resolve.compare.travel import compare_crossings
from unweave.resolve.compare.weak import compare_gender, compare_nationalities

__all__ = [
    "Evidence",
    "blocking_reasons",
    "compare_addresses",
    "compare_bank_accounts",
    "compare_birth_dates",
    "compare_crossings",
    "compare_documents",
    "compare_emails",
    "compare_gender",
    "compare_name",
    "compare_names",
    "compare_nationalities",
    "compare_org_names",
    "compare_persons",
    "compare_phones",
    "compare_plates",
    "compare_registration",
]
