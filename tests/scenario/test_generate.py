"""The generator's output: determinism, ingestable formats, valid identifiers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
import yaml
from typer.testing import CliRunner

from tests.scenario.conftest import read_csv
from unweave.errors import ConfigError
from unweave.model import model
from unweave.normalize.values import iban, phone_e164
from unweave.scenario import generate
from unweave.scenario.cli import app
from unweave.scenario.config import resolve_size
from unweave.scenario.formats import COLUMNS

DOCS = Path(__file__).parents[2] / "docs" / "formats.md"
AD_KEYS = {
    "ad_id",
    "site",
    "url",
    "posted",
    "city",
    "country",
    "title",
    "text",
    "phones",
    "emails",
    "image_hashes",
    "age",
}


SCHEMATA = ("Person", "Event", "VictimIdentification", "Family")


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_same_bytes(tmp_path: Path, small: tuple[Path, dict[str, Any]]) -> None:
    again = tmp_path / "again"
    generate(7, "small", again)
    assert _files(again) == _files(small[0])
    other = tmp_path / "other"
    generate(8, "small", other)
    assert _files(other) != _files(small[0])


def _documented_columns(section: str) -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    part = text.split(f"(`{section}`)", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", part, flags=re.M)


@pytest.mark.parametrize("fmt", ["calls", "transactions", "travel"])
def test_columns_are_those_of_the_format_spec(fmt: str, small: tuple[Path, Any]) -> None:
    assert COLUMNS[fmt] == _documented_columns(fmt)
    root = small[0]
    manifest = yaml.safe_load((root / "manifest.yaml").read_text(encoding="utf-8"))
    paths = [f["path"] for f in manifest["files"] if f["format"] == fmt]
    assert paths
    for rel in paths:
        header = (root / rel).read_text(encoding="utf-8").split("\n", 1)[0]
        assert header.split(",") == COLUMNS[fmt]


def test_manifest_lists_every_file_with_a_valid_mapping(small: tuple[Path, Any]) -> None:
    root = small[0]
    manifest = yaml.safe_load((root / "manifest.yaml").read_text(encoding="utf-8"))
    codes = {a["code"] for a in manifest["agencies"]}
    assert codes == {"IT-SCO", "GB-NCA", "DE-BKA", "NG-NAPTIP", "LY-CID"}
    datasets = {d["name"]: d for d in manifest["datasets"]}
    formats = {"travel", "calls", "transactions", "ads", "ftm", "mapped"}
    for entry in manifest["files"]:
        assert (root / entry["path"]).is_file()
        assert entry["format"] in formats
        assert datasets[entry["dataset"]]["agency"] in codes
        if entry["format"] == "mapped":
            mapping = yaml.safe_load((root / entry["mapping"]).read_text(encoding="utf-8"))
            model.make_mapping(mapping | {"csv_url": "unused"}, key_prefix=entry["dataset"])
    listed = {e["path"] for e in manifest["files"]} | {
        e["mapping"] for e in manifest["files"] if "mapping" in e
    }
    written = {p for p in _files(root) if not p.startswith("truth/") and p != "manifest.yaml"}
    assert written == listed


def test_ads_and_ftm_lines_are_well_formed(small: tuple[Path, Any]) -> None:
    root = small[0]
    for path in root.glob("*/ads.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            ad = json.loads(line)
            assert set(ad) == AD_KEYS
            assert ad["ad_id"] and ad["site"] and ad["posted"]
    for path in root.glob("*/cases.ftm.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            entity = model.get_proxy(json.loads(line))
            assert entity.id and entity.schema.name in SCHEMATA


def test_identified_victims_are_recorded_as_victims(small: tuple[Path, Any]) -> None:
    """Each person a case file refers to protection has a VictimIdentification, and no other."""
    found = 0
    for path in small[0].glob("*/cases.ftm.jsonl"):
        entities = [
            model.get_proxy(json.loads(line)) for line in path.read_text("utf-8").splitlines()
        ]
        referred = {
            e.id
            for e in entities
            if "presumed victim of trafficking, referred to protection"
            in e.get("notes", quiet=True)
        }
        marked = [e.first("person") for e in entities if e.schema.name == "VictimIdentification"]
        assert sorted(marked) == sorted(referred), path
        found += len(marked)
    assert found > 0


def test_phones_are_valid_after_normalisation(small: tuple[Path, Any]) -> None:
    root = small[0]
    raw: list[tuple[str, str]] = []
    for path in root.glob("*/calls.csv"):
        country = path.parent.name
        raw += [(r[c], country) for r in read_csv(path) for c in ("caller", "callee")]
    for path in root.glob("*/subscribers.csv"):
        raw += [(r["phone"], path.parent.name) for r in read_csv(path)]
    for path in root.glob("*/ads.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            raw += [(p, path.parent.name) for p in json.loads(line)["phones"]]
    assert len(raw) > 1000
    for text, country in raw:
        e164 = phone_e164(text, country)
        assert e164 is not None, (text, country)
        assert phonenumbers.is_valid_number(phonenumbers.parse(e164)), (text, country)
    truth = read_csv(root / "truth" / "phones.csv")
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(r["phone"])) for r in truth)


def test_accounts_are_valid(small: tuple[Path, Any]) -> None:
    accounts = [
        r[side]
        for path in small[0].glob("*/transactions.csv")
        for r in read_csv(path)
        for side in ("payer_account", "payee_account")
        if r[side] and r[side][:2].isalpha()
    ]
    assert accounts
    assert all(iban(a) == a for a in accounts)


def test_sizes() -> None:
    assert resolve_size("small").persons == 300
    assert resolve_size("large").persons == 1_000_000
    assert resolve_size("20000").persons == 20000
    with pytest.raises(ConfigError):
        resolve_size("huge")
    with pytest.raises(ConfigError):
        resolve_size("10")


def test_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["generate", "--seed", "3", "--size", "small", "--out", str(tmp_path / "s")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "manifest.yaml").is_file()
    bad = runner.invoke(app, ["generate", "--size", "huge", "--out", str(tmp_path / "x")])
    assert isinstance(bad.exception, ConfigError)  # unweave's main prints it, exit 1
    module = subprocess.run(
        [sys.executable, "-m", "unweave.scenario", "generate", "--size", "huge", "--out", "x"],
        capture_output=True,
        text=True,
    )
    assert module.returncode == 1 and "hint:" in module.stderr


def test_same_bytes_whatever_the_hash_seed(tmp_path: Path, small: tuple[Path, Any]) -> None:
    """String hashing is randomised per process; nothing may depend on set order."""
    out = tmp_path / "hashed"
    code = f"from unweave.scenario import generate; generate(7, 'small', {str(out)!r})"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    assert _files(out) == _files(small[0])


def test_ads_show_the_circuit(small: tuple[Path, Any]) -> None:
    """One phone across many ads and cities, and text reused across ads."""
    cities: dict[str, set[str]] = {}
    texts: dict[str, int] = {}
    for path in small[0].glob("*/ads.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            ad = json.loads(line)
            for phone in ad["phones"]:
                key = phone_e164(phone, ad["country"]) or phone
                cities.setdefault(key, set()).add(ad["city"])
            template = re.sub(r"\d|\+", "", ad["text"].split(",")[0])
            texts[template] = texts.get(template, 0) + 1
    assert max(len(c) for c in cities.values()) >= 2
    assert max(texts.values()) >= 5
