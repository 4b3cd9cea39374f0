"""Table-driven tests: tests/text/expressions.yaml, written and checked by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from raqib.text.dates import find_dates
from raqib.text.numbers import (
    find_ages,
    find_durations,
    find_money,
    find_numbers,
    find_quantities,
)

TABLE = yaml.safe_load((Path(__file__).parent / "expressions.yaml").read_text(encoding="utf-8"))
DEFAULT_PUBLISHED = "2024-10-09"

FINDERS = {
    "number": find_numbers,
    "money": find_money,
    "quantity": find_quantities,
    "duration": find_durations,
    "age": find_ages,
}


def _run(case: dict[str, Any]) -> list[Any]:
    if case["kind"] == "date":
        published = case.get("published", DEFAULT_PUBLISHED)
        return find_dates(case["text"], published, case.get("lang"))
    return FINDERS[case["kind"]](case["text"])


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['kind']}:{case['text'][:40]}"


def test_table_is_large_and_covers_every_kind() -> None:
    assert len(TABLE) >= 150
    kinds = {case["kind"] for case in TABLE}
    assert kinds == {"date", "number", "money", "quantity", "duration", "age"}
    assert sum(1 for case in TABLE if not case["expect"]) >= 30, "traps must be in the table"


@pytest.mark.parametrize("case", TABLE, ids=_case_id)
def test_expression(case: dict[str, Any]) -> None:
    matches = _run(case)
    assert len(matches) == len(case["expect"]), [m.text for m in matches]
    pairs = zip(matches, case["expect"], strict=True)
    got = [{key: getattr(m, key) for key in expected} for m, expected in pairs]
    assert got == case["expect"]


@pytest.mark.parametrize("case", TABLE, ids=_case_id)
def test_spans_point_into_the_input(case: dict[str, Any]) -> None:
    for m in _run(case):
        assert case["text"][m.start : m.end] == m.text
