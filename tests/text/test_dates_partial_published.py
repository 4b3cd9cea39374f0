"""Dates resolved against a publication date known only to the month or the year.

Hand-checked against the calendar: October 2015 runs from Thursday 1 to Saturday 31
(ISO weeks 40 to 44); the most recent Tuesday is 29 September on 1 October and 27 October
on the 31st. In the Hijri calendar 1 October 2015 is 18 Dhu al-Hijja 1436 and 31 October
is 18 Muharram 1437 (1 Muharram 1437 = 14 October 2015; 1 Rajab 1436 = 20 April 2015).
"""

from __future__ import annotations

import pytest

from raqib.ingest.sources import RawItem
from raqib.model import Extraction
from raqib.pipeline import build_document, extract
from raqib.text.dates import find_dates, publication_precision
from raqib.text.numbers import TextError


def _dates(text: str, published: str | None) -> list[tuple[str, str | None, str]]:
    return [(m.text, m.value, m.precision) for m in find_dates(text, published)]


def _one(text: str, published: str | None) -> tuple[str | None, str]:
    matches = find_dates(text, published)
    assert len(matches) == 1, [m.text for m in matches]
    return matches[0].value, matches[0].precision


# ------------------------------------------------------------------ published "2015-10"

MONTH_CASES = [
    # months without a year: the most recent such month, the publication month included
    ("وقعت الحادثة في آذار/مارس", ("2015-03", "month")),
    ("وصلت الشحنة في شهر أيلول", ("2015-09", "month")),
    ("في تشرين الأول/أكتوبر", ("2015-10", "month")),
    ("في كانون الأول/ديسمبر", ("2014-12", "month")),
    ("في شباط", ("2015-02", "month")),
    ("في 6 تشرين الثاني/نوفمبر", ("2014-11-06", "day")),
    ("في 6 تشرين الأول/أكتوبر", ("2015-10-06", "day")),
    ("في مايو أيار", ("2015-05", "month")),
    ("حزيران الماضي", ("2015-06", "month")),
    ("تشرين الأول الماضي", ("2014-10", "month")),  # strictly before October 2015
    ("آب المقبل", ("2016-08", "month")),
    ("in March", ("2015-03", "month")),
    ("on Oct. 6", ("2015-10-06", "day")),
    ("last December", ("2014-12", "month")),
    ("next January", ("2016-01", "month")),
    ("this March", ("2015-03", "month")),
    # relative phrases whose unit is a month or a year: the whole month is enough
    ("العام الماضي", ("2014", "year")),
    ("قبل عامين", ("2013", "year")),
    ("الشهر الجاري", ("2015-10", "month")),
    ("الشهر الماضي", ("2015-09", "month")),
    ("قبل شهرين", ("2015-08", "month")),
    ("التاسع من الشهر الماضي", ("2015-09-09", "day")),
    ("last year", ("2014", "year")),
    ("this month", ("2015-10", "month")),
    ("next month", ("2015-11", "month")),
    ("two years ago", ("2013", "year")),
    # Hijri: Rajab is 1436 on every day of October 2015
    ("في شهر رجب", ("2015-04", "month")),
    # absolute dates do not depend on the publication date
    ("في 6 تشرين الأول/أكتوبر 2024", ("2024-10-06", "day")),
    ("منذ عام 2013", ("2013", "year")),
    ("in 2013", ("2013", "year")),
]


@pytest.mark.parametrize(("text", "expected"), MONTH_CASES, ids=[c[0] for c in MONTH_CASES])
def test_month_precision_resolves_what_the_month_fixes(
    text: str, expected: tuple[str, str]
) -> None:
    assert _one(text, "2015-10") == expected


DAY_BOUND_CASES = [
    # A day that moves with the publication day keeps only what every day of October gives:
    # "yesterday" is 30 September on the 1st and 30 October on the 31st, so only 2015.
    ("أمس", ("2015", "year")),
    ("yesterday", ("2015", "year")),
    ("يوم الثلاثاء", ("2015", "year")),  # 29 September .. 27 October
    ("on Tuesday", ("2015", "year")),
    # "today" is the publication day, some day of October 2015
    ("اليوم", ("2015-10", "month")),
    ("today", ("2015-10", "month")),
    # The most recent Thursday is 1 October on the 1st and 29 October on the 31st.
    ("يوم الخميس", ("2015-10", "month")),
    # ISO weeks 39 to 43: a week has no coarser value that is certain
    ("الأسبوع الماضي", (None, "week")),
    ("last week", (None, "week")),
    # Muharram: 1436 (October 2014) until the 13th, then 1437 (October 2015)
    ("في شهر محرم", (None, "month")),
]


@pytest.mark.parametrize(("text", "expected"), DAY_BOUND_CASES, ids=[c[0] for c in DAY_BOUND_CASES])
def test_month_precision_gives_no_day_it_cannot_know(
    text: str, expected: tuple[str | None, str]
) -> None:
    assert _one(text, "2015-10") == expected


def test_yesterday_in_january_shares_not_even_the_year() -> None:
    # 31 December 2014 on 1 January, 30 January 2015 on the 31st
    assert _one("أمس", "2015-01") == (None, "day")
    assert _one("last month", "2015-01") == ("2014-12", "month")
    assert _one("in December", "2015-01") == ("2014-12", "month")
    assert _one("في كانون الثاني", "2015-01") == ("2015-01", "month")


# ------------------------------------------------------------------ published "2015"

