"""Folding and the offset map of raqib.text.arabic."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from raqib.text.arabic import Normalized, fold, normalize

# Each case: (input, expected fold), written by hand from the folding rules.
FOLDS = [
    # diacritics, superscript alef, Quranic marks, tatweel
    ("مُحَمَّدٌ", "محمد"),
    ("بِسْمِ ٱللَّهِ", "بسم الله"),
    ("هٰذا", "هذا"),
    ("قُلْ ۚ هُوَ", "قل هو"),
    ("بـــوت", "بوت"),
    ("ولُقب بوت بـ", "ولقب بوت ب"),
    # a free-standing tatweel is a dash
    ("واشنطن ـ رويترز", "واشنطن - رويترز"),
    # alef variants, alef maqsura, ta marbuta, hamza seats; a lone hamza stays
    ("أحمد إبراهيم آمنة ٱلقدس", "احمد ابراهيم امنه القدس"),
    ("مصطفى على", "مصطفي علي"),
    ("صحيفة", "صحيفه"),
    ("مؤتمر رئيس", "موتمر رييس"),
    ("سماء شراء", "سماء شراء"),
    # decomposed hamza and madda fold like the composed letters
    ("\u0627\u0654\u062d\u0645\u062f", "احمد"),
    ("\u0627\u0653\u0645\u0646\u0629", "امنه"),
    # Persian, Urdu, Maghrebi letters
    ("پوتین", "بوتين"),
    ("کابل", "كابل"),
    ("ڤيكتور", "فيكتور"),
    ("گازپروم", "كازبروم"),
    ("چابهار", "جابهار"),
    ("ہ ە ھ", "ه ه ه"),
    # digits
    ("٢٠٢٤", "2024"),
    ("۱۹۹۸", "1998"),
    ("١٬٠٠٠٫٥", "1,000.5"),
    # Arabic punctuation and percent
    ("نعم، لا؛ لماذا؟", "نعم, لا; لماذا?"),
    ("٥٠٪", "50%"),
    ("قال۔", "قال."),
    # quotes, apostrophes, primes, dashes
    ("«تاجر الموت»", '"تاجر الموت"'),
    ("’تاجر الموت‛", "'تاجر الموت'"),
    ("“Merchant of Death”", '"merchant of death"'),
    ("Lebanon’s", "lebanon's"),
    ("5′ 10″", "5' 10\""),
    ("روسي–أميركي", "روسي-اميركي"),
    ("2008—2012 ‐ x − y", "2008-2012 - x - y"),
    # invisible controls
    ("\u200fبوت\u200e", "بوت"),
    ("\ufeffnews", "news"),
    ("a\u200b\u200cb\u200dc\u2066d\u2069", "abcd"),
    ("نص\u061cعربي", "نصعربي"),
    # whitespace runs, one space each, not stripped
    ("a\u00a0\u2009 b\n\nc\t", "a b c "),
    ("  x  ", " x "),
    # presentation forms and full width
    ("\ufefb", "لا"),
    ("\ufdf2", "الله"),
    ("\ufe91\ufeee\ufe95", "بوت"),
    ("\ufef7", "لا"),
    ("ＡＢＣ１２３", "abc123"),
    # isolated harakat forms leave nothing (not a space)
    ("ب\ufe70ت", "بت"),
    # case folding
    ("Viktor BOUT", "viktor bout"),
    ("Straße", "strasse"),
]


@pytest.mark.parametrize(("text", "expected"), FOLDS)
def test_fold_table(text: str, expected: str) -> None:
    assert fold(text) == expected
    assert normalize(text).text == expected


def test_fold_rejects_non_text() -> None:
    with pytest.raises(TypeError, match="expects str"):
        fold(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expects str"):
        normalize(None)  # type: ignore[arg-type]


def test_identity_offsets_for_unchanged_text() -> None:
    n = normalize("plain text")
    assert list(n.offsets) == list(range(11))
    assert n.to_original(6, 10) == (6, 10)


def test_offsets_through_diacritics_and_ligatures() -> None:
    text = "ﻻ  بِـــوت"
    n = normalize(text)
    assert n.text == "لا بوت"
    # ل and ا both come from the ligature at 0; the space from the run at 1-2.
    assert list(n.offsets) == [0, 0, 1, 3, 8, 9, 10]
    assert n.to_original(0, 1) == (0, 1)  # half a ligature maps to the whole
    assert n.to_original(1, 2) == (0, 1)
    assert n.to_original(3, 6) == (3, 10)
    assert n.span_text(3, 4) == "بِـــ"  # the stripped diacritic and tatweel follow ب


def test_span_leaves_out_trailing_controls_and_spaces() -> None:
    text = "بوت\u200f  قال"
    n = normalize(text)
    assert n.text == "بوت قال"
    assert n.span_text(0, 3) == "بوت"
    assert n.span_text(0, 4) == "بوت\u200f "
    assert n.span_text(4, 7) == "قال"


def test_case_folding_expansions_keep_offsets() -> None:
    n = normalize("Straße x")
    assert n.text == "strasse x"
    assert n.span_text(4, 6) == "ß"
    assert n.span_text(8, 9) == "x"


def test_seed_names_map_back(seed_path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    n = normalize(text)
    for name in ("للحوثيين", "فيكتور بوت", "وول ستريت جورنال", "الكرملين", "لولا"):
        key = fold(name)
        for m in re.finditer(re.escape(key), n.text):
            a, b = n.to_original(*m.span())
            assert fold(text[a:b]) == key
            assert not text[a:b].startswith(" ") and not text[a:b].endswith(" ")
        assert key in n.text
    a, b = n.to_original(n.text.index("ولقب"), n.text.index("ولقب") + 4)
    assert text[a:b] == "ولُقب"


def test_to_original_rejects_bad_spans() -> None:
    n = normalize("abc")
    with pytest.raises(ValueError, match="outside"):
        n.to_original(2, 1)
    with pytest.raises(ValueError, match="outside"):
        n.to_original(0, 4)


def test_every_code_point_folds_to_a_fixed_point() -> None:
    """Folding once is enough, for each of the 1.1 million code points."""
    sep = "\U0010ffff"
    chars = [chr(cp) for cp in range(0x10FFFF)]
    folded = fold(sep.join(chars)).split(sep)
    assert len(folded) == len(chars)
    bad = [hex(ord(c)) for c, f in zip(chars, folded, strict=True) if fold(f) != f]
    assert bad == []


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

TRICKY = list(
    "ابتوفكلهةىيأإآٱؤئءـ \u00a0\n\t\u200b\u200f\ufeff\u064e\u0651\u0670\u06d6"
    "ﻻﷺﷲﺑ\ufe70\ufc5eßİŉﬁＡa.,،«»“”’‘-–٠١۳\x00\ud800"
)
ANY_CHAR = st.characters(exclude_categories=())  # surrogates and controls included
TEXTS = st.text(alphabet=st.one_of(st.sampled_from(TRICKY), ANY_CHAR), max_size=40)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXTS)
def test_normalize_is_idempotent_and_matches_fold(text: str) -> None:
    n = normalize(text)
    assert n.text == fold(text)
    assert normalize(n.text).text == n.text


@SETTINGS
@given(TEXTS)
def test_offsets_are_a_monotone_map_into_the_original(text: str) -> None:
    n = normalize(text)
    offsets = list(n.offsets)
    assert len(offsets) == len(n.text) + 1
    assert offsets[-1] == len(text)
    assert offsets == sorted(offsets)
    assert all(0 <= o < len(text) for o in offsets[:-1])
    # indexing (binary search over pieces) agrees with iteration
    assert [n.offsets[i] for i in range(len(offsets))] == offsets
    assert n.offsets[-1] == len(text) and list(n.offsets[1:3]) == offsets[1:3]


@SETTINGS
@given(TEXTS, st.data())
def test_any_span_maps_to_an_original_span_that_folds_to_cover_it(text: str, data) -> None:
    n = normalize(text)
    start = data.draw(st.integers(0, len(n.text)))
    end = data.draw(st.integers(start, len(n.text)))
    a, b = n.to_original(start, end)
    assert 0 <= a <= b <= len(text)
    assert n.text[start:end] in fold(text[a:b])


@SETTINGS
@given(TEXTS)
def test_token_spans_round_trip(text: str) -> None:
    """For spans on token boundaries the original folds back to exactly the token."""
    n = normalize(text)
    for m in re.finditer(r"[^ ]+", n.text):
        a, b = n.to_original(*m.span())
        assert fold(text[a:b]).strip() == m.group()


def test_normalized_is_frozen() -> None:
    n = normalize("x")
    assert isinstance(n, Normalized)
    with pytest.raises(AttributeError):
        n.text = "y"  # type: ignore[misc]


@pytest.mark.parametrize("text", [
    "", "\x00", "\x00\x00a", "\ud800", "\udfff\ud800", "\u064e\u0651\u0670", "\u200f\u200e\u202b",
    "ـ", "ـــ", " ـ ", "\ufeff", "\U0010ffff", "\u0301a",
])
def test_edge_strings_never_raise(text: str) -> None:
    n = normalize(text)
    assert n.text == fold(text)
    assert n.to_original(0, len(n.text))[1] <= len(text)


def test_translation_table_covers_the_bmp_only() -> None:
    """The list-based table in arabic.py indexes code points below 0x10000."""
    from raqib.text.arabic import _TABLE_STR

    assert max(_TABLE_STR) < 0x10000
