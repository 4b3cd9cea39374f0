"""The phrase matcher finds lexicon forms in tokenized text, clitics and gaps included.

Sentences here are written for the tests (not taken from the seed or the corpus); every
expected id, span and stripped clitic was worked out by hand from the lexicon files.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raqib.extract.lexicons import Form, load_lexicon
from raqib.extract.matcher import (
    LexMatch,
    MatcherError,
    ObjectWords,
    PhraseMatcher,
    attached_prefixes,
    matchers_for,
)
from raqib.text.tokens import tokenize

AR = load_lexicon("ar")
EN = load_lexicon("en")
GAP = re.compile(r"\*[1-9]?")


def _hits(section: str, text: str, lex=AR, longest: bool = False) -> list[tuple[str, str, Any]]:
    """(entry id, matched text, stripped) for each match of a section in `text`."""
    matcher = getattr(matchers_for(lex), section)
    found = matcher.find_longest(tokenize(text)) if longest else matcher.find(tokenize(text))
    return [(m.entry.id, text[m.start:m.end], m.stripped) for m in found]


def _ids(section: str, text: str, lex=AR, longest: bool = False) -> list[str]:
    return [entry_id for entry_id, _, _ in _hits(section, text, lex, longest)]


def _entry(text: str, forms: list[str], **extra: Any) -> SimpleNamespace:
    """A hand-made entry: the matcher only needs `.forms` (and `.attached`)."""
    parsed = []
    for f in forms:
        words = [w for w in f.split() if not GAP.fullmatch(w)]
        gaps, k = [], 0
        for chunk in f.split()[1:]:
            if GAP.fullmatch(chunk):
                k = int(chunk[1:] or 3)
            else:
                gaps.append(k)
                k = 0
        parsed.append(Form(text=f, words=tuple(words), gaps=tuple(gaps)))
    return SimpleNamespace(id=text, forms=tuple(parsed), **extra)


# --------------------------------------------------------------------------- clitics


def test_prepositions_and_conjunctions_are_stripped_from_a_trigger() -> None:
    text = "عرضت الشركة معدات لبيع الذخيرة وبيع قطع الغيار"
    assert _hits("triggers", text) == [
        ("ar.arms.sell", "لبيع", ("ل",)),
        ("ar.arms.sell", "وبيع", ("و",)),
    ]


def test_li_plus_article_is_lam_lam() -> None:
    # للتفاوض = ل + ال + تفاوض: the lexicon lists تفاوض bare.
    text = "وصل الوفد للتفاوض أمس"
    assert ("ar.meeting.negotiate", "للتفاوض", ("ل+ال",)) in _hits("triggers", text)
    assert ("ar.status.negotiating", "للتفاوض", ("ل+ال",)) in _hits("status_cues", text)


def test_source_cues_with_conjunctions_and_prepositions() -> None:
    text = "وأضافوا أن الاتفاق جاهز، ورجحوا توقيعه قريبا بحسب مصادر وبحسب دبلوماسي"
    assert _hits("source_cues", text) == [
        ("ar.src.continue", "وأضافوا", ("و",)),
        ("ar.src.assess_continue", "ورجحوا", ("و",)),
        ("ar.src.according_to", "بحسب", ("ب",)),
        ("ar.src.according_to", "وبحسب", ("و+ب",)),
    ]


def test_waw_of_a_word_is_not_a_conjunction_when_the_word_is_listed() -> None:
    # وفق is listed as written; و + فق is no word, so it matches unstripped.
    assert _hits("source_cues", "جرى ذلك وفق مصدر") == [("ar.src.according_to", "وفق", ("",))]
    assert _hits("source_cues", "ووفق مصدر") == [("ar.src.according_to", "ووفق", ("و",))]


def test_hasabama_alone_and_with_a_verb() -> None:
    text = "اعتقل ثلاثة رجال، حسبما ذكرت إذاعة محلية"
    everything = _ids("source_cues", text)
    assert everything == ["ar.src.as_reported", "ar.src.as_reported", "ar.src.report"]
    assert _hits("source_cues", text, longest=True) == [
        ("ar.src.as_reported", "حسبما ذكرت", ("", "")),
    ]
    assert _hits("source_cues", "وحسبما أعلنت الوزارة", longest=True) == [
        ("ar.src.as_reported", "وحسبما أعلنت", ("و", "")),
    ]


def test_short_words_keep_their_first_letter() -> None:
    # كما is "as", not ك + ما; وما is و + ما.
    assert _ids("negation", "كما قال الوزير") == []
    assert _hits("negation", "وما زال الملف مفتوحا") == [("ar.negation.ma", "وما", ("و",))]
    # وقد = و + قد; لقد is emphatic, not the hedge قد.
    assert _hits("hedges", "وقد يتأخر الاتفاق") == [("ar.hedge.qad", "وقد", ("و",))]
    assert _ids("hedges", "لقد وصل الوفد") == []


def test_object_pronouns_are_stripped_only_when_written_with_heh() -> None:
    # مصادرة (confiscation, ة) is not مصادر + ه; مصادره (his sources, ه) is.
    assert _ids("anon_heads", "أعلنت الجمارك مصادرة شحنة") == []
    assert _hits("anon_heads", "قال إن مصادره أكدت ذلك") == [
        ("ar.anonymity.heads.1", "مصادره", ("-ه",)),
    ]


def test_feminine_noun_before_a_pronoun_gets_its_ta_marbuta_back() -> None:
    assert _hits("triggers", "خلال زيارتها للعاصمة") == [
        ("ar.meeting.visit", "زيارتها", ("-ها",)),
    ]


def test_pronoun_on_an_ambiguous_noun_gives_every_reading() -> None:
    found = _hits("triggers", "طالبت بتسليمه فورا")
    assert ("ar.arms.deliver", "بتسليمه", ("ب-ه",)) in found
    assert ("ar.extradition.hand_over", "بتسليمه", ("ب-ه",)) in found
    # تسليمه is listed as written in hand_over_him: nothing stripped but the ب.
    assert ("ar.extradition.hand_over_him", "بتسليمه", ("ب",)) in found


def test_future_prefix_is_exposed_on_the_trigger_and_as_a_status_cue() -> None:
    text = "وسيبيع المصنع البنادق"
    assert _hits("triggers", text) == [("ar.arms.sell", "وسيبيع", ("و+س",))]
    assert _hits("status_cues", text) == [
        ("ar.status.proposed_future_prefix", "وسيبيع", ("و+س",)),
        ("ar.status.planned_prefix", "وسيبيع", ("و+س",)),
    ]
    # No future in nouns and names that start with س + a present-tense letter.
    assert _ids("status_cues", "ناقش سيمون سياسة الحكومة") == []
    # سنية (Sunni) is not س + نية (intention, a status cue): too short for a verb.
    assert _ids("status_cues", "زار مسجدا في حي سنية") == []
    assert _ids("status_cues", "حي نية") == ["ar.status.proposed"]


def test_future_prefix_is_stripped_before_a_present_verb_only() -> None:
    # ستبيع is س + تبيع (not يبيع); سنة is a noun, never س + نة.
    matcher = PhraseMatcher([_entry("sell", ["يبيع"]), _entry("year", ["نة"])], AR.morphology)
    found = [(m.entry.id, m.first, m.stripped) for m in matcher.find(tokenize("ستبيع سيبيع سنة"))]
    assert found == [("sell", 1, ("س",))]


# --------------------------------------------------------------------------- gaps


def test_gap_lets_a_subject_stand_inside_a_phrase() -> None:
    found = _hits("triggers", "ألقت الشرطة القبض على مهرب")
    assert ("ar.arrest.qabd", "ألقت الشرطة القبض", ("", "")) in found
    match = next(m for m in matchers_for(AR).triggers.find(tokenize("ألقت الشرطة القبض"))
                 if m.form.text.startswith("ألقت"))
    assert match.token_indices == (0, 2)  # the gap word is not a matched word
    assert (match.first, match.last) == (0, 2)


def test_gap_has_a_limit() -> None:
    # ألقت * القبض allows three words between; four are too many.
    assert "ar.arrest.qabd" in _ids("triggers", "ألقت قوات الأمن المحلية القبض")
    assert "ar.arrest.qabd" not in _ids("triggers", "ألقت قوات الأمن المحلية الخاصة القبض")


def test_a_gap_does_not_cross_the_end_of_a_sentence() -> None:
    assert "ar.arrest.qabd" not in _ids("triggers", "ألقت الخطاب. القبض")
    assert "ar.arrest.qabd" not in _ids("triggers", "ألقت كلمة؟ القبض")
    # ... but commas are not sentence ends.
    assert "ar.arrest.qabd" in _ids("triggers", "ألقت، أمس، القبض")


def test_english_gap_and_sentence_end() -> None:
    assert _ids("triggers", "Police took the men into custody", EN) == ["en.arrest.arrest"]
    assert _ids("triggers", "Police took it. Into custody", EN) == []


# --------------------------------------------------------------------------- longest


def test_longest_match_wins_within_one_matcher() -> None:
    # "according to" (source cue) against "to" (role cue) in one matcher.
    matcher = PhraseMatcher((*EN.source_cues, *EN.role_cues), EN.morphology)
    tokens = tokenize("Arms went to Yemen, according to officials.")
    every = [(m.entry.id, m.first, m.last) for m in matcher.find(tokens)]
    assert ("en.role.to", 2, 2) in every
    assert ("en.src.according_to", 5, 6) in every
    assert ("en.role.to", 6, 6) in every
    chosen = [(m.entry.id, m.first, m.last) for m in matcher.find_longest(tokens)]
    assert chosen == [("en.role.to", 2, 2), ("en.src.according_to", 5, 6)]


def test_find_is_sorted_by_start_then_longest_first() -> None:
    matcher = PhraseMatcher([_entry("a", ["x y z"]), _entry("b", ["y"]), _entry("c", ["x y"]),
                             _entry("d", ["x"])], None)
    found = matcher.find(tokenize("w x y z"))
    assert [(m.entry.id, m.first, m.last) for m in found] == [
        ("a", 1, 3), ("c", 1, 2), ("d", 1, 1), ("b", 2, 2),
    ]
    assert [m.entry.id for m in matcher.find_longest(tokenize("w x y z"))] == ["a"]


def test_longest_ties_go_to_more_words_then_entry_order() -> None:
    # Same span (tokens 0..2): "p * r" has two words, "p q r" three.
    gap_form = _entry("gap", ["p * r"])
    full = _entry("full", ["p q r"])
    assert [m.entry.id for m in PhraseMatcher([gap_form, full], None).find_longest(
        tokenize("p q r"))] == ["full"]
    first, second = _entry("first", ["p"]), _entry("second", ["p"])
    assert [m.entry.id for m in PhraseMatcher([first, second], None).find_longest(
        tokenize("p"))] == ["first"]
    assert [m.entry.id for m in PhraseMatcher([second, first], None).find_longest(
        tokenize("p"))] == ["second"]


def test_ambiguous_form_find_gives_both_entries() -> None:
    ids = _ids("triggers", "تم تسليم الشحنة")
    assert "ar.arms.deliver" in ids and "ar.extradition.hand_over" in ids
    assert _ids("triggers", "تم تسليم الشحنة", longest=True) == ["ar.arms.deliver"]


def test_match_offsets_are_original_text_offsets() -> None:
    text = "قال   الوزيرُ: ستبيعُ الحكومةُ الذخائر"
    match = next(m for m in matchers_for(AR).triggers.find(tokenize(text)))
    assert text[match.start:match.end] == "ستبيعُ"
    assert match.stripped == ("س",)


# --------------------------------------------------------------------------- attached


@pytest.mark.parametrize(("word", "expected"), [
    ("وللحوثيين", ("و", "ل")),
    ("وسيبيع", ("و", "س")),
    ("سيبيع", ("س",)),
    ("بالصواريخ", ("ب",)),
    ("وبحسب", ("و", "ب")),
    ("لبيع", ("ل",)),
    ("كشفت", ()),      # a listed verb, not ك + شفت
    ("وكشفت", ("و",)),
    ("لبنان", ()),     # a protected name
    ("بوتين", ()),
    ("سيمون", ()),     # no future on a word the lexicon does not know
    ("سياسة", ()),
    ("كما", ()),
    ("وقد", ("و",)),
])
def test_attached_prefixes(word: str, expected: tuple[str, ...]) -> None:
    assert attached_prefixes(tokenize(word)[0], AR) == expected


def test_attached_prefixes_english_has_none() -> None:
    assert attached_prefixes(tokenize("Washington")[0], EN) == ()
    assert attached_prefixes(tokenize("بالصواريخ")[0], EN) == ()


def test_attached_role_cues_match_the_word_they_are_glued_to() -> None:
    text = "باعت الشركة الصواريخ للحوثيين بـ 500 مليون دولار"
    hits = _hits("role_cues", text)
    assert ("ar.role.li", "للحوثيين", ("ل",)) in hits
    assert ("ar.role.bi", "بـ", ("",)) in hits  # written apart before a number
    assert not any(entry_id == "ar.role.bi" and span == "باعت" for entry_id, span, _ in hits)


def test_attached_only_matches_nothing_but_clitics() -> None:
    matcher = PhraseMatcher(AR.role_cues, AR.morphology, attached_only=True)
    found = matcher.find(tokenize("أرسلت السفن إلى اليمن للحوثيين في المساء"))
    assert [(m.entry.id, m.first) for m in found] == [("ar.role.li", 4)]


def test_detached_clitic_needs_a_following_word() -> None:
    matcher = PhraseMatcher(AR.status_cues, AR.morphology, attached_only=True)
    assert matcher.find(tokenize("س: هل وقعت الحكومة")) == []
    ids = [m.entry.id for m in matchers_for(AR).status_cues.find(tokenize("سـ يبيع"))]
    assert "ar.status.planned_prefix" in ids


# --------------------------------------------------------------------------- English


def test_english_multi_word_forms() -> None:
    text = ("People familiar with the matter, speaking on condition of anonymity, "
            "said the deal was signed.")
    assert _hits("anon_phrases", text, EN) == [
        ("en.anonymity.phrases.0", "People familiar with the matter", ("",) * 5),
    ]
    qualifiers = _hits("qualifiers", text, EN, longest=True)
    assert qualifiers == [
        ("en.anonymity.qualifiers.3", "speaking on condition of anonymity", ("",) * 5),
    ]
    assert "en.anonymity.qualifiers.4" in _ids("qualifiers", text, EN)


def test_english_is_case_folded_not_stemmed() -> None:
    assert _ids("triggers", "Iran SOLD drones", EN) == ["en.arms.sell"]
    assert _ids("triggers", "the sellers", EN) == []


def test_english_possessive_is_taken_off() -> None:
    assert _hits("media_nouns", "the agency's report", EN) == [
        ("en.media_nouns.3", "agency's", ("-'s",)),
    ]


def test_punctuation_words_in_forms() -> None:
    found = _hits("anon_modifiers", "a U.S. official said", EN)
    assert [(span, stripped) for _, span, stripped in found] == [("U.S.", ("",) * 4)]


# --------------------------------------------------------------------------- per lexicon


def test_matchers_for_is_cached_and_covers_every_section() -> None:
    built = matchers_for(AR)
    assert matchers_for(AR) is built
    assert matchers_for(EN) is not built
    weapon = built.object_words.find(tokenize("ضبطت صواريخ مع رجل"))
    assert [(m.entry.cls, m.first) for m in weapon] == [("weapon", 1), ("person", 3)]
    assert isinstance(weapon[0].entry, ObjectWords)
    assert _hits("blockers", "دعا إلى وقف إطلاق النار", longest=True) == [
        ("ar.blockers.1", "وقف إطلاق النار", ("", "", "")),
    ]
    assert _ids("denial", "هذه الأنباء عارية عن الصحة") == ["ar.denial.1"]
    assert _ids("titles", "قال المتحدث باسم الوزارة", longest=True) == ["ar.titles.3"]
    assert _ids("media_nouns", "ذكرت وكالة الأنباء", longest=True) == ["ar.media_nouns.4"]
    assert _ids("conditionals", "وإذا وافقت") == ["ar.conditionals.2"]
    assert _ids("generic", "دعوات إلى الحوار") == ["ar.generic.0"]


def test_bad_input_raises_a_matcher_error() -> None:
    matcher = matchers_for(AR).triggers
    with pytest.raises(MatcherError):
        matcher.find("بيع")  # type: ignore[arg-type]
    with pytest.raises(MatcherError):
        matcher.find([1, 2])  # type: ignore[list-item]
    with pytest.raises(MatcherError):
        PhraseMatcher([SimpleNamespace(id="x", forms=())], None)
    assert matcher.find([]) == []


def test_lexmatch_fields() -> None:
    text = "ولم تبع الشركة"
    (match,) = matchers_for(AR).negation.find(tokenize(text))
    assert isinstance(match, LexMatch)
    assert (match.first, match.last, match.token_indices) == (0, 0, (0,))
    assert (match.start, match.end, match.stripped) == (0, 3, ("و",))
    assert match.form.text == "لم"


# --------------------------------------------------------------------------- properties


def _all_entries(lex) -> list[tuple[str, Any]]:
    built = matchers_for(lex)
    return [(name, entry) for name in (
        "triggers", "role_cues", "status_cues", "source_cues", "qualifiers", "anon_phrases",
        "anon_heads", "anon_modifiers", "negation", "denial", "hedges", "conditionals",
        "generic", "blockers", "media_nouns", "titles", "object_words",
    ) for entry in getattr(built, name).entries]


@pytest.mark.parametrize("lex", [AR, EN], ids=["ar", "en"])
def test_every_bundled_form_matches_its_own_text(lex) -> None:
    built = matchers_for(lex)
    missing = []
    count = 0
    for section, entry in _all_entries(lex):
        for form in entry.forms:
            count += 1
            text = " ".join(w for w in form.text.split() if not GAP.fullmatch(w))
            if getattr(entry, "attached", False):
                # A clitic is found on the word it is glued to: a listed present verb.
                text += "تفاوض"
            tokens = tokenize(text)
            found = getattr(built, section).find(tokens)
            if not any(m.entry is entry and m.first == 0 and m.last == len(tokens) - 1
                       for m in found):
                missing.append((section, getattr(entry, "id", "?"), form.text))
    assert count > 500
    assert missing == []


_AR_TRIGGER_WORDS = sorted({
    (entry.id, form.words[0]) for entry in AR.triggers for form in entry.forms
    if len(form.words) == 1 and not form.words[0].startswith(("ال", "أل", "إل", "آل"))
    and len(form.words[0]) >= 3
})


@settings(max_examples=300, deadline=None)
@given(pair=st.sampled_from(_AR_TRIGGER_WORDS),
       prefix=st.sampled_from(["و", "ف", "ب", "ل", "ك", "وب", "ول", "فل", "ال", "وال", "بال",
                               "لل", "ولل"]))
def test_clitics_in_front_of_any_trigger_word_are_stripped(pair: tuple[str, str],
                                                           prefix: str) -> None:
    entry_id, word = pair
    found = matchers_for(AR).triggers.find(tokenize(prefix + word))
    assert any(m.entry.id == entry_id for m in found), (prefix + word, entry_id)
