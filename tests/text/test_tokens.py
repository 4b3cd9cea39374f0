"""Tokens, clitic splitting and light stemming (raqib.text.tokens)."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from raqib.text.arabic import fold
from raqib.text.tokens import Token, split_clitics, stem_variants, tokenize

# Names and words that start (or end) like a clitic but must stay whole.
WHOLE = [
    "بوتين", "لبنان", "فلاديمير", "كابول", "بغداد", "فرنسا", "بريطانيا", "واشنطن",
    "ليبيا", "كندا", "بلجيكا", "فنزويلا", "لندن", "بكين", "وول", "بيروت", "باريس",
    "برلين", "بروكسل", "فيتنام", "فلسطين", "كوريا", "كوبا", "كييف", "وارسو", "لافروف",
    "بايدن", "فيكتور", "وليد", "وائل", "فيصل", "كمال", "ليندركينغ", "فاغنر", "بوينغ",
    "فيينا", "كورونا",
    # too short to hold a clitic and a stem
    "بوت", "كيم", "بدر", "ليث", "كرم", "لؤي", "فهد",
    # words whose first letter is a root letter
    "وزير", "وزارة", "وكالة", "بيان", "بنادق", "كتيبة", "كتائب", "لجنة", "فريق", "فصائل",
    "فيها", "لدينا",
    # words that end in a root ه or look like noun + pronoun
    "توجه", "مياه", "اتجاه", "محاكم",
]

# (word as written, expected (prefix, stem, suffix)), worked out by hand.
SPLITS = [
    ("وبحسب", ("و+ب", "حسب", "")),
    ("لصحيفة", ("ل", "صحيفه", "")),
    ("للحوثيين", ("ل", "الحوثيين", "")),
    ("والحوثيين", ("و", "الحوثيين", "")),
    ("وللحوثيين", ("و+ل", "الحوثيين", "")),
    ("بالأسلحة", ("ب", "الاسلحه", "")),
    ("وبالأسلحة", ("و+ب", "الاسلحه", "")),
    ("فالكرملين", ("ف", "الكرملين", "")),
    ("كالعادة", ("ك", "العاده", "")),
    ("فبالتالي", ("ف+ب", "التالي", "")),
    ("للأمم", ("ل", "الامم", "")),
    ("والذي", ("و", "الذي", "")),
    ("ولموسكو", ("و+ل", "موسكو", "")),
    ("وموسكو", ("و", "موسكو", "")),
    ("بموسكو", ("ب", "موسكو", "")),
    ("لموسكو", ("ل", "موسكو", "")),
    ("ولبنان", ("و", "لبنان", "")),
    ("للبنان", ("ل", "لبنان", "")),
    ("وبوتين", ("و", "بوتين", "")),
    ("لبوتين", ("ل", "بوتين", "")),
    ("وفرنسا", ("و", "فرنسا", "")),
    ("وواشنطن", ("و", "واشنطن", "")),
    ("وبريطانيا", ("و", "بريطانيا", "")),
    ("لوكالة", ("ل", "وكاله", "")),
    ("ووزير", ("و", "وزير", "")),
    ("وقالت", ("و", "قالت", "")),
    ("ويحاول", ("و", "يحاول", "")),
    ("بصفقة", ("ب", "صفقه", "")),
    ("كجزء", ("ك", "جزء", "")),
    ("صفقاتها", ("", "صفقات", "ها")),
    ("بلادهم", ("", "بلاد", "هم")),
    ("لسفنها", ("ل", "سفن", "ها")),
    ("بينهما", ("", "بين", "هما")),
    ("مصالحنا", ("", "مصالح", "نا")),
    ("اعتقاله", ("", "اعتقال", "ه")),
    ("ترحيله", ("", "ترحيل", "ه")),
    ("سراحه", ("", "سراح", "ه")),
    ("وتسليمه", ("و", "تسليم", "ه")),
]


@pytest.mark.parametrize("word", WHOLE)
def test_names_and_root_words_stay_whole(word: str) -> None:
    w = fold(word)
    assert split_clitics(w, raw=word) == ("", w, "")


@pytest.mark.parametrize(("word", "expected"), SPLITS)
def test_clitics_split(word: str, expected: tuple[str, str, str]) -> None:
    assert split_clitics(fold(word), raw=word) == expected


def test_enough_hand_written_cases() -> None:
    assert len(WHOLE) >= 30 and len(SPLITS) >= 30


def test_heh_is_split_only_when_written_as_heh() -> None:
    # "صحيفة" folds to "صحيفه": without the original spelling ه cannot be a pronoun.
    assert split_clitics("اعتقاله") == ("", "اعتقاله", "")
    assert split_clitics("صحيفه", raw="صحيفة") == ("", "صحيفه", "")
    assert split_clitics("اعتقاله", raw="اعتقالُهُ") == ("", "اعتقال", "ه")


def test_known_callback_keeps_and_prefers_known_forms() -> None:
    known = {"بلاكووتر", "ليبرمان"}.__contains__
    assert split_clitics("بلاكووتر") == ("ب", "لاكووتر", "")  # unknown: split
    assert split_clitics("بلاكووتر", known=known) == ("", "بلاكووتر", "")
    # "لليبرمان" could be ل + الليبرمان or ل + ليبرمان; the known stem wins.
    assert split_clitics("لليبرمان") == ("ل", "اليبرمان", "")
    assert split_clitics("لليبرمان", known=known) == ("ل", "ليبرمان", "")


def test_english_possessive() -> None:
    assert split_clitics("lebanon's") == ("", "lebanon", "'s")
    assert split_clitics("'s") == ("", "'s", "")
    assert split_clitics("") == ("", "", "")


# ---------------------------------------------------------------------------
# stem_variants
# ---------------------------------------------------------------------------


def test_stem_variants_order_and_content() -> None:
    v = stem_variants("للحوثيين")
    assert v[:3] == ["للحوثيين", "الحوثيين", "حوثيين"]
    assert "حوثي" in v
    v = stem_variants(fold("وسيحاولون"))
    assert v[:2] == ["وسيحاولون", "سيحاولون"]
    assert {"يحاول", "حاول"} <= set(v)


@pytest.mark.parametrize(("word", "stem"), [
    ("شحنات", "شحنه"),
    ("صحيفته", "صحيفه"),
    ("ترحيله", "ترحيل"),
    ("رجحوا", "رجح"),
    ("كشفت", "كشف"),
    ("يستأنف", "استانف"),
    ("يرسل", "ارسل"),
    ("طائرتان", "طائره"),
    ("مسؤولين", "مسؤول"),
    ("سيبيع", "بيع"),
    ("بالعقوبات", "عقوبه"),
])
def test_stem_variants_reach_the_lexicon_form(word: str, stem: str) -> None:
    assert fold(stem) in stem_variants(fold(word))


def test_protected_words_get_no_pattern_stems() -> None:
    assert stem_variants("بوتين") == ["بوتين"]
    assert stem_variants("لبوتين") == ["لبوتين", "بوتين"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ابتسفكلمنهويةىأ")), max_size=12))
def test_stem_variants_are_unique_and_bounded(word: str) -> None:
    v = stem_variants(fold(word))
    assert len(v) == len(set(v)) <= 16
    if word:
        assert v[0] == fold(word)


# ---------------------------------------------------------------------------
# tokenize
# ---------------------------------------------------------------------------


def _texts(tokens: list[Token]) -> list[str]:
    return [t.text for t in tokens]


def test_tokens_keep_original_offsets() -> None:
    text = "وقالت وول ستريت جورنال إنه \"عندما توجه مبعوثو الحوثيين إلى موسكو\"."
    tokens = tokenize(text)
    assert all(text[t.start:t.end] == t.text for t in tokens)
    assert _texts(tokens) == [
        "وقالت", "وول", "ستريت", "جورنال", "إنه", '"', "عندما", "توجه", "مبعوثو",
        "الحوثيين", "إلى", "موسكو", '"', ".",
    ]
    assert tokens[0].prefix == "و" and tokens[0].stem == "قالت"
    assert text[tokens[0].stem_start:tokens[0].stem_end] == "قالت"
    assert tokens[4].norm == "انه"


def test_numbers_are_single_tokens() -> None:
    text = "بقيمة 10 ملايين، 1,000.5 و١٬٠٠٠ و2.5% في 2008."
    tokens = tokenize(text)
    numbers = [t for t in tokens if t.kind == "number"]
    assert [t.text for t in numbers] == ["10", "1,000.5", "١٬٠٠٠", "2.5", "2008"]
    assert numbers[2].norm == "1,000"
    assert _texts(tokens)[-2:] == ["2008", "."]
    assert [t.kind for t in tokens if t.text in ("،", "%", ".")] == ["punct"] * 3


def test_clitic_stem_spans_in_the_original() -> None:
    text = "يبيع أسلحة للحوثيين وبحسب ولُقب Lebanon’s army"
    by_text = {t.text: t for t in tokenize(text)}
    t = by_text["للحوثيين"]
    assert (t.prefix, t.stem) == ("ل", "الحوثيين")
    assert text[t.stem_start:t.stem_end] == "لحوثيين"
    t = by_text["وبحسب"]
    assert text[t.stem_start:t.stem_end] == "حسب"
    t = by_text["ولُقب"]
    assert (t.prefix, t.stem, text[t.stem_start:t.stem_end]) == ("و", "لقب", "لُقب")
    t = by_text["Lebanon’s"]
    assert (t.norm, t.stem, t.suffix) == ("lebanon's", "lebanon", "'s")
    assert text[t.stem_start:t.stem_end] == "Lebanon"
    t = by_text["أسلحة"]
    assert (t.stem_start, t.stem_end) == (t.start, t.end)


def test_marks_tatweel_and_controls() -> None:
    text = "\u200fبـوت\u200f بـ \"تاجر\" ... AK-47 O'Brien"
    tokens = tokenize(text)
    assert _texts(tokens) == [
        "بـوت", "بـ", '"', "تاجر", '"', "...", "AK", "-", "47", "O'Brien",
    ]
    assert tokens[0].norm == "بوت" and tokens[1].norm == "ب"


def test_tokenize_with_known_names() -> None:
    # Unknown, "وبلاكووتر" reads as و + ب + لاكووتر; told the name, و + بلاكووتر.
    assert tokenize("وبلاكووتر")[0].stem == "لاكووتر"
    tok = tokenize("وبلاكووتر", known={"بلاكووتر"}.__contains__)[0]
    assert (tok.prefix, tok.stem, tok.stem_start) == ("و", "بلاكووتر", 1)


def test_tokenize_never_raises_and_spans_hold() -> None:
    text = "\x00\ud800 \u064e\u0651ـ ﻻ «» ٪٥ x\u0301y"
    tokens = tokenize(text)
    assert all(text[t.start:t.end] == t.text for t in tokens)
    assert all(t.start <= t.stem_start <= t.stem_end <= t.end for t in tokens)
    with pytest.raises(TypeError):
        tokenize(3)  # type: ignore[arg-type]


def test_tokenize_seed_round_trip(seed_path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    tokens = tokenize(text)
    assert all(text[t.start:t.end] == t.text for t in tokens)
    # everything that is not space or invisible is covered by a token
    covered = "".join(t.text for t in tokens)
    assert covered == re.sub(r"[\s\u200b-\u200f]", "", text)
    stems = {t.stem for t in tokens}
    assert {"الحوثيين", "حسب", "موسكو", "بوتين", "الاسلحه"} <= stems


# ---------------------------------------------------------------------------
# data files
# ---------------------------------------------------------------------------


def _data(name: str) -> dict:
    path = resources.files("raqib.text").joinpath("data", name)
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_clitics_data_is_valid() -> None:
    data = _data("clitics.yaml")
    for item in data["proclitics"]:
        assert set(item) <= {"form", "prefix", "restore"}
        letters = item["prefix"].replace("+", "")
        assert item["form"].startswith(letters), item
        assert item["form"] == letters + item.get("restore", "")[1:], item
    words = data["protected"]
    assert all(isinstance(w, str) and w and " " not in w for w in words)
    assert len(words) == len(set(words))
    assert all(isinstance(e, str) for e in data["enclitics"])
    assert data["min_stem"] >= 2 and data["min_stem_after_article"] >= 2


def test_stems_data_is_valid() -> None:
    data = _data("stems.yaml")
    for p in data["patterns"]:
        pattern = re.compile(p["match"])
        assert pattern.groups >= 1, p["name"]
        assert p["to"] and all(isinstance(t, str) for t in p["to"]), p["name"]
    assert data["depth"] >= 1 and data["max_variants"] >= 3


TRICKY = list("وبالحوثيين لل ـ\u064e\u0651\u200f\u200c ﻻ 1,2.3 ١٬٠ 's’ ... «»\x00\ud800 AK")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(TRICKY), st.characters(exclude_categories=())),
               max_size=40))
def test_tokens_are_exact_spans_of_any_text(text: str) -> None:
    tokens = tokenize(text)
    prev = 0
    for t in tokens:
        assert text[t.start:t.end] == t.text and t.start >= prev
        assert t.start <= t.stem_start <= t.stem_end <= t.end
        assert t.norm == fold(t.text)
        assert t.kind in ("word", "number", "punct")
        prev = t.end


def test_fast_token_construction_matches_the_dataclass() -> None:
    from dataclasses import fields

    from raqib.text.tokens import _new_token

    values = ("وبحسب", 3, 8, "وبحسب", "حسب", "و+ب", "", 5, 8, "word")
    assert [f.name for f in fields(Token)] == [
        "text", "start", "end", "norm", "stem", "prefix", "suffix", "stem_start", "stem_end",
        "kind",
    ]
    made = _new_token(*values)
    assert made == Token(*values[:7], stem_start=5, stem_end=8, kind="word")
    assert hash(made) == hash(Token(*values[:7], stem_start=5, stem_end=8))
