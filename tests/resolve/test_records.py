from unweave.model import model
from unweave.resolve.records import Document, records_from_entities


def make(schema, eid, **props):
    entity = model.make_entity(schema)
    entity.id = eid
    for prop, values in props.items():
        entity.add(prop, values)
    return entity


def test_persons_with_documents_by_holder():
    person = make(
        "Person", "p1", name="Ahmad Ebrahim", birthDate="1984-07-12", gender="male",
        nationality="Libya", phone="+218912345678", email="A@Example.org",
        passportNumber="LY 123456", address="Via Roma 12, Palermo",
    )  # fmt: skip
    split = make("Person", "p2", firstName="Yohannes", lastName="Tekle", birthDate="1990")
    passport = make("Passport", "d1", holder="p2", number="ER-1234567", country="er")
    other = make("Organization", "o1", name="Sahara Travel")
    records = {r.entity_id: r for r in records_from_entities([person, split, passport, other])}
    assert set(records) == {"p1", "p2"}
    p1, p2 = records["p1"], records["p2"]
    assert p1.names == ["Ahmad Ebrahim"]
    assert p1.birth_dates == ["1984-07-12"]
    assert p1.gender == "male" and p1.nationalities == ["ly"]
    assert p1.phones == ["+218912345678"]
    assert p1.emails == ["a@example.org"]
    assert p1.documents == [Document("LY123456", "passport", "ly")]
    assert p1.addresses == ["Via Roma 12, Palermo"]
    assert p2.names == ["Yohannes Tekle"]
    assert p2.birth_dates == ["1990"]
    assert p2.documents == [Document("ER1234567", "passport", "er")]
    assert p1.dataset == "default"


def test_statement_entities_carry_their_dataset():
    from followthemoney.dataset import Dataset
    from followthemoney.statement import StatementEntity

    dataset = Dataset.make({"name": "it_dcsa", "title": "Italy, DCSA"})
    entity = StatementEntity(dataset, {"schema": "Person", "id": "p1"})
    entity.add("name", "IBRAHIM AHMED")
    entity.add("birthDate", "1984-07-12")
    (record,) = records_from_entities([entity])
    assert record.dataset == "it_dcsa"
    assert record.names == ["IBRAHIM AHMED"] and record.birth_dates == ["1984-07-12"]
