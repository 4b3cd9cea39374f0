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
FILLERS = ["قال", "الذي", "وفي", "بعد", "ال", "the", "said", "at", "of", "Kelvin", "ſtate",
           "DIYARBAKIR", "İstanbul", "ı", "\u0640", "\u064e", "،", ".", "(", ")", "-"]  # fmt: skip
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
    ar_n, en_n = draw(_count(AR_COUNT)), draw(_count(EN_COUNT))
    year = pick(["2008", "2024", "1430", "١٤٤٥"])
    month = pick(AR_MONTHS)
    double = opt(pick(MONTH_SEPARATORS) + pick(AR_MONTHS) + opt(")"))
    forms = [
        f"{pick(['قبل', 'منذ', 'وقبل'])} {ar_n} {pick(AR_UNITS)}{opt(' من')}{opt(' 2')}",
        f"{en_n} {pick(EN_UNITS)} ago",
        f"{opt(pick(['7 ', 'الحادي عشر من ', '31 ']))}{opt('من ')}{opt('شهر ')}{month}{double}"
        f"{opt(pick(['، ', ' ', ',']) + opt('من ') + opt('عام ') + year + opt(' م') + opt(' هـ'))}"
        f"{opt(pick([' الماضي', ' المقبل', ' الجاري']))}",
        f"{opt(pick(['6th of ', '8 ']))}{opt(pick(['this past ', 'last ', 'next ']))}"
        f"{pick(EN_MONTHS)}{opt(' ' + pick(['6', '8,']))}{opt(pick([', ', ' ']) + year)}",
        f"{pick(['البالغة من العمر', 'يبلغ من العمر', 'عمره', '(', 'ذات ال', 'ابن'])} "
        f"{ar_n} {pick(['عاما', 'سنة', 'أعوام'])}{opt(' من العمر')}{opt(')')}",
        f"في ال{ar_n} من العمر",
        f"{en_n}{pick([' - ', '-', ' ', ' - - '])}years{pick(['-', ' - ', ' '])}old",
        f"{pick(['aged', 'age of', 'at age'])} {en_n}",
        f"{pick(['لمدة', 'أكثر من', 'خلال', 'منذ'])} {pick(['عام', 'عامين', 'عقد', 'شهرين'])}"
        f"{opt(pick([' و نصف', ' ونصف', ' and a half', ' من الزمن']))}{opt(' 2')}",
        f"{pick(['a', 'an', 'once a'])} {pick(['year', 'decade', 'hour'])}{opt(' and a half')}",
        f"{pick(['يوم ', 'اليوم ', ''])}{pick(['الاثنين', 'الخميس', 'الجمعة'])}"
        f"{opt(pick([' الماضي', ' المقبل', ' 7 أكتوبر']))}",
        f"{opt(pick(['this past ', 'last ', 'on ']))}{pick(['Monday', 'FRIDAY'])}",
        pick(["أول من أمس", "the day before yesterday", "earlier this week", "الشهر الماضي"]),
        f"{pick(['the year', 'in', 'عامي', 'عام', 'في'])} {year}{opt(' و' + year)}{opt(' هـ')}",
        pick(["2024-10-06", "06/10/2024", "١٤٤٥/٠٣/١٢", "ثورة 25 يناير"]),
    ]
    text = pick(forms)
    return "".join(pick(SPACES) if c == " " else c for c in text)


@st.composite
def _text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(_expression(), st.sampled_from(FILLERS)), max_size=12))
    return "".join(part + draw(st.sampled_from([*SPACES, ""])) for part in parts)


@given(_text(), st.sampled_from(PUBS), st.sampled_from([None, "ar", "en"]))
@settings(max_examples=400, deadline=None)
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
