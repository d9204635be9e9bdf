"""The derived columns the comparison levels read: all names, romanisations, family names,
Arabic endings and personal phones (no engine run: these are plain functions)."""

from __future__ import annotations

from unweave.normalize.names import name_skeleton, romanisation_fold, word_tokens
from unweave.resolve.features import family_tokens, feature_frame, record_row
from unweave.resolve.records import PersonRecord


def test_romanisations_of_one_slavic_name_fold_together() -> None:
    for a, b in [
        ("schewtschenko", "shevchenko"),
        ("petrow", "petrov"),
        ("jordanka", "yordanka"),
        ("kusnezow", "kuznetsov"),
        ("lyssenko", "lysenko"),
    ]:
        assert romanisation_fold(a) == romanisation_fold(b)
    assert romanisation_fold("petrov") != romanisation_fold("popov")


def test_name_keys_cover_every_name_and_align_parts_on_folded_forms() -> None:
    rec = PersonRecord("a", "d", names=["LYSSENKO Viktor", "Wiktor Lysenko"])
    row = record_row(rec)
    assert len(row["name_sorteds"]) >= 2 and len(row["name_canons"]) == 2
    other = record_row(PersonRecord("b", "d", names=["Jordanka Petrow"]))
    mine = record_row(PersonRecord("c", "d", names=["PETROV Yordanka"]))
    assert other["name_fold"] == mine["name_fold"]
    assert (other["name_part_a"], other["name_part_b"]) == ("jordanka", "petrow")
    assert (mine["name_part_a"], mine["name_part_b"]) == ("yordanka", "petrov")


def test_a_space_in_the_wrong_place_still_meets_the_name() -> None:
    a = record_row(PersonRecord("a", "d", names=["Bailey Gree n"]))
    b = record_row(PersonRecord("b", "d", names=["Bailey Green"]))
    assert set(a["name_sorteds"]) & set(b["name_sorteds"])
    c = record_row(PersonRecord("c", "d", names=["مصطف ىبن علي"]))
    d = record_row(PersonRecord("d", "d", names=["مصطفى بن علي"]))
    assert set(c["name_skels"]) & set(d["name_skels"])


def test_family_name_from_last_name_or_capitals() -> None:
    assert family_tokens(PersonRecord("a", "d", names=["LUPU Mihai"])) == ["lupu"]
    assert family_tokens(PersonRecord("a", "d", names=["Mihai Lupu"])) == []
    assert family_tokens(PersonRecord("a", "d", names=["MIHAI LUPU"])) == []
    rec = PersonRecord("a", "d", names=["Mihai Lupu"], family_names=["Lupu"])
    row = record_row(rec)
    assert row["name_family"] == ["lupu"] and row["name_given"] == ["mihai"]


def test_arabic_ta_marbuta_and_latin_final_ah_meet() -> None:
    arabic = [name_skeleton(t) for t in word_tokens("خليفة")]
    assert arabic == [name_skeleton("khalifa")] == [name_skeleton("khalifah")]


def test_a_phone_under_two_peoples_names_is_not_personal() -> None:
    household = "+40700000001"
    own = "+40700000002"
    frame = feature_frame(
        [
            PersonRecord("head", "d", names=["LUPU Ion"], phones=[household]),
            PersonRecord("wife", "d", names=["Maria Lupu"], phones=[household, own]),
            PersonRecord("contact", "d", names=["Maria"], phones=[own]),
        ]
    )
    personal = dict(zip(frame.unique_id, frame.phones_personal, strict=True))
    assert personal["head"] is None
    assert list(personal["wife"]) == [own]  # "Maria" lies inside "Maria Lupu"
    assert list(personal["contact"]) == [own]


def test_worker_processes_derive_the_same_table(monkeypatch) -> None:
    from unweave.resolve import features

    records = [
        PersonRecord(f"r{i}", "d", names=[n], birth_dates=[f"1990-0{1 + i % 9}"],
                     phones=[f"+4070000000{i % 3}"])
        for i, n in enumerate(["LUPU Ion", "Maria Lupu", "Maria", "محمد علي", "Олег Мельник"] * 4)
    ]  # fmt: skip
    serial = features.feature_table(records, n_workers=1)
    monkeypatch.setattr(features, "PARALLEL_MIN", 1)
    monkeypatch.setattr(features, "CHUNK", 3)
    parallel = features.feature_table(records, n_workers=2)
    assert parallel.to_pylist() == serial.to_pylist()


def test_records_held_as_arrow_derive_the_same_table(monkeypatch) -> None:
    """Records streamed into Arrow batches (the 5-million-record benchmark) and read
    back a slice at a time by the workers give the table the Python records give."""
    from unweave.resolve import features
    from unweave.resolve.records import ArrowRecords, Document, records_batch

    records = [
        PersonRecord(f"r{i}", "d", names=[n], birth_dates=[f"1990-0{1 + i % 9}"] if i % 2 else [],
                     phones=[f"+4070000000{i % 3}"], gender="male" if i % 3 else None,
                     documents=[Document(f"AB{i:06d}", "passport", "ro" if i % 4 else None)],
                     crossings=[f"2024-0{1 + i % 9}-02 ro>it"] if i % 5 else [])
        for i, n in enumerate(["LUPU Ion", "Maria Lupu", "Maria", "محمد علي", "Олег Мельник"] * 4)
    ]  # fmt: skip
    import pyarrow as pa

    held = ArrowRecords(
        pa.Table.from_batches([records_batch(records[:7]), records_batch(records[7:])])
    )
    assert len(held) == 20 and held[3] == records[3] and held[5:9] == records[5:9]
    assert list(held) == records
    serial = features.feature_table(records, n_workers=1)
    monkeypatch.setattr(features, "PARALLEL_MIN", 1)
    monkeypatch.setattr(features, "CHUNK", 3)
    parallel = features.feature_table(held, n_workers=2)
    assert parallel.to_pylist() == serial.to_pylist()
