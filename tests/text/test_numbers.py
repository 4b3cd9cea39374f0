"""Tests for raqib.text.numbers: parse_number, the finders, data files and properties."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raqib.text.numbers import (
    TextError,
    find_ages,
    find_durations,
    find_money,
    find_numbers,
    find_quantities,
    load_data,
    parse_number,
)

FINDERS = [find_numbers, find_money, find_quantities, find_durations, find_ages]
AR_DIGITS = str.maketrans("0123456789,.", "٠١٢٣٤٥٦٧٨٩٬٫")


# ------------------------------------------------------------------ parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10 ملايين", 10_000_000),
        (" 1.5bn ", 1_500_000_000),
        ("عشرة ملايين", 10_000_000),
        ("ملياري", 2_000_000_000),
        ("twenty-four thousand", 24_000),
        ("٣٫٥ مليون", 3_500_000),
        ("ثلاثمائة وخمسة وعشرين ألفا", 325_000),
        ("0.75", 0.75),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    got = parse_number(text)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize("text", ["", "abc", "10 ملايين دولار", "آلاف", "مئات", "2008 و2012"])
def test_parse_number_rejects_what_is_not_one_number(text: str) -> None:
    assert parse_number(text) is None


def test_bad_input_raises_a_project_error() -> None:
    for finder in [*FINDERS, parse_number]:
        with pytest.raises(TextError, match="str"):
            finder(b"10")  # type: ignore[arg-type]


# ------------------------------------------------------------------ behaviour


def test_seed_values(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    assert [(m.text, m.amount, m.currency) for m in find_money(text)] == [
        ("10 ملايين دولار", 10_000_000, "USD")
    ]
    assert [(m.text, m.value) for m in find_durations(text)] == [
        ("عقدا", {"years": 10}),
        ("25 عاما", {"years": 25}),
        ("عقد", {"years": 10}),
    ]
    assert [(m.text, m.years) for m in find_ages(text)] == [("البالغ من العمر 57 عاما", 57)]
    assert find_quantities(text) == []


def test_dual_form_after_a_count_is_the_accusative_singular() -> None:
    assert parse_number("ألفا") == 2000  # construct dual: ألفا دولار
    assert parse_number("عشرين ألفا") == 20_000  # accusative singular after a count
    assert parse_number("خمسين مليونا") == 50_000_000


def test_ambiguous_words_need_a_counted_noun() -> None:
    assert find_numbers("لست أدري") == []
    assert [m.value for m in find_numbers("ست بنادق")] == [6]
    assert [m.value for m in find_numbers("one of the suppliers")] == []
    assert [m.value for m in find_numbers("one shipment")] == [1]


def test_money_amount_is_exact_for_decimals() -> None:
    [m] = find_money("$1.1 million")
    assert m.amount == 1_100_000 and isinstance(m.amount, int)
    [m] = find_money("£2.10")
    assert m.amount == 2.1


def test_quantity_skips_vague_and_counts_duals() -> None:
    assert find_quantities("آلاف القذائف وعشرات الصواريخ") == []
    [q] = find_quantities("ضبط صاروخين")
    assert (q.text, q.amount, q.unit) == ("صاروخين", 2, "missile")


def test_durations_merge_and_exclude_ages_and_offsets() -> None:
    text = "حكم عليه بالسجن خمس سنوات وستة أشهر، وهو البالغ من العمر 40 عاما، قبل عامين"
    assert [(d.text, d.value) for d in find_durations(text)] == [
        ("خمس سنوات وستة أشهر", {"years": 5, "months": 6})
    ]


def test_tolerates_diacritics_and_tatweel() -> None:
    [m] = find_money("عَشَرَةُ مَلايِينِ دُولارٍ")
    assert (m.amount, m.currency) == (10_000_000, "USD")
    [m] = find_numbers("ثلاثـــة آلاف")
    assert m.value == 3000
    [d] = find_durations("25 عاماً")
    assert d.value == {"years": 25}


# ------------------------------------------------------------------ data files

ISO_4217 = re.compile(r"^[A-Z]{3}$")


def test_currencies_yaml_is_valid() -> None:
    data = load_data("currencies.yaml")
    codes = set(data["codes"])
    assert all(ISO_4217.match(c) for c in codes)
    for cur in data["arabic"]:
        assert cur["forms"] and cur["default"] in codes
        assert set((cur["adjectives"] or {}).values()) <= codes
    assert set(data["english"].values()) <= codes
    assert set(data["symbols"].values()) <= codes


@pytest.mark.parametrize("cur", load_data("currencies.yaml")["arabic"], ids=lambda c: c["default"])
def test_every_arabic_currency_form_is_found(cur: dict) -> None:
    for form in cur["forms"]:
        [m] = find_money(f"دفع 250 {form} نقدا")
        assert (m.amount, m.currency) == (250, cur["default"]), form
    for adjective, code in (cur["adjectives"] or {}).items():
        [m] = find_money(f"دفع 250 {cur['forms'][0]} {adjective} نقدا")
        assert m.currency == code, adjective


def test_numbers_yaml_is_valid() -> None:
    data = load_data("numbers.yaml")
    assert sorted(set(data["arabic"]["units"].values())) == list(range(1, 11))
    assert sorted(set(data["arabic"]["teens"].values())) == list(range(11, 20))
    assert sorted(set(data["arabic"]["tens"].values())) == list(range(20, 100, 10))
    assert sorted(set(data["english"]["units"].values())) == list(range(20))
    for lang in ("arabic", "english"):
        for scale in data[lang]["scales"]:
            assert scale["value"] in (10**3, 10**6, 10**9, 10**12)


def test_units_yaml_is_valid() -> None:
    data = load_data("units.yaml")
    seen: dict[str, str] = {}
    for entry in data["quantity_units"]:
        assert entry["unit"] == entry["unit"].lower(), "units are lower-case English"
        for form in entry["ar"] + entry["ar_dual"] + entry["en"]:
            assert seen.setdefault(form, entry["unit"]) == entry["unit"], form
    for entry in data["time_units"]:
        assert entry["unit"] in ("years", "months", "weeks", "days", "hours")
        assert set(entry["ar_singular"]) <= set(entry["ar"])


QUANTITY_UNITS = load_data("units.yaml")["quantity_units"]


@pytest.mark.parametrize("entry", QUANTITY_UNITS, ids=lambda e: e["unit"])
def test_every_unit_form_is_found(entry: dict) -> None:
    for form in entry["ar"]:
        [q] = find_quantities(f"ضبطت 120 {form} أمس")
        assert (q.amount, q.unit) == (120, entry["unit"]), form
    for form in entry["ar_dual"]:
        [q] = find_quantities(f"ضبطت {form} أمس")
        assert (q.amount, q.unit) == (2, entry["unit"]), form
    for form in entry["en"]:
        [q] = find_quantities(f"seized 120 {form} yesterday")
        assert (q.amount, q.unit) == (120, entry["unit"]), form


# ------------------------------------------------------------------ properties


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.booleans(), st.booleans())
def test_digits_round_trip(n: int, grouped: bool, indic: bool) -> None:
    text = f"{n:,}" if grouped else str(n)
    if indic:
        text = text.translate(AR_DIGITS)
    assert parse_number(text) == n


AR_UNITS = ["واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"]
AR_TENS = ["عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"]


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=2, max_value=9))
def test_arabic_compound_numbers(unit: int, tens: int) -> None:
    text = f"{AR_UNITS[unit - 1]} و{AR_TENS[tens - 2]}"
    assert parse_number(text) == tens * 10 + unit
    assert parse_number(f"{text} ألفا") == (tens * 10 + unit) * 1000


_CHARS = list("0123456789٠١٢٣٤٥٦٧٨٩$€£.,-() \n٬٫،%")
_WORDS = [
    "مليون",
    "ملايين",
    "ألف",
    "آلاف",
    "ملياري",
    "دولار",
    "ريال",
    "يمني",
    "نصف",
    "و",
    "ال",
    "عاما",
    "عامين",
    "عقد",
    "من الزمن",
    "بندقية",
    "شحنتين",
    "البالغ من العمر ",
    "قبل ",
    "million",
    "bn",
    "m",
    "k",
    "and a half",
    "years",
    "-year-old",
    "aged ",
    "twenty",
    "-",
    "\u0640",
    "\u064b",
    "ـ",
    "US$",
    "USD ",
    "thousand",
    "a ",
    "half",
]
_ALPHABET = st.sampled_from([*_CHARS, *_WORDS])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_finders_never_raise_and_spans_are_exact(text: str) -> None:
    _check_all(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_finders_on_arbitrary_text(text: str) -> None:
    _check_all(text)


def _check_all(text: str) -> None:
    for finder in FINDERS:
        end = 0
        for m in finder(text):
            assert text[m.start : m.end] == m.text, finder.__name__
            assert m.start >= end, f"{finder.__name__}: overlapping or unordered"
            end = m.end


def test_corpus_spans_are_exact(shared_dir: Path, seed_path: Path) -> None:
    corpus = shared_dir / "corpus"
    passages = (corpus / "anercorp" / "passages").glob("*.txt")
    paths = [*passages, *(corpus / "treasury").glob("*.txt")]
    assert len(paths) > 50
    for path in [*paths, seed_path]:
        _check_all(path.read_text(encoding="utf-8"))
