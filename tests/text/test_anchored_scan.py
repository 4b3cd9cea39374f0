"""The anchored scans of find_dates, find_ages and find_durations ("anchored scans" in
raqib.text.numbers) give exactly the results of running every pattern over the whole
text: on the corpus, and on generated text built to stress the windows' edges (long runs
of spaces and hyphens, proclitics, diacritics, the characters that IGNORECASE treats
unlike str.lower)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raqib.text import dates, numbers
from raqib.text.numbers import anchor_key, compile_re, load_data

PUBS = [None, "2024-10-09", "2023-01-02"]


def _corpus_texts(shared_dir: Path, seed_path: Path) -> list[str]:
    corpus = shared_dir / "corpus"
    paths = [
        *sorted((corpus / "anercorp" / "passages").glob("*.txt")),
        *sorted((corpus / "re3d" / "txt").rglob("*.txt")),
        *sorted((corpus / "treasury").glob("*.txt")),
        seed_path,
    ]
    assert len(paths) > 150
    return [p.read_text(encoding="utf-8") for p in paths]


def _same_dates(text: str, published: str | None, lang: str | None) -> None:
    pub = dates._parse_published(published)
    anchored = dates._find_dates(text, pub, lang)
    assert anchored == dates._find_dates(text, pub, lang, anchored=False)


def _same_numbers(text: str) -> None:
    assert numbers._ages(text) == numbers._ages(text, anchored=False)
    assert numbers._durations(text) == numbers._durations(text, anchored=False)


def test_corpus_anchored_scans_equal_full_scans(shared_dir: Path, seed_path: Path) -> None:
    for text in _corpus_texts(shared_dir, seed_path):
        for lang in (None, "ar", "en"):
            _same_dates(text, "2024-10-09", lang)
        _same_numbers(text)


def test_corpus_anchored_scans_find_something(shared_dir: Path, seed_path: Path) -> None:
    """The comparison above is not vacuous: the corpus has dates, ages and durations."""
    texts = _corpus_texts(shared_dir, seed_path)
    assert sum(len(dates.find_dates(t, "2024-10-09")) for t in texts) > 500
    assert sum(len(numbers.find_durations(t)) for t in texts) > 40
    assert sum(len(numbers.find_ages(t)) for t in texts) >= 4  # few: the generated text has more


# The longest expression of each pattern family (the reach of its windows is counted from
# these) and what a full scan reports for it.
LONGEST = [
    ("date", "منذ مئة و خمسة و عشرين عاما", "منذ مئة و خمسة و عشرين عاما"),
    (
        "date",
        "الحادي عشر من من شهر تشرين الأول ( تشرين الأول ) ، من عام 2008 م الماضي",
        "الحادي عشر من من شهر تشرين الأول ( تشرين الأول ) ، من عام 2008 م الماضي",
    ),
    ("date", "شهر تشرين الأول ( تشرين الأول ) ، من عام 2008 م", None),
    ("date", "شهر تشرين الأول ( تشرين الأول ) الماضي", None),
    ("date", "الحادي عشر من ذي القعدة ، عام 1430 هـ", None),
    ("date", "الحادي عشر من من هذا الشهر الماضي", None),
    ("date", "أول من أمس", None),
    ("date", "اليوم الاثنين الماضي", None),
    ("date", "the year 2008", "2008"),
    ("date", "6th of October , 2024", None),
    ("date", "Oct. 6 , 2022", None),
    ("date", "October , of 2024", None),
    ("date", "this past August", None),
    ("date", "the day before yesterday", None),
    ("date", "this past Monday", None),
    ("date", "twenty - five years ago", None),
    ("age", "البالغة من العمر مئة و خمسة و عشرين عاما", None),
    ("age", "مئة و خمسة و عشرين عاما من العمر", None),
    ("age", "( مئة و خمسة و عشرين عاما )", "مئة و خمسة و عشرين عاما"),
    ("age", "ذات المئة و خمسة و عشرين عاما", None),
    ("age", "twenty-five - - - - - - - - years - - - - - old", None),
    ("age", "at age twenty - five", None),
    ("duration", "أكثر من عامين و نصف", "عامين و نصف"),
    ("duration", "أكثر من عام and a half", "عام and a half"),
    ("duration", "a decade and a half", None),
]


def _found(kind: str, text: str, anchored: bool) -> list:
    if kind == "date":
        pub = dates._parse_published("2024-10-09")
        return dates._find_dates(text, pub, None, anchored=anchored)
    if kind == "age":
        return list(numbers._ages(text, anchored=anchored))
    return numbers._durations(text, anchored=anchored)


@pytest.mark.parametrize(("kind", "expression", "reported"), LONGEST)
def test_longest_expressions_in_anchored_scans(
    kind: str, expression: str, reported: str | None
) -> None:
    text = f"قال  {expression}  said"
    assert [m.text for m in _found(kind, text, anchored=False)] == [reported or expression]
    variants = [
        text,
        expression,
        expression + " 2",  # lookaheads: a number after a duration or an offset
        expression + " من",
        "و" + expression,
        expression.replace(" ", "   \n "),
        expression.replace(" ", "\u00a0"),
    ]
    for variant in variants:
        assert _found(kind, variant, True) == _found(kind, variant, False), variant


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("\u212a 5 years ago", "5 years ago"),  # Kelvin sign elsewhere in the text
        ("ſ: two months ago", "two months ago"),
        ("ı: last week", "last week"),
        ("İstanbul, 3 days ago", "3 days ago"),
        ("THIS PAſT MONDAY", "THIS PAſT MONDAY"),  # IGNORECASE matches ſ to s
    ],
)
def test_case_insensitive_patterns_where_lower_case_differs(text: str, found: str) -> None:
    """IGNORECASE matches İ ı ſ K where str.lower does not: such a text is scanned whole."""
    pub = dates._parse_published("2024-10-09")
    full = dates._find_dates(text, pub, None, anchored=False)
    assert [m.text for m in full] == [found]
    assert dates._find_dates(text, pub, None) == full
    assert numbers._durations(text) == numbers._durations(text, anchored=False)


@pytest.mark.parametrize(
    "text",
    ["yeſterday", "laſt week", "5 yearſ ago", "$5 bıllıon", "10 DOLLARſ", "30 rıfles", "٣ درةم"],
)
def test_case_and_letter_variants_the_tables_do_not_know_are_skipped(text: str) -> None:
    """A pattern may match a form (IGNORECASE: ſ for s, ı for i; Arabic: ة for ه) that its
    lookup table does not hold: it is skipped, not a KeyError."""
    dates.find_dates(text, "2024-10-09")
    for finder in (numbers.find_numbers, numbers.find_money, numbers.find_quantities):
        finder(text)
    numbers.find_durations(text)
    assert dates.find_dates("yeſterday", "2024-10-09") == []


# Generated text: whole expressions at their longest (a count of three words with spaced
# joiners, a double month name with a year and "الماضي"...), with every space drawn from
# odd whitespace, between filler words that may carry the characters IGNORECASE treats
# unlike str.lower, diacritics, tatweel and proclitics.

AR_COUNT = ["خمسة", "عشرين", "ثلاث", "مئة", "ثلاثمائة", "سبعة", "الخامسة", "57", "٧"]
EN_COUNT = ["twenty", "five", "three", "one", "Seventy", "hundred", "57", "a", "an"]
JOINERS = [" و ", " و", " - ", "-", " "]
AR_UNITS = ["عاما", "أعوام", "سنوات", "سنة", "أشهر", "شهرا", "أيام", "ساعات", "أسابيع", "عقود"]
EN_UNITS = ["years", "year", "months", "days", "weeks", "hours", "decades", "yrs"]
AR_MONTHS = ["تشرين الأول", "أكتوبر", "آب", "أغسطس", "كانون الثاني", "ماي", "مارس", "ذي القعدة"]
EN_MONTHS = ["October", "Oct.", "MAY", "March", "Sept.", "Dec"]
MONTH_SEPARATORS = ["/", " / ", " (", " - ", " "]
FILLERS = ["قال", "الذي", "وفي", "بعد", "ال", "the", "said", "at", "of", "\u0640", "\u064e", "،",
           ".", "(", ")", "-"]  # fmt: skip
# Any of these in a text makes the English patterns scan all of it (see `lowered`).
ODD = ["\u212a", "ſtate", "İstanbul", "ı"]
SPACES = [" ", " ", " ", "  ", "\n", "\u00a0", "      ", "\t"]


@st.composite
def _count(draw: st.DrawFn, words: list[str]) -> str:
    parts = draw(st.lists(st.sampled_from(words), min_size=1, max_size=3))
    out = parts[0]
    for part in parts[1:]:
        out += draw(st.sampled_from(JOINERS)) + part
    return out


@st.composite
def _expression(draw: st.DrawFn) -> str:
    pick = lambda xs: draw(st.sampled_from(xs))  # noqa: E731
    opt = lambda x: x if draw(st.booleans()) else ""  # noqa: E731
    ar_n = lambda: draw(_count(AR_COUNT))  # noqa: E731
    en_n = lambda: draw(_count(EN_COUNT))  # noqa: E731
    year = lambda: pick(["2008", "2024", "1430", "١٤٤٥"])  # noqa: E731
    forms = [
        lambda: f"{pick(['قبل', 'منذ', 'وقبل'])} {ar_n()} {pick(AR_UNITS)}{opt(' من')}{opt(' 2')}",
        lambda: f"{en_n()} {pick(EN_UNITS)} ago",
        lambda: (
            f"{opt(pick(['7 ', 'الحادي عشر من ', '31 ']))}{opt('من ')}{opt('شهر ')}"
            f"{pick(AR_MONTHS)}{opt(pick(MONTH_SEPARATORS) + pick(AR_MONTHS) + opt(')'))}"
            f"{opt(pick(['، ', ' ', ',']) + opt('من ') + opt('عام ') + year() + opt(' م'))}"
            f"{opt(pick([' الماضي', ' المقبل', ' الجاري', ' هـ']))}"
        ),
        lambda: (
            f"{opt(pick(['6th of ', '8 ']))}{opt(pick(['this past ', 'last ', 'next ']))}"
            f"{pick(EN_MONTHS)}{opt(' ' + pick(['6', '8,']))}{opt(pick([', ', ' ']) + year())}"
        ),
        lambda: (
            f"{pick(['البالغة من العمر', 'يبلغ من العمر', 'عمره', '(', 'ذات ال', 'ابن'])} "
            f"{ar_n()} {pick(['عاما', 'سنة', 'أعوام'])}{opt(' من العمر')}{opt(')')}"
        ),
        lambda: f"في ال{ar_n()} من العمر",
        lambda: f"{en_n()}{pick([' - ', '-', ' ', ' - - '])}years{pick(['-', ' - ', ' '])}old",
        lambda: f"{pick(['aged', 'age of', 'at age'])} {en_n()}",
        lambda: (
            f"{pick(['لمدة', 'أكثر من', 'خلال', 'منذ'])} {pick(['عام', 'عامين', 'عقد', 'شهرين'])}"
            f"{opt(pick([' و نصف', ' ونصف', ' and a half', ' من الزمن']))}{opt(' 2')}"
        ),
        lambda: (
            f"{pick(['a', 'an', 'once a'])} {pick(['year', 'decade', 'hour'])}{opt(' and a half')}"
        ),
        lambda: (
            f"{pick(['يوم ', 'اليوم ', ''])}{pick(['الاثنين', 'الخميس', 'الجمعة'])}"
            f"{opt(pick([' الماضي', ' المقبل', ' 7 أكتوبر']))}"
        ),
        lambda: f"{opt(pick(['this past ', 'last ', 'on ']))}{pick(['Monday', 'FRIDAY'])}",
        lambda: pick(["أول من أمس", "the day before yesterday", "this week", "الشهر الماضي"]),
        lambda: f"{pick(['the year', 'in', 'عامي', 'عام', 'في'])} {year()}{opt(' و' + year())}",
        lambda: pick(["2024-10-06", "06/10/2024", "١٤٤٥/٠٣/١٢", "ثورة 25 يناير"]),
    ]
    return pick(forms)().replace(" ", pick(SPACES))


@st.composite
def _text(draw: st.DrawFn) -> str:
    filler = st.sampled_from(FILLERS)
    parts = draw(st.lists(st.one_of(_expression(), _expression(), filler), max_size=12))
    if draw(st.integers(0, 9)) == 0:
        parts.append(draw(st.sampled_from(ODD)))
    return "".join(part + draw(st.sampled_from([*SPACES, ""])) for part in parts)


@given(_text(), st.sampled_from(PUBS), st.sampled_from([None, "ar", "en"]))
@settings(max_examples=300, deadline=None)
def test_generated_text_anchored_scans_equal_full_scans(
    text: str, published: str | None, lang: str | None
) -> None:
    _same_dates(text, published, lang)
    _same_numbers(text)


# ------------------------------------------------------------------ the assumptions behind it


def test_lowered_text_matches_as_ignorecase_does() -> None:
    """str.lower keeps each character's length and its \\w, \\s and \\d classes, and only
    A-Z become ASCII letters, except for the characters that `lowered` refuses; those are
    the only ones that IGNORECASE matches to an ASCII letter besides A-Z."""
    word, space, digit = re.compile(r"\w"), re.compile(r"\s"), re.compile(r"\d")
    ascii_letter = re.compile("(?i)[a-z]")
    odd = set()
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        low = c.lower()
        if len(low) != 1 or (not c.isascii() and low.isascii()):
            odd.add(c)
            continue
        for cls in (word, space, digit):
            assert bool(cls.match(c)) == bool(cls.match(low)), hex(cp)
        if not c.isascii() and ascii_letter.match(c):
            odd.add(c)
    assert odd == set(numbers._CASE_SPECIALS)
    assert numbers.lowered("Oct. 6, TODAY") == "oct. 6, today"
    assert numbers.lowered("5 years aGo \u212a") is None


def test_arabic_date_anchors_are_unambiguous() -> None:
    """No word can hold one anchor and, after a proclitic, another one (else every
    anchor would open every family's windows)."""
    assert not dates._ar_anchors().ambiguous
    assert numbers.ArabicAnchors({"a": ["بعد"], "b": ["عد"]}, bounded=True).ambiguous


def test_relative_date_anchors_cover_every_phrase() -> None:
    r = load_data("relative_dates.yaml")
    ar_phrases = list(r["fixed"]["ar"])
    assert dates._covering(r["anchors"]["ar"], ar_phrases, anchor_key) == r["anchors"]["ar"]
    en_phrases = [*r["fixed"]["en"], *r["weekdays"]["en"]]
    assert dates._covering(r["anchors"]["en"], en_phrases, str.lower) == r["anchors"]["en"]
    # a phrase without an anchor gets its first word
    assert dates._covering(["day"], ["next fortnight"], str.lower) == ["day", "next"]


def test_windows_hold_whole_tokens_around_each_anchor() -> None:
    text = "a bb  ccc\tdddd e-f gg"
    scan = numbers.Scan(text)
    at = text.index("dddd")
    # one token on each side: from "ccc" to the end of "e-f" (one token unless "-" separates)
    assert scan.windows([(at, at + 4)], numbers.Reach(1, 1)) == [(6, 18)]
    assert scan.windows([(at, at + 4)], numbers.Reach(1, 1, r"\s-")) == [(6, 16)]
    # the anchor's own token only; "b" in "bb" gets all of "bb"
    assert scan.windows([(0, 1), (2, 3)], numbers.Reach(0, 0)) == [(0, 1), (2, 4)]
    # overlapping windows merge: "a bb" and "bb  ccc"
    assert scan.windows([(0, 1), (2, 3)], numbers.Reach(0, 1)) == [(0, 9)]


@pytest.mark.parametrize(
    "source",
    [
        "(?:[اأإآٱ][\u0640\u064b-\u065f\u0670\u06d6-\u06ed]*ب)+|[يىی]",
        r"(?i:\b(?:years?|[a-zſK]+)\s+ago)\b",
        r"[^\W\d_]+\s*[\u0600-\u06ff]",
    ],
)
def test_compile_re_makes_the_same_program_as_re_compile(source: str) -> None:
    ours = compile_re(source)
    re.purge()  # else re.compile would return the pattern just cached
    assert ours == re.compile(source)  # Pattern equality compares the compiled code


def test_big_patterns_compile_to_the_same_program() -> None:
    for pattern in [dates._ar_res()["m"], dates._relative_res()["en_ago"]]:
        re.purge()
        assert pattern == re.compile(pattern.pattern)