YEAR_CASES = [
    # March is 2014-03 for an article of January or February 2015, 2015-03 after: no year
    ("في آذار/مارس", ("--03", "month")),
    ("في 6 تشرين الأول", ("--10-06", "day")),
    ("in October", ("--10", "month")),
    # January is on or before every publication month of 2015
    ("في كانون الثاني/يناير", ("2015-01", "month")),
    ("last December", ("2014-12", "month")),
    ("next January", ("2016-01", "month")),
    ("this March", ("2015-03", "month")),
    ("العام الماضي", ("2014", "year")),
    ("this year", ("2015", "year")),
    ("next year", ("2016", "year")),
    ("قبل ثلاث سنوات", ("2012", "year")),
    ("هذا الشهر", ("2015", "year")),  # some month of 2015
    ("الشهر الماضي", (None, "month")),  # December 2014 .. November 2015
    ("أمس", (None, "day")),
    ("yesterday", (None, "day")),
    ("يوم الاثنين الماضي", (None, "day")),
    ("in 2013", ("2013", "year")),
    ("6 October 2024", ("2024-10-06", "day")),
]


@pytest.mark.parametrize(("text", "expected"), YEAR_CASES, ids=[c[0] for c in YEAR_CASES])
def test_year_precision_resolves_only_what_every_month_agrees_on(
    text: str, expected: tuple[str | None, str]
) -> None:
    assert _one(text, "2015") == expected


def test_one_text_at_each_precision() -> None:
    text = "قال إن الشحنة وصلت في آذار/مارس، ثم أمس، بعد أن أعلن العام الماضي عن صفقة."
    assert _dates(text, "2015-10-14") == [
        ("آذار/مارس", "2015-03", "month"),
        ("أمس", "2015-10-13", "day"),
        ("العام الماضي", "2014", "year"),
    ]
    assert _dates(text, "2015-10") == [
        ("آذار/مارس", "2015-03", "month"),
        ("أمس", "2015", "year"),
        ("العام الماضي", "2014", "year"),
    ]
    assert _dates(text, "2015") == [
        ("آذار/مارس", "--03", "month"),
        ("أمس", None, "day"),
        ("العام الماضي", "2014", "year"),
    ]


# ------------------------------------------------------------------ accepted forms


@pytest.mark.parametrize(
    ("published", "precision"),
    [
        ("2015", "year"),
        ("2015-10", "month"),
        (" 2015-10 ", "month"),
        ("2015-10-14", "day"),
        ("2015-10-14T08:30:00+03:00", "day"),
        ("2015-10-14 08:30:00Z", "day"),
        (None, None),
        ("2015-13", None),
        ("2015-1", None),
        ("2015-10-", None),
        ("0000", None),
        ("15-10", None),
        ("October 2015", None),
        ("Tue, 13 Oct 2015 08:00:00 GMT", None),
        ("", None),
    ],
)
def test_publication_precision(published: str | None, precision: str | None) -> None:
    assert publication_precision(published) == precision


@pytest.mark.parametrize(
    "published", ["2015-13", "2015-00", "2015-1", "0000", "October 2015", "٢٠١٥"]
)
def test_invalid_partial_dates_raise_a_clear_error(published: str) -> None:
    with pytest.raises(TextError, match=r"not an ISO 8601 date \(YYYY-MM-DD.*YYYY-MM or YYYY\)"):
        find_dates("أمس", published)


def test_month_and_datetime_agree_on_the_month_of_the_datetime() -> None:
    text = "in March, last year"
    assert _dates(text, "2015-10") == _dates(text, "2015-10-31T23:59:00Z")


def test_hijri_tables_out_of_range_give_no_value_instead_of_failing() -> None:
    # hijridate converts Gregorian days from 1924-08-01 to 2077-11-16 only
    assert _one("في شهر رجب", "1900") == (None, "month")
    assert _one("في شهر رجب", "1900-05-05") == (None, "month")
    assert _one("في شهر رجب", "2077-11") == (None, "month")  # its last days are past the table


# ------------------------------------------------------------------ through the extractor


def _extract(text: str, published: str | None) -> Extraction:
    item = RawItem(source="test.txt", content=text.encode("utf-8"), content_type=None, kind="text")
    return extract(build_document(item, published=published))


def _times(result: Extraction) -> list[str | None]:
    return [event.time.value if event.time else None for event in result.events]


def test_extractor_resolves_a_month_against_a_month_precision_publication() -> None:
    text = "ذكرت وكالة رويترز أن إيران أرسلت شحنة صواريخ إلى الحوثيين في آذار/مارس."
    result = _extract(text, "2015-10")
    assert result.document.published == "2015-10"
    assert [e.type for e in result.events] == ["arms_transfer"]
    assert result.events[0].time is not None
    assert result.events[0].time.text == "آذار/مارس"
    assert _times(result) == ["2015-03"]
    # a year alone cannot place March: the month stays without a year, as with no date
    assert _times(_extract(text, "2015")) == ["--03"]


def test_extractor_resolves_relative_phrases_at_month_precision() -> None:
    english = "Iran sent a shipment of missiles to the Houthis last year, Reuters reported."
    assert _times(_extract(english, "2015-10")) == ["2014"]
    arabic = "ذكرت وكالة رويترز أن إيران أرسلت شحنة صواريخ إلى الحوثيين أمس."
    assert _times(_extract(arabic, "2015-10")) == ["2015"]
    assert _times(_extract(arabic, "2015-10-14")) == ["2015-10-13"]


def test_extractor_ignores_a_publication_date_it_cannot_read() -> None:
    text = "ذكرت وكالة رويترز أن إيران أرسلت شحنة صواريخ إلى الحوثيين في آذار/مارس."
    assert _times(_extract(text, "Tue, 13 Oct")) == ["--03"]
