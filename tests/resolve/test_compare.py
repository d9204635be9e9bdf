from unweave.resolve.compare import (
    blocking_reasons,
    compare_addresses,
    compare_bank_accounts,
    compare_birth_dates,
    compare_documents,
    compare_emails,
    compare_gender,
    compare_nationalities,
    compare_org_names,
    compare_persons,
    compare_phones,
    compare_plates,
    compare_registration,
)
from unweave.resolve.records import Document

from .conftest import person


def test_birth_dates_precision_swap_typo_and_difference():
    assert compare_birth_dates(["1985-03-02"], ["1985-03-02"]).level == "exact"
    assert compare_birth_dates(["1985"], ["1985-03-02"]).level == "likely"
    assert compare_birth_dates(["1985-03"], ["1985-03-02"]).level == "likely"
    swap = compare_birth_dates(["1985-03-02"], ["1985-02-03"])
    assert swap.level == "strong" and "swapped" in swap.reason
    assert compare_birth_dates(["1985-03-02"], ["1985-03-12"]).level == "likely"  # one digit
    assert compare_birth_dates(["1985-04"], ["1985-03-02"]).level == "different"
    assert compare_birth_dates(["1979-02-14"], ["1991-09-23"]).level == "different"
    assert compare_birth_dates([], ["1985"]).level == "missing"


def test_documents_number_country_type_and_typos():
    p = Document("ER1234567", "passport", "er")
    assert compare_documents([p], [Document("er 123-4567", "passport", "er")]).level == "exact"
    assert compare_documents([p], [Document("ER1234568", "passport", "er")]).level == "likely"
    other_country = compare_documents([p], [Document("ER1234567", "passport", "et")])
    assert other_country.level == "weak"
    assert compare_documents([p], [Document("ER7654321", "passport", "er")]).level == "different"
    assert compare_documents([p], [Document("ZZ1", "id", "it")]).level == "missing"
    assert compare_documents([], [p]).level == "missing"


def test_phones_in_any_writing_are_one_but_only_evidence():
    ev = compare_phones(["+218 91 234 5678"], ["00218912345678"])
    assert ev.level == "strong" and "+218912345678" in ev.reason and "relatives" in ev.reason
    assert compare_phones(["0912345678"], ["+218912345678"], region="LY").level == "strong"
    assert ev.score < 0.95  # never identity on its own
    assert compare_phones(["+218912345678"], ["+393331234567"]).level == "weak"
    assert compare_phones([], ["+218912345678"]).level == "missing"


def test_emails_and_addresses():
    assert compare_emails(["A@x.org"], ["a@x.org "]).level == "strong"
    assert compare_addresses(["Via Roma 12, Palermo"], ["12 via roma palermo"]).level == "strong"
    assert compare_addresses(["Via Roma 12, Palermo"], ["Via Roma 12 Palermmo"]).level == "likely"
    assert compare_addresses(["Via Roma 12"], ["High Street 3, Leeds"]).level == "weak"


def test_nationality_and_gender_stay_weak():
    shared = compare_nationalities(["ly"], ["ly", "tn"])
    assert shared.level == "weak" and 0.5 < shared.score <= 0.6
    assert compare_nationalities(["ly"], ["er"]).score >= 0.4
    assert compare_gender("male", "male").score <= 0.6
    assert compare_gender("male", "female").level == "different"


def test_organisations_registration_accounts_and_plates():
    assert compare_org_names("Sahara Travel S.R.L.", "SAHARA TRAVEL srl").level == "exact"
    assert compare_org_names("Sahara Travel Ltd", "Sahara Travel GmbH").level == "exact"
    assert compare_org_names("Sahara Travel", "Nile Logistics").level == "different"
    assert compare_registration("RM-123456", "rm123456", "it", "it").level == "exact"
    assert compare_registration("123456", "123456", "it", "fr").level == "weak"
    iban = "DE89 3704 0044 0532 0130 00"
    assert compare_bank_accounts(iban, "de89370400440532013000").level == "exact"
    assert compare_bank_accounts(iban, "GB82 WEST 1234 5698 7654 32").level == "different"
    assert compare_bank_accounts(None, None, "0532013000", "0532013000").level == "exact"
    at_other = compare_bank_accounts(None, None, "0532013000", "0532013000", "BNL", "Intesa")
    assert at_other.level == "weak"
    assert compare_bank_accounts(iban, None, None, "0532013000").level == "exact"
    assert compare_plates("AB-123 CD", "ab123cd").level == "exact"
    assert compare_plates("AB123CD", "AB128CD").level == "likely"
    assert compare_plates("AB123CD", "AB123CD", "it", "fr").level == "weak"


def test_relatives_sharing_a_phone_are_kept_apart(hard_cases):
    by = {r.entity_id: r for r in hard_cases}
    evidence = compare_persons(by["it-3"], by["it-4"])
    assert {e.feature: e.level for e in evidence}["phone"] == "strong"
    reasons = blocking_reasons(evidence)
    assert any("names disagree" in r for r in reasons)
    assert any("birth dates disagree" in r for r in reasons)


def test_namesakes_with_other_birth_dates_are_kept_apart(hard_cases):
    by = {r.entity_id: r for r in hard_cases}
    evidence = compare_persons(by["fr-5"], by["de-5"])
    assert evidence[0].level == "exact"  # Mohamed Ali = Muhammad Ali
    assert blocking_reasons(evidence) == [
        f"birth dates disagree: {evidence[1].reason}",
    ]


def test_the_issue_trio_has_no_blocking_reason(hard_cases):
    by = {r.entity_id: r for r in hard_cases}
    for a, b in (("it-1", "uk-1"), ("it-1", "ly-1"), ("uk-1", "ly-1")):
        assert blocking_reasons(compare_persons(by[a], by[b])) == [], (a, b)
    ev = compare_persons(person("a", "x", "A B"), person("b", "y", "C D"))
    assert all(e.reason for e in ev)
