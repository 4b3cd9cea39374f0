"""Tests for raqib.text.dates: the seed, resolution rules, data files and properties."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raqib.text.dates import DateMatch, find_dates, resolve_date
from raqib.text.numbers import TextError, load_data

ISO = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|\d{4}-W\d{2}|--\d{2}(-\d{2})?)$")


def _values(text: str, published: str | None = "2024-10-09", lang: str | None = None):
    return [(m.text, m.value) for m in find_dates(text, published, lang)]


# ------------------------------------------------------------------ the seed article


def test_seed_article_dates(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    assert _values(text) == [
        ("7 آذار/مارس 2023", "2023-03-07"),  # photo caption
        ("7 آذار/مارس 2023", "2023-03-07"),  # the caption is repeated in the page
        ("6 تشرين الأول/أكتوبر", "2024-10-06"),
        ("قبل عامين", "2022"),
        ("آب/أغسطس", "2024-08"),
        ("عام 2008", "2008"),
        ("عام 2012", "2012"),
        ("كانون الأول/ديسمبر 2022", "2022-12"),
        ("7 تشرين الأول/أكتوبر", "2024-10-07"),
        ("الشهر الماضي", "2024-09"),
    ]
    for m in find_dates(text, "2024-10-09"):
        assert text[m.start : m.end] == m.text


def test_seed_phrases_resolve() -> None:
    pub = "2024-10-09"
    assert resolve_date("6 تشرين الأول/أكتوبر", pub) == "2024-10-06"
    assert resolve_date("آب/أغسطس", pub) == "2024-08"
    assert resolve_date("كانون الأول/ديسمبر 2022", pub) == "2022-12"
    assert resolve_date("قبل عامين", pub) == "2022"
    assert resolve_date("عام 2008", pub) == "2008"
    assert resolve_date("الشهر الماضي", pub) == "2024-09"
    assert resolve_date("7 آذار/مارس 2023", pub) == "2023-03-07"
    assert resolve_date("ليس هنا تاريخ", pub) is None


# ------------------------------------------------------------------ resolution rules


def test_year_less_month_after_publication_month_is_last_year() -> None:
    assert _values("في تشرين الثاني/نوفمبر") == [("تشرين الثاني/نوفمبر", "2023-11")]
    assert _values("في تشرين الأول/أكتوبر") == [("تشرين الأول/أكتوبر", "2024-10")]
    # a later day of the publication month stays in that year (an announced event)
    assert _values("في 20 تشرين الأول/أكتوبر") == [("20 تشرين الأول/أكتوبر", "2024-10-20")]


def test_no_publication_date_never_guesses_a_year() -> None:
    assert _values("في 6 تشرين الأول/أكتوبر", None) == [("6 تشرين الأول/أكتوبر", "--10-06")]
    assert _values("last August", None) == [("last August", "--08")]
    assert _values("يوم الاثنين", None) == [("يوم الاثنين", None)]
    assert _values("قبل عامين", None) == [("قبل عامين", None)]
    assert _values("في عام 2008", None) == [("عام 2008", "2008")]


def test_weekday_on_the_publication_weekday() -> None:
    # 2024-10-09 is a Wednesday
    assert _values("يوم الأربعاء") == [("يوم الأربعاء", "2024-10-09")]
    assert _values("الأربعاء الماضي") == [("الأربعاء الماضي", "2024-10-02")]
    assert _values("الأربعاء المقبل") == [("الأربعاء المقبل", "2024-10-16")]
    assert _values("on Wednesday") == [("Wednesday", "2024-10-09")]


def test_today_before_a_weekday_is_that_weekday() -> None:
    """ "اليوم الخميس" (today, Thursday) is the Thursday, as "يوم الخميس" is, not just today."""
    # 2024-10-09 is a Wednesday: the most recent Thursday on or before it is 2024-10-03
    assert _values("قال الوزير اليوم الخميس إن") == [("اليوم الخميس", "2024-10-03")]
    # published on that Friday, 2024-10-11
    assert _values("واليوم الجمعة", "2024-10-11") == [("اليوم الجمعة", "2024-10-11")]
    assert _values("اليوم السبت 12 أكتوبر") == [("اليوم السبت 12 أكتوبر", "2024-10-12")]
    assert _values("قالت الوزارة اليوم إن") == [("اليوم", "2024-10-09")]


def test_year_boundaries() -> None:
    pub = "2025-01-03"
    assert _values("الشهر الماضي", pub) == [("الشهر الماضي", "2024-12")]
    assert _values("في ديسمبر", pub) == [("ديسمبر", "2024-12")]
    assert _values("الأسبوع الماضي", pub) == [("الأسبوع الماضي", "2024-W52")]
    assert _values("قبل شهرين", pub) == [("قبل شهرين", "2024-11")]
    assert _values("next month", pub) == [("next month", "2025-02")]


def test_precision_and_relative_flags() -> None:
    [m] = find_dates("كانون الأول/ديسمبر 2022", "2024-10-09")
    assert (m.precision, m.relative) == ("month", False)
    [m] = find_dates("الأسبوع الماضي", "2024-10-09")
    assert (m.precision, m.relative) == ("week", True)
    [m] = find_dates("6 October 2024", "2024-10-09")
    assert (m.precision, m.relative) == ("day", False)


def test_invalid_day_falls_back_to_the_month() -> None:
    assert _values("31 فبراير 2023") == [("فبراير 2023", "2023-02")]


def test_hijri_out_of_range_is_skipped() -> None:
    assert _values("15 رمضان 1200 هـ") == []


def test_published_datetime_is_accepted() -> None:
    assert _values("أمس", "2024-10-09T08:30:00+03:00") == [("أمس", "2024-10-08")]


def test_lang_limits_the_patterns() -> None:
    text = "October 6 ثم 7 تشرين الأول"
    assert _values(text, lang="ar") == [("7 تشرين الأول", "2024-10-07")]
    assert _values(text, lang="en") == [("October 6", "2024-10-06")]
    assert len(find_dates(text, "2024-10-09", lang="fr")) == 2


def test_numeric_dates_follow_the_text_language() -> None:
    assert _values("وقع في 06/10/2024") == [("06/10/2024", "2024-10-06")]
    assert _values("signed 06/10/2024") == []
    assert _values("signed 2024/10/06") == [("2024/10/06", "2024-10-06")]


def test_bad_input_raises_a_project_error() -> None:
    with pytest.raises(TextError, match="not an ISO 8601 date"):
        find_dates("أمس", "yesterday")
    with pytest.raises(TextError, match="str"):
        find_dates(None)  # type: ignore[arg-type]
    with pytest.raises(TextError):
        find_dates("أمس", 20241009)  # type: ignore[arg-type]


# ------------------------------------------------------------------ data files


def test_months_yaml_is_valid() -> None:
    data = load_data("months.yaml")
    for lang in ("ar", "en"):
        for group, names in data["gregorian"][lang].items():
            assert group in ("free", "cue_only", "abbreviations")
            assert all(1 <= v <= 12 for v in names.values())
    ar = {**data["gregorian"]["ar"]["free"], **data["gregorian"]["ar"]["cue_only"]}
    assert sorted(set(ar.values())) == list(range(1, 13))
    assert sorted(set(data["hijri"].values())) == list(range(1, 13))
    assert sorted(data["ordinal_days"].values()) == list(range(1, 32))
    assert not set(data["gregorian"]["ar"]["free"]) & set(data["gregorian"]["ar"]["cue_only"])


def test_relative_dates_yaml_is_valid() -> None:
    data = load_data("relative_dates.yaml")
    for lang in ("ar", "en"):
        for phrase, (unit, offset) in data["fixed"][lang].items():
            assert unit in ("day", "week", "month", "year"), phrase
            assert isinstance(offset, int) and -2 <= offset <= 2, phrase
        assert sorted(set(data["weekdays"][lang].values())) == list(range(7))
    assert set(data["weekday_needs_cue_ar"]) <= set(data["weekdays"]["ar"])


# ------------------------------------------------------------------ properties

AR_MONTHS = {
    1: "كانون الثاني/يناير",
    2: "شباط/فبراير",
    3: "آذار/مارس",
    4: "نيسان/أبريل",
    5: "أيار/مايو",
    6: "حزيران/يونيو",
    7: "تموز/يوليو",
    8: "آب/أغسطس",
    9: "أيلول/سبتمبر",
    10: "تشرين الأول/أكتوبر",
    11: "تشرين الثاني/نوفمبر",
    12: "كانون الأول/ديسمبر",
}
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)), st.booleans())
def test_written_dates_round_trip(d: dt.date, indic: bool) -> None:
    ar = f"وقع ذلك في {d.day} {AR_MONTHS[d.month]} {d.year} في العاصمة"
    if indic:
        ar = ar.translate(AR_DIGITS)
    assert [m.value for m in find_dates(ar, "2024-10-09")] == [d.isoformat()]
    en = f"It happened on {EN_MONTHS[d.month - 1]} {d.day}, {d.year} in the capital."
    assert [m.value for m in find_dates(en, "2024-10-09")] == [d.isoformat()]


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_year_less_dates_are_never_after_the_publication_month(pub: dt.date) -> None:
    for month in range(1, 13):
        [m] = find_dates(f"في {AR_MONTHS[month]}", pub.isoformat())
        year, got_month = map(int, m.value.split("-"))
        assert got_month == month
        assert (year, month) <= (pub.year, pub.month)
        assert (year + 1, month) > (pub.year, pub.month)


_CHARS = list("0123456789٠١٢٣٤٥٦٧٨٩/.,-–() \n٬٫،")
_WORDS = [
    "عام ",
    "العام ",
    "في ",
    "قبل ",
    "منذ ",
    "عامين",
    "الماضي",
    "آب",
    "أغسطس",
    "تشرين الأول",
    "مارس",
    "رمضان",
    "هـ",
    "يوم ",
    "الاثنين",
    "اليوم",
    "أمس",
    "ago",
    "last ",
    "May",
    "Oct.",
    "October",
    "Monday",
    "year",
    "since ",
    "in ",
    "\u0640",
    "\u064b",
    "ـ",
    "ال",
]
_ALPHABET = st.sampled_from([*_CHARS, *_WORDS])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join), st.none() | st.just("2024-02-29"))
def test_find_dates_never_raises_and_spans_are_exact(text: str, published: str | None) -> None:
    matches = find_dates(text, published)
    _check_matches(text, matches)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_find_dates_on_arbitrary_text(text: str) -> None:
    _check_matches(text, find_dates(text, "2024-10-09"))


def _check_matches(text: str, matches: list[DateMatch]) -> None:
    end = 0
    for m in matches:
        assert text[m.start : m.end] == m.text
        assert m.start >= end, "matches overlap or are out of order"
        end = m.end
        assert m.precision in ("year", "month", "week", "day")
        assert m.value is None or ISO.match(m.value), m.value


def test_corpus_spans_are_exact(shared_dir: Path, seed_path: Path) -> None:
    corpus = shared_dir / "corpus"
    passages = (corpus / "anercorp" / "passages").glob("*.txt")
    paths = [*passages, *(corpus / "treasury").glob("*.txt")]
    assert len(paths) > 50
    for path in [*paths, seed_path]:
        text = path.read_text(encoding="utf-8")
        _check_matches(text, find_dates(text, "2024-10-09"))
