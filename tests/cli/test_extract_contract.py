"""`raqib extract` output validates against the shared contract, over every real document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from raqib.ingest.sources import RawItem
from raqib.pipeline import build_document, extract
from tests.conftest import SEED, SHARED

SCHEMA = json.loads((SHARED / "contract" / "extraction.schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def corpus_files() -> list[Path]:
    files = [SEED]
    files += sorted((SHARED / "corpus" / "re3d" / "txt").rglob("*.txt"))
    files += sorted((SHARED / "corpus" / "anercorp" / "passages").glob("*.txt"))
    files += sorted((SHARED / "corpus" / "treasury").glob("*.txt"))
    return files


def check_spans(payload: dict) -> None:
    """Every span's text is exactly document.text[start:end]."""
    text = payload["document"]["text"]

    def check(span: dict) -> None:
        assert text[span["start"]:span["end"]] == span["text"], span

    for mention in payload["mentions"]:
        check(mention)
    for event in payload["events"]:
        check(event["trigger"])
        check(event["sentence"])
        if event["time"]:
            check(event["time"])
        for values in event["roles"].values():
            for value in values:
                if "start" in value:
                    check(value)
        for link in event["attribution"]["chain"]:
            if "start" in link:
                check(link)
    for statement in payload["statements"]:
        check(statement)


def test_seed_through_the_cli_is_valid_json_lines_with_arabic_unescaped(seed_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "raqib", "extract", "--format", "json", "--published",
         "2024-10-09", str(seed_path)],
        capture_output=True, check=True, timeout=120,
    )
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1
    assert "فيكتور بوت" in lines[0]  # not \u-escaped
    payload = json.loads(lines[0])
    VALIDATOR.validate(payload)
    document = payload["document"]
    assert document["published"] == "2024-10-09"
    assert document["language"] == "ar"
    assert document["section"] == "أمن"
    assert document["title"] == "’تاجر الموت‛ الروسي يعود لبيع الأسلحة في اليمن"
    assert document["text"].startswith(document["title"])
    assert "هل أعجبك هذا المقال" not in document["text"]
    assert "يرجى إدخال الأرقام" not in document["text"]
    assert "ألكسندر نيمينوف" not in document["text"]
    check_spans(payload)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_corpus_document_validates(path: Path) -> None:
    item = RawItem(source=str(path), content=path.read_bytes(), content_type=None, kind="text")
    payload = extract(build_document(item, published="2024-10-09")).to_dict()
    VALIDATOR.validate(payload)
    check_spans(payload)
    assert payload["document"]["text"].strip()


def test_text_format_is_readable(seed_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "raqib", "extract", "--format", "text", str(seed_path)],
        capture_output=True, check=True, timeout=120,
    )
    out = result.stdout.decode("utf-8")
    assert out.startswith("# ’تاجر الموت‛")
    assert "language ar" in out


def test_missing_file_is_a_one_line_error_and_exit_1(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "raqib", "extract", str(tmp_path / "nope.txt")],
        capture_output=True, timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == b""
    err = result.stderr.decode()
    assert "nope.txt" in err and "Traceback" not in err
