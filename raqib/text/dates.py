"""Dates in Arabic and English news text, resolved to ISO 8601 at the precision written.

The patterns run on the original text (see `raqib.text.numbers` for the tolerant Arabic
regex builder), so spans are exact. Covered: Levantine/Syriac, Egyptian/Gulf, Maghreb and
Moroccan month names and their double forms ("تشرين الأول/أكتوبر", "مايو أيار",
"أكتوبر (تشرين الأول)"), Hijri dates (converted with `hijridate`), years after a noun or
cue ("عام 2008", "في 2012", "in 2008"), English dates ("Oct. 6", "Dec. 8, 2022",
"6 October 2024"), numeric dates, and relative phrases ("الشهر الماضي", "قبل عامين",
"يوم الاثنين", "last August", "two years ago").

Why not dateparser's search: on the seed article (published 2024-10-09),
`dateparser.search.search_dates(..., languages=["ar"])` found nothing in "في 6 تشرين
الأول/أكتوبر" or "في آب/أغسطس", returned only "2023" for "7 آذار/مارس 2023" and only
"2022" for "كانون الأول/ديسمبر 2022", swallowed the comma in "عام 2012،", and filled the
missing month and day from the base date ("عام 2008" -> 2008-10-09), losing the precision
that events need. `bench/text.py` times it against `find_dates` on the corpus.

Resolution rules (documented choices):
- A date without a year takes the publication year, or the year before when its month is
  later than the publication month ("the most recent such month"). A date later in the
  publication month itself stays in that year: it is usually an announced event. Without a
  publication date the year stays unresolved: "--10-06" (day) or "--08" (month), never a
  guessed year; relative phrases then have value None.
- The publication date may be known only to the month ("2015-10") or the year ("2015").
  An expression is then resolved only as far as every day the publication may be gives
  the same answer: with "2015-10", "آذار/March" is 2015-03, "last year" 2014 and "this
  month" 2015-10, but "yesterday" could be 30 September or 30 October, so it keeps only
  what those share, the year 2015 (and a day or month value whose year is not shared has
  no value). With "2015", a month without a year gets one only when no publication month
  changes it (January, "last December", "next January", "this March"); other months stay
  "--03" as without a publication date. See `_resolved`.
- "الماضي/last" moves a month or weekday strictly before the publication date, and
  "المقبل/next" strictly after; a bare weekday is the most recent one on or before it,
  also after "يوم" or "اليوم" ("اليوم الخميس", today Thursday, is that Thursday).
- Weeks ("الأسبوع الماضي", "last week") are ISO weeks, "2024-W40", with precision "week".
- Hijri: a full date converts exactly; month and year give the Gregorian month of the
  month's first day; a year alone gives the Gregorian year in which it begins.
- Numeric dates: "2024-10-06" and "2024/10/06" always; "06/10/2024" only when unambiguous
  (a part above 12, or both equal) or when the text is Arabic, whose press writes
  day/month/year; an ambiguous one in English text is not reported.

Speed: the patterns run only in windows around their anchors (month names, four digits,
قبل/منذ, weekdays, "ago"...), found in one pass per script; see "anchored scans" in
`raqib.text.numbers`. The results are those of a full scan (tests/text/test_anchored_scan.py).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from hijridate import Gregorian, Hijri

from raqib.text.numbers import (
    ARABIC,
    CLITIC,
    DIGIT,
    LB,
    RB,
    ArabicAnchors,
    LatinAnchors,
    Reach,
    Scan,
    Span,
    TextError,
    Window,
    alternation,
    anchor_key,
    ar_pattern,
    compile_re,
    counted_noun_at,
    finditer_in,
    fold_key,
    has_arabic,
    has_latin,
    load_data,
    lowered,
    parse_number,
    small_count_source,
    time_unit_forms,
    time_unit_of,
    to_ascii_digits,
)

__all__ = ["DateMatch", "find_dates", "publication_precision", "resolve_date"]


@dataclass(frozen=True)
class DateMatch:
    text: str
    start: int
    end: int
    value: str | None  # ISO 8601 at `precision`; "--10-06"/"--08" when the year is unknown
    precision: str  # "year" | "month" | "week" | "day"
    relative: bool


@dataclass(frozen=True)
class _Published:
    """The publication date as far as it is known: a day, a month or a year.

    `first` and `last` are the first and last days it may be (one day at "day" precision)."""

    first: dt.date
    last: dt.date
    precision: str  # "year" | "month" | "day"


@dataclass(frozen=True)
class _Cand:
    start: int
    end: int
    value: str | None
    precision: str
    relative: bool
    kind: str = ""


# --------------------------------------------------------------------------- data


def _months() -> dict:
    return load_data("months.yaml")


def _rel() -> dict:
    return load_data("relative_dates.yaml")


@functools.cache
def _month_keys() -> dict[str, dict[str, int]]:
    """Folded name -> month, per group: ar, ar_cue, en, en_cue, en_abbr, hijri."""
    g = _months()["gregorian"]
    keys = {
        "ar": {fold_key(k): v for k, v in g["ar"]["free"].items()},
        "ar_cue": {fold_key(k): v for k, v in g["ar"]["cue_only"].items()},
        "en": {k.lower(): v for k, v in g["en"]["free"].items()},
        "en_cue": {k.lower(): v for k, v in g["en"]["cue_only"].items()},
        "en_abbr": {k.lower(): v for k, v in g["en"]["abbreviations"].items()},
        "hijri": {fold_key(k): v for k, v in _months()["hijri"].items()},
    }
    return keys


def _by_month(*groups: dict[str, int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for group in groups:
        for name, month in group.items():
            out.setdefault(month, []).append(name)
    return out


def _month_groups(names: dict[int, list[str]], prefix: str, arabic: bool, double: bool) -> str:
    """One named group per month (`{prefix}{n}`); Arabic names may be doubled with / ( ) -.

    The second name follows "/", "(" (then ")" after it: a conditional group), "-" or a
    space; at most one of these fits a text, so writing the name once after them matches
    what one alternative per separator would, with a pattern half the size.
    """
    parts = []
    for month, forms in sorted(names.items()):
        alt = alternation(forms, arabic) if arabic else _en_names(forms)
        if double:
            paren = f"o{prefix}{month}"
            sep = rf"(?:\s*/\s*|\s*(?P<{paren}>\()\s*|\s*-\s*|\s+)"
            alt = rf"{alt}(?:{sep}{alt}(?({paren})\s*\)))?"
        parts.append(f"(?P<{prefix}{month}>{alt})")
    return "(?:" + "|".join(parts) + ")"


def _en_names(forms: list[str]) -> str:
    """English month or weekday names: as written and in upper case; abbreviations take "."."""
    variants = set()
    for f in forms:
        for v in (f, f.upper()):
            variants.add(re.escape(v) + (r"\.?" if len(f) <= 4 else ""))
    return "(?:" + "|".join(sorted(variants, key=len, reverse=True)) + ")"


def _month_of(m: re.Match[str], prefix: str) -> int:
    for k in range(1, 13):
        if m.group(f"{prefix}{k}") is not None:
            return k
    raise AssertionError("month group without a month")  # the regex guarantees one


# --------------------------------------------------------------------------- patterns

_YEAR = rf"(?P<year>{DIGIT}{{4}})(?!{DIGIT})"
_DAY = rf"(?<![\dA-Za-z.,/:])(?P<day>{DIGIT}{{1,2}})(?![\d.,/:])"


def _words(key: str, lang: str, source: dict | None = None) -> str:
    data = source if source is not None else _rel()
    return alternation(data[key][lang], arabic=(lang == "ar"))


@functools.cache
def _ar_res() -> dict[str, re.Pattern[str]]:
    keys = _month_keys()
    months = _month_groups(_by_month(keys["ar"], keys["ar_cue"]), "g", True, True)
    hijri = _month_groups(_by_month(keys["hijri"]), "h", True, False)
    ordinals = alternation(list(_months()["ordinal_days"]), arabic=True)
    gmark = alternation(_months()["gregorian_markers"], arabic=True)
    hmark = alternation(_months()["hijri_markers"], arabic=True)
    year_noun = alternation(["عام", "العام", "سنة", "السنة"], arabic=True)
    rel = rf"(?:\s+(?:(?P<past>{_words('past_words', 'ar')})|(?P<next>{_words('next_words', 'ar')})"
    rel += rf"|(?P<this>{_words('current_words', 'ar')})){RB})?"
    day = rf"(?:{_DAY}|(?P<ord>{ordinals})\s+من)"
    year_tail = rf"(?:\s*[,،]?\s*(?:من\s+)?(?:{year_noun}\s+)?{_YEAR}(?:\s*(?P<gm>{gmark}))?)"
    shahr = ar_pattern("شهر")
    return {
        "dmy": compile_re(
            rf"(?P<body>{day}\s+(?:(?:من\s+)?{shahr}\s+)?{months}{year_tail}?{RB}{rel})"
        ),
        "my": compile_re(rf"{LB}(?:{CLITIC})?(?P<body>(?:{shahr}\s+)?{months}{year_tail}{RB})"),
        "m": compile_re(rf"{LB}(?:{CLITIC})?(?P<body>(?P<shahr>{shahr}\s+)?{months}{RB}{rel})"),
        "hijri": compile_re(
            rf"{LB}(?:{CLITIC})?(?P<body>(?:{day}\s+|(?P<shahr>{shahr}\s+))?{hijri}"
            rf"(?:\s*[,،]?\s*(?:{year_noun}\s+)?{_YEAR}(?:\s*(?P<hm>{hmark}))?)?){RB}"
        ),
        "day_of_month": compile_re(
            rf"(?P<body>{day}\s+(?:من\s+)?(?:هذا\s+)?{ar_pattern('الشهر')}{rel}){RB}"
        ),
    }


@functools.cache
def _ar_year_res() -> dict[str, re.Pattern[str]]:
    m = _months()
    nouns = alternation(m["year_nouns"]["ar"], arabic=True)
    cues = alternation(m["year_cues"]["ar"], arabic=True)
    gmark = alternation(m["gregorian_markers"], arabic=True)
    hmark = alternation(m["hijri_markers"], arabic=True)
    marks = rf"(?:\s*(?P<hm>{hmark})|\s*(?P<gm>{gmark}))?"
    return {
        "noun": compile_re(rf"{LB}(?:{CLITIC})?(?P<body>(?P<noun>{nouns})\s+{_YEAR}{marks}){RB}"),
        "cue": compile_re(rf"{LB}(?:{CLITIC})?(?:{cues})\s+(?P<body>{_YEAR}{marks}){RB}"),
        "marked": compile_re(
            rf"(?<!\d)(?P<body>{_YEAR}(?:\s*(?P<hm>{hmark})|(?P<gm>{ar_pattern('م')}|"
            rf"\s*{alternation(['ميلادي', 'ميلادية', 'للميلاد'], True)}))){RB}"
        ),
    }


@functools.cache
def _en_res() -> dict[str, re.Pattern[str]]:
    keys = _month_keys()
    g = _months()["gregorian"]["en"]
    names = _by_month(g["free"], g["cue_only"], g["abbreviations"])
    months = _month_groups(names, "g", False, False)
    day = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\d)"
    year = r"(?P<year>\d{4})(?!\d)"
    rel = r"(?:(?i:(?P<past>last|this\s+past)|(?P<next>next|this\s+coming)|(?P<this>this))\s+)?"
    cues = "|".join(_months()["year_cues"]["en"])
    # English month names start with one of these capitals: failing there first doubles speed
    guard = "(?=[JFMASOND])"
    del keys
    return {
        "mdy": compile_re(rf"{guard}\b(?P<body>{months}\s+{day}(?:(?:\s*,\s*|\s+){year})?)\b"),
        "dmy": compile_re(rf"(?<![^\W_])(?P<body>{day}\s+(?:of\s+)?{months}(?:\s*,?\s*{year})?)\b"),
        "my": compile_re(rf"{guard}\b(?P<body>{months}\s*,?\s+(?:of\s+)?{year})"),
        "m": compile_re(rf"(?=[JFMASONDLNTlnt])\b(?P<body>{rel}{months})\b(?!\s*\d)"),
        "year": compile_re(rf"(?i:\b(?:{cues}|the\s+year|year)(?:\s+|-))(?P<body>{year})\b(?!-\d)"),
    }


@functools.cache
def _numeric_res() -> dict[str, re.Pattern[str]]:
    d = DIGIT
    lb = r"(?<![\d/.\-])"
    rb = r"(?!\d|[/.\-]\d)"
    return {
        "ymd": compile_re(
            rf"{lb}(?P<body>(?P<year>{d}{{4}})(?P<sep>[-/.])(?P<a>{d}{{1,2}})(?P=sep)(?P<b>{d}{{1,2}})){rb}"
        ),
        "dmy": compile_re(
            rf"{lb}(?P<body>(?P<a>{d}{{1,2}})(?P<sep>[-/.])(?P<b>{d}{{1,2}})(?P=sep)(?P<year>{d}{{4}})){rb}"
        ),
    }


@functools.cache
def _relative_res() -> dict[str, re.Pattern[str]]:
    r = _rel()
    ar_fixed = alternation(list(r["fixed"]["ar"]), arabic=True)
    en_fixed = alternation(list(r["fixed"]["en"]), arabic=False)
    count = small_count_source()
    units = [u for u in time_unit_forms("ar") if (time_unit_of(u) or ("", 0))[1] == 1]
    duals = [u for u in time_unit_forms("ar_dual") if (time_unit_of(u) or ("", 0))[1] == 1]
    # "قبل عام" but not the accusative "قبل عاما", which only follows a count
    singulars = [
        u
        for u in time_unit_forms("ar_singular")
        if (time_unit_of(u) or ("", 0))[1] == 1 and not fold_key(u).endswith("ا")
    ]
    en_units = [u for u in time_unit_forms("en") if (time_unit_of(u) or ("", 0))[1] == 1]
    ago = alternation(r["ago"]["ar_before"], arabic=True)
    wd_ar = alternation(list(r["weekdays"]["ar"]), arabic=True)
    wd_en = _en_names(list(r["weekdays"]["en"]))
    past_ar, next_ar = _words("past_words", "ar"), _words("next_words", "ar")
    en_en_rel = (
        r"(?:(?i:(?P<past>last|this\s+past|past)|(?P<next>next|this\s+coming|coming)|this|on)\s+)?"
    )
    return {
        "ar_fixed": compile_re(rf"{LB}(?:{CLITIC})?(?P<body>{ar_fixed}){RB}"),
        "en_fixed": compile_re(rf"(?i:\b(?P<body>{en_fixed}))\b"),
        "ar_ago": compile_re(
            rf"{LB}(?:{CLITIC})?(?P<body>{ago}\s+(?:(?P<n>{count})\s+"
            rf"(?P<unit>{alternation(units, True)})"
            rf"|(?P<unit1>{alternation(duals + singulars, True)}))){RB}(?!\s*{DIGIT})"
            rf"(?!\s+{ar_pattern('من')}{RB})"
        ),
        "en_ago": compile_re(
            rf"(?i:\b(?P<body>(?:(?P<n>{count})|(?P<a>an?))\s+"
            rf"(?P<unit>{alternation(en_units, False)})\s+ago))\b"
        ),
        "ar_weekday": compile_re(
            rf"{LB}(?:{CLITIC})?(?P<body>(?P<yawm>(?:ال)?{ar_pattern('يوم')}\s+)?(?P<wd>{wd_ar})"
            rf"(?:\s+(?:(?P<past>{past_ar})|(?P<next>{next_ar})))?){RB}"
        ),
        # a first-letter guard lets most positions fail at once (twice the speed)
        "en_weekday": compile_re(
            rf"(?=[MTWFSLNOPCmtwfslnopc])\b(?P<body>{en_en_rel}(?P<wd>{wd_en}))\b"
        ),
    }


# --------------------------------------------------------------------------- anchors
#
# Each pattern family runs only around its anchors (see "anchored scans" in
# raqib.text.numbers). The reach counts the tokens a match can span on either side of the
# anchor's token, plus two for lookaheads and slack: before a month name at most "الحادي
# عشر من من شهر", after it "الأول ( تشرين الأول ) ، من عام 2008 م الماضي" (the second
# name is an anchor too, so this is generous); before "ago" a count of up to five tokens
# ("twenty - five", "مئة و خمسة و عشرين") and a unit. tests/text/test_anchored_scan.py
# checks each family on its longest expression.

_REACH: dict[str, Reach] = {
    "month_ar_dmy": Reach(7, 13),  # "الحادي عشر من شهر" before a month name
    "month_ar_my": Reach(3, 13),  # "(شهر) تشرين الأول / أكتوبر ، من عام 2008 م"
    "month_ar_m": Reach(3, 8),  # "(شهر) تشرين الأول ( أكتوبر ) الماضي"
    "hijri_ar": Reach(5, 7),  # "الحادي عشر من ذي القعدة ، عام 1430 هـ"
    "dom_ar": Reach(7, 3),  # "التاسع من هذا الشهر"
    "fixed_ar": Reach(4, 4),  # "أول من أمس", "الشهر الماضي"
    "ago_ar": Reach(2, 10),  # "قبل خمسة و عشرين عاما"
    "weekday_ar": Reach(3, 3),  # "يوم الاثنين الماضي"
    "year": Reach(4, 3),  # four digits: "the year 2008", "عام 1430 هـ", "2024-10-06"
    "month_en": Reach(4, 5),  # "6th of October, 2024", "this past August"
    "month_en_my": Reach(4, 5),  # the same windows, where they hold a year
    "rel_en": Reach(4, 4),  # "the day before yesterday", "this past Monday"
    "ago_en": Reach(8, 3),  # "twenty - five years ago"
}

#: Families whose patterns need a year too: only their windows with four digits count.
_WITH_YEAR = ("month_ar_my", "month_en_my")

Windows = dict[str, list[Window] | None]

_YEAR_ANCHOR = re.compile(r"\d{4}")  # \d: the English patterns take any decimal digits


def _covering(anchors: list[str], phrases: list[str], key: Callable[[str], str]) -> list[str]:
    """`anchors`, plus the first word of any phrase that has no word starting with one
    (English anchors may also sit inside a word: key is str.lower)."""
    out = list(anchors)
    for phrase in phrases:
        words = key(phrase).split()
        inside = key is str.lower
        if not any((key(a) in w) if inside else w.startswith(key(a)) for a in out for w in words):
            out.append(phrase.split()[0])
    return out


@functools.cache
def _ar_anchors() -> ArabicAnchors:
    """Every Arabic pattern's first word (a month's name, قبل, a weekday...) starts a word
    or follows proclitics; so does each anchor of the fixed phrases, in the phrase."""
    m, r = _months(), _rel()
    g = m["gregorian"]["ar"]
    fixed = list(r["fixed"]["ar"])
    families = {
        "month_ar": [f.split()[0] for f in [*g["free"], *g["cue_only"]]],  # month_ar_*
        "hijri_ar": [f.split()[0] for f in m["hijri"]],
        "dom_ar": ["الشهر"],
        "fixed_ar": _covering(r["anchors"]["ar"], fixed, anchor_key),
        "ago_ar": list(r["ago"]["ar_before"]),
        "weekday_ar": list(r["weekdays"]["ar"]),
    }
    return ArabicAnchors(families, bounded=True)


@functools.cache
def _en_anchors() -> tuple[re.Pattern[str], LatinAnchors]:
    """Four digits and English month names (by their first three letters, as the patterns
    write them: as in months.yaml or in upper case) in one pass; the relative phrases'
    words in lower case.

    The first regex starts with a character class, so that the engine jumps from one
    candidate character to the next; a lookbehind then picks the branch of that character.
    """
    g = _months()["gregorian"]["en"]
    forms = [*g["free"], *g["cue_only"], *g["abbreviations"]]
    stems: dict[str, set[str]] = {}
    for v in {v[:3] for f in forms for v in (f, f.upper())}:
        stems.setdefault(v[0], set()).add(re.escape(v[1:]))
    first = "".join(re.escape(c) for c in sorted(stems))
    branches = [rf"(?<={re.escape(c)})(?:{'|'.join(sorted(rest))})" for c, rest in stems.items()]
    months = compile_re(rf"[\d{first}](?:(?<=\d)\d{{3}}|{'|'.join(sorted(branches))})")
    r = _rel()
    phrases = [*r["fixed"]["en"], *r["weekdays"]["en"]]
    words = _covering(r["anchors"]["en"], phrases, str.lower)
    ago = [w.lower() for w in r["ago"]["en_after"]]
    return months, LatinAnchors({"rel_en": [w.lower() for w in words], "ago_en": ago})


def _windows(text: str, langs: tuple[str, ...]) -> Windows:
    """The windows of each pattern family in `text` (None: scan the whole text)."""
    spans: dict[str, list[Span]] = {}
    out: Windows = {}
    if "ar" in langs:
        spans.update(_ar_anchors().find(text))
        month = spans.pop("month_ar", [])
        for family in ("month_ar_dmy", "month_ar_my", "month_ar_m"):
            spans[family] = month
    if "en" in langs:
        months, words = _en_anchors()
        found = [m.span() for m in months.finditer(text)]
        spans["year"] = [(s, e) for s, e in found if e - s == 4]
        spans["month_en"] = spans["month_en_my"] = [(s, e) for s, e in found if e - s == 3]
        low = lowered(text)
        if low is None:  # scan the whole text with the case-insensitive patterns
            out.update({family: None for family in words.families})
        else:
            spans.update(words.find(low))
    else:
        spans["year"] = [m.span() for m in _YEAR_ANCHOR.finditer(text)]
    scan = Scan(text)
    for family, reach in _REACH.items():
        if family not in out:
            anchors = spans.get(family)
            out[family] = scan.windows(anchors, reach) if anchors else []
    for family in _WITH_YEAR:
        wins = out.get(family)
        if wins:
            out[family] = _holding(wins, spans["year"])
    return out


def _holding(windows: list[Window], spans: list[Span]) -> list[Window]:
    """The windows that hold one of `spans` (both sorted)."""
    starts = [s for s, _ in spans]
    out = []
    for ws, we in windows:
        i = bisect.bisect_left(starts, ws)
        if i < len(spans) and spans[i][1] <= we:
            out.append((ws, we))
    return out


# --------------------------------------------------------------------------- resolution helpers


_PARTIAL_PUBLISHED = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2}))?")


def _parse_published(published: str | None) -> _Published | None:
    """ "YYYY-MM-DD" or a datetime (its date as written), "YYYY-MM" or "YYYY"."""
    if published is None:
        return None
    if not isinstance(published, str):
        kind = type(published).__name__
        raise TextError(f"published must be an ISO 8601 date string, got {kind}")
    text = published.strip()
    try:
        day = dt.date.fromisoformat(text[:10])
        return _Published(day, day, "day")
    except ValueError:
        pass
    partial = _partial_published(text)
    if partial is None:
        raise TextError(
            "published is not an ISO 8601 date (YYYY-MM-DD, a datetime, YYYY-MM or YYYY): "
            f"{published[:40]!r}"
        )
    return partial


def _partial_published(text: str) -> _Published | None:
    """ "YYYY-MM" or "YYYY" as the days it covers; None when it is neither."""
    m = _PARTIAL_PUBLISHED.fullmatch(text)
    if m is None:
        return None
    year = int(m.group("year"))
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    if m.group("month") is None:
        return _Published(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    month = int(m.group("month"))
    if not 1 <= month <= 12:
        return None
    last_day = calendar.monthrange(year, month)[1]
    return _Published(dt.date(year, month, 1), dt.date(year, month, last_day), "month")


def publication_precision(published: str | None) -> str | None:
    """How precisely `published` gives the publication date, "day", "month" or "year";
    None when it is None or not a date `find_dates` accepts."""
    try:
        pub = _parse_published(published)
    except TextError:
        return None
    return pub.precision if pub is not None else None


_T = TypeVar("_T")


def _at(value_at: Callable[[dt.date], _T], day: dt.date) -> _T | None:
    try:
        return value_at(day)
    except OverflowError:  # past year 9999 or before year 1, or outside the Hijri tables
        return None


def _known(pub: _Published, value_at: Callable[[dt.date], _T]) -> _T | None:
    """`value_at` the publication date, when every day `pub` may be gives the same; else None.

    Every rule here moves forward with the publication date, never back (a shift by a
    fixed amount, the year of "the most recent such month", "the last Monday on or before
    it"), so the first and last possible days bound all the others: the same value on
    both is the value on every day between them.
    """
    first = _at(value_at, pub.first)
    if pub.first == pub.last or first is None:
        return first
    return first if _at(value_at, pub.last) == first else None


#: What a value at one precision keeps when only a coarser part of it is known.
_COARSER: dict[str, tuple[tuple[str, int], ...]] = {
    "day": (("month", 7), ("year", 4)),
    "month": (("year", 4),),
    # an ISO week ("2015-W40") may straddle two months or two years: nothing coarser
}


def _resolved(
    pub: _Published | None, value_at: Callable[[dt.date], str | None], precision: str
) -> tuple[str | None, str]:
    """The ISO value `value_at` the publication date, at `precision`, or coarser when only
    that much is certain.

    With a month or a year of publication, a day that moves with the publication day
    ("yesterday", "on Tuesday") has no value; what every possible value shares is still
    known and correct ("yesterday" with "2015-10" is in 2015, though not always in
    October: on 1 October it is 30 September). Values are ISO strings in time order, so by
    the argument of `_known` the prefix shared by the first and last is shared by all.
    """
    if pub is None:
        return None, precision
    first = _at(value_at, pub.first)
    if pub.first == pub.last or first is None:
        return first, precision
    last = _at(value_at, pub.last)
    if last == first:
        return first, precision
    for coarser, width in _COARSER.get(precision, ()):
        if last is not None and first[:width] == last[:width]:
            return first[:width], coarser
    return None, precision


def _year_for_month(month: int, pub: dt.date, past: bool, nxt: bool) -> int:
    if nxt:
        return pub.year if month > pub.month else pub.year + 1
    if past:
        return pub.year if month < pub.month else pub.year - 1
    return pub.year if month <= pub.month else pub.year - 1


def _ymd(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _add_months(d: dt.date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def _iso_week(d: dt.date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _shift(pub: _Published | None, unit: str, offset: int) -> tuple[str | None, str]:
    """The value of "offset units from the publication date" at the unit's precision."""
    precision = {
        "days": "day",
        "day": "day",
        "hours": "day",
        "weeks": "week",
        "week": "week",
        "months": "month",
        "month": "month",
        "years": "year",
        "year": "year",
    }[unit]
    return _resolved(pub, lambda day: _shifted(day, unit, offset, precision), precision)


def _shifted(pub: dt.date, unit: str, offset: int, precision: str) -> str:
    if precision == "day":
        days = offset
        if unit == "hours":  # "قبل ساعتين": the same day unless a day or more has passed
            days = -(-offset // 24) if offset < 0 else offset // 24
        return (pub + dt.timedelta(days=days)).isoformat()
    if precision == "week":
        return _iso_week(pub + dt.timedelta(weeks=offset))
    if precision == "month":
        y, m = _add_months(pub, offset)
        return f"{y:04d}-{m:02d}"
    return f"{pub.year + offset:04d}"


def _plausible(year: int) -> bool:
    return 1000 <= year <= 2199


def _int(s: str) -> int:
    return int(to_ascii_digits(s))


def _gregorian_value(
    year: int | None, month: int, day: int | None, pub: _Published | None, m: re.Match[str]
) -> tuple[str | None, str] | None:
    """Resolve a Gregorian date match; None when it is not a valid date. Without a year,
    the month's year when the publication date fixes it, else "--MM" / "--MM-DD"."""
    past, nxt = bool(m.groupdict().get("past")), bool(m.groupdict().get("next"))
    this = bool(m.groupdict().get("this"))
    if year is not None and not _plausible(year):
        return None
    if year is None and pub is not None:
        year = _known(pub, lambda d: d.year if this else _year_for_month(month, d, past, nxt))
    if day is not None and not 1 <= day <= 31:
        return None
    if year is None:
        if day is None:
            return f"--{month:02d}", "month"
        return (f"--{month:02d}-{day:02d}" if _ymd(2000, month, day) else None), "day"
    if day is None:
        return f"{year:04d}-{month:02d}", "month"
    value = _ymd(year, month, day)
    return (value, "day") if value else None


def _day_of(m: re.Match[str]) -> int | None:
    if m.groupdict().get("day"):
        return _int(m.group("day"))
    if m.groupdict().get("ord"):
        return _months()["ordinal_days"].get(_ord_key(m.group("ord")))
    return None


@functools.cache
def _ordinal_keys() -> dict[str, str]:
    return {fold_key(k): k for k in _months()["ordinal_days"]}


def _ord_key(text: str) -> str:
    return _ordinal_keys().get(fold_key(text), "")


# --------------------------------------------------------------------------- finders


def _body(m: re.Match[str]) -> tuple[int, int]:
    return m.span("body")


@functools.cache
def _name_before_res() -> dict[str, re.Pattern[str]]:
    words = _months()["name_words_before"]
    return {
        "ar": compile_re(
            rf"{LB}(?:{CLITIC})?(?:ال)?{alternation(words['ar'], True)}\s+(?:{DIGIT}{{1,2}}\s+)?$"
        ),
        "en": compile_re(
            rf"\b(?:{'|'.join(words['en'])})\s+(?:of\s+)?(?:the\s+)?(?:\d{{1,2}}\s+)?$"
        ),
    }


def _is_name(text: str, start: int, lang: str) -> bool:
    """ "قوى 14 آذار", "ثورة 25 يناير": a day and month that name a group or an event."""
    return _name_before_res()[lang].search(text, max(0, start - 20), start) is not None


def _ar_dates(text: str, pub: _Published | None, wins: Windows) -> list[_Cand]:
    res = _ar_res()
    out = []
    for kind in ("dmy", "my", "m"):
        for m in finditer_in(res[kind], text, wins.get("month_ar_" + kind)):
            if kind == "m" and not _lone_month_ok(text, m):
                continue
            if _is_name(text, m.start("body"), "ar"):
                continue
            year = _int(m.group("year")) if m.groupdict().get("year") else None
            resolved = _gregorian_value(year, _month_of(m, "g"), _day_of(m), pub, m)
            if resolved is not None:
                s, e = _body(m)
                out.append(_Cand(s, e, resolved[0], resolved[1], year is None, kind))
    for m in finditer_in(res["hijri"], text, wins.get("hijri_ar")):
        cand = _hijri_cand(m, pub)
        if cand is not None:
            out.append(cand)
    for m in finditer_in(res["day_of_month"], text, wins.get("dom_ar")):
        day = _day_of(m)
        value, precision = None, "day"
        if day is not None:
            offset = -1 if m.group("past") else 1 if m.group("next") else 0
            at = functools.partial(_day_of_month_value, day=day, offset=offset)
            value, precision = _resolved(pub, at, "day")
        s, e = _body(m)
        out.append(_Cand(s, e, value, precision, True, "day_of_month"))
    return out


def _day_of_month_value(pub: dt.date, day: int, offset: int) -> str | None:
    """ "التاسع من الشهر الماضي": `day` of the month `offset` months from publication."""
    return _ymd(*_add_months(pub, offset), day)


@functools.cache
def _cue_before_res() -> dict[str, re.Pattern[str]]:
    cues = _months()["month_cues"]
    return {
        "ar": compile_re(rf"{LB}(?:{CLITIC})?(?:{alternation(cues['ar'], True)})\s+$"),
        "en": compile_re(rf"(?i:\b(?:{'|'.join(cues['en'])})[\s-]+)$"),
    }


def _lone_month_ok(text: str, m: re.Match[str]) -> bool:
    """A lone month name that is also a word (مارس، آب، May) needs a cue or a past/next word."""
    month_text = text[m.start(_month_span_group(m)) : m.end(_month_span_group(m))]
    key = fold_key(month_text)
    keys = _month_keys()
    if key.rstrip(".") in keys["en_abbr"]:
        return False
    if key not in keys["ar_cue"] and key not in keys["en_cue"]:
        return True
    gd = m.groupdict()
    if gd.get("shahr") or gd.get("past") or gd.get("next") or gd.get("this"):
        return True
    lang = "en" if key in keys["en_cue"] else "ar"
    start = m.start(_month_span_group(m))
    return _cue_before_res()[lang].search(text, max(0, start - 25), start) is not None


def _month_span_group(m: re.Match[str]) -> str:
    for k in range(1, 13):
        if m.group(f"g{k}") is not None:
            return f"g{k}"
    raise AssertionError("month group without a month")


def _hijri_cand(m: re.Match[str], pub: _Published | None) -> _Cand | None:
    day = _day_of(m)
    year = _int(m.group("year")) if m.group("year") else None
    if day is None and year is None and not m.group("shahr"):
        return None
    month = _month_of(m, "h")
    s, e = _body(m)
    if year is None:
        year = None if pub is None else _known(pub, lambda d: _hijri_year_for_month(month, d))
        if year is None:
            return _Cand(s, e, None, "day" if day else "month", True, "hijri")
    try:
        first = Hijri(year, month, day or 1).to_gregorian()
    except (OverflowError, ValueError):
        return None
    if day:
        return _Cand(s, e, first.isoformat(), "day", m.group("year") is None, "hijri")
    month_value = f"{first.year:04d}-{first.month:02d}"
    return _Cand(s, e, month_value, "month", m.group("year") is None, "hijri")


def _hijri_year_for_month(month: int, pub: dt.date) -> int:
    """The Hijri year of the most recent such Hijri month (`_year_for_month`'s rule)."""
    h = Gregorian(pub.year, pub.month, pub.day).to_hijri()
    return int(h.year if month <= h.month else h.year - 1)


def _year_value(year: int, hijri: bool) -> str | None:
    if hijri:
        try:
            return f"{Hijri(year, 1, 1).to_gregorian().year:04d}"
        except (OverflowError, ValueError):
            return None
    return f"{year:04d}" if _plausible(year) else None


_SECOND_YEAR = re.compile(
    rf"\s*(?:و|-|–|(?i:and|to)|{ar_pattern('إلى')}|{ar_pattern('حتى')})\s*"
    rf"(?P<year>{DIGIT}{{4}})(?!{DIGIT})"
)


def _ar_years(text: str, pub: _Published | None, wins: Windows) -> list[_Cand]:
    out = []
    for kind, pattern in _ar_year_res().items():
        for m in finditer_in(pattern, text, wins.get("year")):
            if kind == "cue" and not m.group("hm") and counted_noun_at(text, m.end("year")):
                continue
            value = _year_value(_int(m.group("year")), bool(m.group("hm")))
            if value is None:
                continue
            s, e = _body(m)
            out.append(_Cand(s, e, value, "year", False, "year_" + kind))
            if kind == "noun" and fold_key(m.group("noun")).endswith("ي"):
                out.extend(_second_year(text, e, bool(m.group("hm"))))
    return out


def _second_year(text: str, pos: int, hijri: bool) -> list[_Cand]:
    """The second year of "عامي 2008 و2012" / "between 2008 and 2012"."""
    m = _SECOND_YEAR.match(text, pos)
    if m is None:
        return []
    value = _year_value(_int(m.group("year")), hijri)
    if value is None:
        return []
    s, e = m.span("year")
    return [_Cand(s, e, value, "year", False, "year_second")]


def _en_dates(text: str, pub: _Published | None, wins: Windows) -> list[_Cand]:
    res = _en_res()
    out = []
    for kind in ("mdy", "dmy", "my", "m"):
        family = "month_en_my" if kind == "my" else "month_en"
        for m in finditer_in(res[kind], text, wins.get(family)):
            if kind == "m" and not _lone_month_ok(text, m):
                continue
            if _is_name(text, m.start("body"), "en"):
                continue
            year = int(m.group("year")) if m.groupdict().get("year") else None
            day = int(m.group("day")) if m.groupdict().get("day") else None
            resolved = _gregorian_value(year, _month_of(m, "g"), day, pub, m)
            if resolved is not None:
                s, e = _body(m)
                out.append(_Cand(s, e, resolved[0], resolved[1], year is None, "en_" + kind))
    for m in finditer_in(res["year"], text, wins.get("year")):
        if counted_noun_at(text, m.end("year")):
            continue
        value = _year_value(int(m.group("year")), False)
        if value is not None:
            s, e = _body(m)
            out.append(_Cand(s, e, value, "year", False, "en_year"))
            out.extend(_second_year(text, e, False))
    return out


def _numeric_dates(text: str, arabic_text: bool, wins: Windows) -> list[_Cand]:
    out = []
    for kind, pattern in _numeric_res().items():
        for m in finditer_in(pattern, text, wins.get("year")):
            year, a, b = _int(m.group("year")), _int(m.group("a")), _int(m.group("b"))
            if kind == "ymd":
                month, day = a, b
            elif a > 12 or a == b or arabic_text:
                day, month = a, b
            elif b > 12:
                month, day = a, b
            else:
                continue  # 06/10/2024 in English text: June or October?
            value = _ymd(year, month, day) if _plausible(year) else None
            if value is not None:
                s, e = _body(m)
                out.append(_Cand(s, e, value, "day", False, "numeric"))
    return out


def _relative(
    text: str, pub: _Published | None, langs: tuple[str, ...], wins: Windows
) -> list[_Cand]:
    res = _relative_res()
    out: list[_Cand] = []
    for lang in langs:
        table = _fixed_table(lang)
        family = "fixed_ar" if lang == "ar" else "rel_en"
        for m in finditer_in(res[f"{lang}_fixed"], text, wins.get(family)):
            key = fold_key(m.group("body"))
            if key in ("اليوم", "today") and _today_blocked(text, m, lang):
                continue
            if key not in table:  # "yeſterday": IGNORECASE matches ſ to s, the table does not
                continue
            unit, offset = table[key]
            value, precision = _shift(pub, unit, offset)
            s, e = _body(m)
            out.append(_Cand(s, e, value, precision, True, "fixed"))
        family = "ago_ar" if lang == "ar" else "ago_en"
        out.extend(_ago(text, pub, res[f"{lang}_ago"], wins.get(family)))
        family = "weekday_ar" if lang == "ar" else "rel_en"
        out.extend(_weekdays(text, pub, res[f"{lang}_weekday"], lang, wins.get(family)))
    return out


@functools.cache
def _fixed_table(lang: str) -> dict[str, list]:
    return {fold_key(k): v for k, v in _rel()["fixed"][lang].items()}


def _ago(
    text: str, pub: _Published | None, pattern: re.Pattern[str], windows: list[Window] | None
) -> list[_Cand]:
    out = []
    for m in finditer_in(pattern, text, windows):
        unit_form = m.group("unit") or m.groupdict().get("unit1") or ""
        info = time_unit_of(unit_form)
        if info is None:
            continue
        if m.group("n"):
            n = parse_number(m.group("n"))
        elif m.groupdict().get("unit1"):
            n = 2 if fold_key(unit_form) in _dual_time_keys() else 1
        else:
            n = 1  # "a year ago"
        if n is None or n != int(n):
            continue
        value, precision = _shift(pub, info[0], -int(n))
        s, e = _body(m)
        out.append(_Cand(s, e, value, precision, True, "ago"))
    return out


@functools.cache
def _dual_time_keys() -> frozenset[str]:
    return frozenset(fold_key(f) for f in time_unit_forms("ar_dual"))


@functools.cache
def _today_block_res() -> dict[str, re.Pattern[str]]:
    blocked = _rel()["today_blocked_after"]
    weekdays = alternation(list(_rel()["weekdays"]["ar"]), arabic=True)
    return {
        "ar_before": compile_re(rf"{LB}(?:{CLITIC})?{alternation(blocked['ar'], True)}\s+$"),
        "en_before": compile_re(rf"\b(?:{'|'.join(blocked['en'])})\s+$"),
        # a definite word after اليوم that is not a weekday: "اليوم التالي", "اليوم العالمي"
        "ar_after": compile_re(rf"\s+(?!{weekdays}{RB})ال{ARABIC}"),
    }


def _today_blocked(text: str, m: re.Match[str], lang: str) -> bool:
    res = _today_block_res()
    s, e = _body(m)
    if res[f"{lang}_before"].search(text, max(0, s - 20), s):
        return True
    return lang == "ar" and res["ar_after"].match(text, e) is not None


@functools.cache
def _weekday_tables() -> tuple[dict[str, int], frozenset[str], dict[str, frozenset[str]]]:
    r = _rel()
    table = {fold_key(k): v for lang in ("ar", "en") for k, v in r["weekdays"][lang].items()}
    needs_cue = frozenset(fold_key(w) for w in r["weekday_needs_cue_ar"])
    blocked = {k: frozenset(v) for k, v in r["weekday_blocked_en"].items()}
    return table, needs_cue, blocked


_FOLLOWED_BY_DATE = re.compile(rf"\s*[,،]?\s*{DIGIT}")
_WORD_BEFORE = re.compile(r"(\w+)\s+$")
_WORD_AFTER = re.compile(r"\s+(\w+)")


def _weekdays(
    text: str,
    pub: _Published | None,
    pattern: re.Pattern[str],
    lang: str,
    windows: list[Window] | None,
) -> list[_Cand]:
    table, needs_cue, blocked = _weekday_tables()
    out = []
    for m in finditer_in(pattern, text, windows):
        wd_key = fold_key(m.group("wd"))
        past, nxt = bool(m.group("past")), bool(m.group("next"))
        if lang == "ar" and wd_key in needs_cue and not _weekday_cued(text, m, past or nxt):
            continue
        if lang == "en" and _en_weekday_blocked(text, m, blocked):
            continue
        if wd_key not in table:
            continue
        at = functools.partial(_weekday_value, weekday=table[wd_key], past=past, nxt=nxt)
        value, precision = _resolved(pub, at, "day")
        s, e = _body(m)
        if lang == "en" and not (past or nxt):
            s = m.start("wd")  # "on Monday": the span is the day's name
        out.append(_Cand(s, e, value, precision, True, "weekday"))
    return out


def _weekday_cued(text: str, m: re.Match[str], moved: bool) -> bool:
    """An ambiguous Arabic weekday (الاثنين "the two") needs يوم, الماضي/المقبل or a date."""
    return bool(m.group("yawm") or moved or _FOLLOWED_BY_DATE.match(text, m.end()))


def _en_weekday_blocked(text: str, m: re.Match[str], blocked: dict[str, frozenset[str]]) -> bool:
    before = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
    after = _WORD_AFTER.match(text, m.end())
    return bool(
        (before and before.group(1) in blocked["before"])
        or (after and after.group(1) in blocked["after"])
    )


def _weekday_value(pub: dt.date, weekday: int, past: bool, nxt: bool) -> str:
    if nxt:
        return (pub + dt.timedelta(days=(weekday - pub.weekday()) % 7 or 7)).isoformat()
    back = (pub.weekday() - weekday) % 7
    if past and back == 0:
        back = 7
    return (pub - dt.timedelta(days=back)).isoformat()


# --------------------------------------------------------------------------- selection


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Earliest start first, then the longest; drop candidates that overlap a kept one."""
    out: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (c.start, c.start - c.end)):
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out


_WEEKDAY_DATE_GAP = re.compile(r"\s*[,،]?\s*")


def _merge_weekdays(text: str, cands: list[_Cand]) -> list[_Cand]:
    """ "يوم الاثنين 7 أكتوبر" / "Monday, Oct. 7": the weekday joins the explicit date after it."""
    out: list[_Cand] = []
    for c in cands:
        if out and out[-1].kind == "weekday" and c.precision == "day" and c.kind != "weekday":
            prev = out[-1]
            if _WEEKDAY_DATE_GAP.fullmatch(text, prev.end, c.start):
                out[-1] = _Cand(prev.start, c.end, c.value, c.precision, c.relative, c.kind)
                continue
        out.append(c)
    return out


def find_dates(text: str, published: str | None = None, lang: str | None = None) -> list[DateMatch]:
    """Dates in `text`, resolved against `published` where the text needs it.

    `published` is ISO 8601: "YYYY-MM-DD" or a datetime, or only "YYYY-MM" or "YYYY", and
    expressions are then resolved as far as that supports (see the module's notes).

    `lang` ("ar" or "en") limits the patterns to one language; None or another code uses
    both. Matches do not overlap and come in text order.
    """
    if not isinstance(text, str):
        raise TextError(f"expected text as str, got {type(text).__name__}")
    return _find_dates(text, _parse_published(published), lang)


def _find_dates(
    text: str, pub: _Published | None, lang: str | None, anchored: bool = True
) -> list[DateMatch]:
    """find_dates; `anchored=False` runs every pattern over the whole text (for tests)."""
    langs: tuple[str, ...] = (str(lang),) if lang in ("ar", "en") else ("ar", "en")
    # skip a script's patterns when the text has none of its letters (half the time)
    arabic = has_arabic(text)
    langs = tuple(x for x in langs if (arabic if x == "ar" else has_latin(text)))
    wins = _windows(text, langs) if anchored else {}
    cands: list[_Cand] = []
    if "ar" in langs:
        cands += _ar_dates(text, pub, wins) + _ar_years(text, pub, wins)
    if "en" in langs:
        cands += _en_dates(text, pub, wins)
    arabic_text = lang == "ar" or (lang is None and arabic)
    cands += _numeric_dates(text, arabic_text, wins)
    cands += _relative(text, pub, langs, wins)
    selected = _merge_weekdays(text, _select(cands))
    return [
        DateMatch(text[c.start : c.end], c.start, c.end, c.value, c.precision, c.relative)
        for c in selected
    ]


def resolve_date(phrase: str, published: str | None = None) -> str | None:
    """The ISO value of the longest date in `phrase` (e.g. "قبل عامين" -> "2022"), or None."""
    matches = find_dates(phrase, published)
    if not matches:
        return None
    return max(matches, key=lambda m: m.end - m.start).value
