"""Where a tagged name starts (a glued "و"/"ب"/"ل" is no part of it) and which of the
tagger's proposals are dropped or trimmed (common words and verbs at a span's edges).

The rules read the training counts a model carries; the small models here carry
hand-written counts, so each case states the evidence it rests on. The last tests use the
bundled model's own counts, with expectations that are facts about Arabic names
("وأبو" is "and Abu", "وليد" is the name Walid), not outputs copied from the code.
"""

from __future__ import annotations

import pytest

from raqib.ner import NerModel, load_model
from raqib.ner.features import WordStats
from raqib.ner.model import Stage
from raqib.ner.perceptron import TAGS
from raqib.text.arabic import fold
from raqib.text.tokens import tokenize


def _model(words: dict[str, tuple[int, ...]]) -> NerModel:
    """A model without weights whose training counts are `words` (occurrences, PERS, LOC,
    ORG, MISC by folded word)."""
    n = len(TAGS)
    stats = WordStats({fold(w): row for w, row in words.items()}, {})
    return NerModel(Stage({}, [[0.0] * n for _ in range(n + 1)]), stats=stats)


def _start(model: NerModel, word: str) -> str:
    """The name's first word as the model would cut it."""
    token = tokenize(word)[0]
    return word[model._name_start(token) - token.start:]


# -- where the name starts ------------------------------------------------------------


@pytest.mark.parametrize(("word", "counts", "expected"), [
    # "and Abu ...": the bare "أبو" was a name far more often than the glued word.
    ("وأبو", {"أبو": (52, 47, 3, 1, 0), "وأبو": (6, 5, 0, 0, 0)}, "أبو"),
    # "and Ibrahim": both were tagged as names; the bare form more often.
    ("وإبراهيم", {"إبراهيم": (10, 9, 1, 0, 0), "وإبراهيم": (2, 2, 0, 0, 0)}, "إبراهيم"),
    # "in Tangier": the town was seen bare and glued, bare more often.
    ("بطنجة", {"طنجة": (5, 0, 2, 3, 0), "بطنجة": (2, 0, 2, 0, 0)}, "طنجة"),
    # Kofi: "وفي" ("and in") was seen often but never as a name; the word is the name.
    ("كوفي", {"وفي": (206, 0, 0, 0, 0), "كوفي": (22, 22, 0, 0, 0)}, "كوفي"),
    # Faris: no bare "ارس" at all.
    ("فارس", {"فارس": (14, 13, 0, 0, 0)}, "فارس"),
    # An unknown word and an unknown stem: no evidence, the word stays whole.
    ("وكاراكاس", {}, "وكاراكاس"),
    # "and Blair": two clitics; "بلير" is the known name, "لير" is nothing: only و goes.
    ("وبلير", {"بلير": (23, 23, 0, 0, 0), "وبلير": (4, 4, 0, 0, 0)}, "بلير"),
])
def test_a_clitic_comes_off_when_training_saw_the_bare_name_more(
        word: str, counts: dict[str, tuple[int, ...]], expected: str) -> None:
    assert _start(_model(counts), word) == expected


def test_a_name_that_begins_with_waw_keeps_it() -> None:
    # "وصفي" (a given name) is split و + صفي by the tokenizer; "صفي" was never a name.
    model = _model({"صفي": (4, 0, 0, 0, 0), "وصفي": (3, 3, 0, 0, 0)})
    assert _start(model, "وصفي") == "وصفي"


def test_the_article_stem_still_comes_off_and_an_unwritten_article_still_stays() -> None:
    model = _model({})
    assert _start(model, "والعراق") == "العراق"
    assert _start(model, "للعراق") == "للعراق"  # ل + (ا)لعراق: no clean place to cut


def test_marks_on_the_conjunction_go_with_it() -> None:
    model = _model({"بلير": (23, 23, 0, 0, 0)})
    assert _start(model, "وَبلير") == "بلير"


# -- which proposals are kept -----------------------------------------------------------


COUNTS = {
    "من": (2433, 0, 0, 0, 2),        # a preposition: a function word
    "النيل": (10, 0, 7, 0, 2),       # the Nile; also "النيل من" (undermining)
    "لبحث": (5, 0, 0, 0, 0),         # "to discuss": common, never a name
    "يلتقي": (4, 0, 0, 0, 0),        # "meets": common, never a name
    "ميركل": (3, 3, 0, 0, 0),
    "عباس": (18, 17, 0, 1, 0),
    "محمود": (27, 27, 0, 0, 0),
}


def _kept(words: str) -> str | None:
    """What is left of a proposal covering all of `words`."""
    tokens = tokenize(words)
    span = _model(COUNTS)._trimmed(tokens, 0, len(tokens))
    return None if span is None else " ".join(t.text for t in tokens[span[0]:span[1]])


def test_a_span_ending_in_a_function_word_is_dropped() -> None:
    # "النيل من مصداقيته": the tagger took a verbal phrase for a place.
    assert _kept("النيل من") is None


def test_common_words_at_the_edges_are_trimmed() -> None:
    assert _kept("محمود عباس لبحث") == "محمود عباس"


def test_a_future_verb_after_a_name_is_trimmed() -> None:
    # "ميركل سيلتقيان": سـ + يلتقيان, whose stem يلتقي training knows as a verb.
    assert _kept("ميركل سيلتقيان") == "ميركل"


def test_names_that_look_like_future_verbs_stay() -> None:
    # سيرغي، ستيوارت start like سـ + present verb, but no such verb stem is known.
    assert _kept("سيرغي لافروف") == "سيرغي لافروف"
    assert _kept("ستيوارت وايت") == "ستيوارت وايت"


def test_a_span_of_common_words_only_is_dropped() -> None:
    assert _kept("لبحث يلتقي") is None


def test_without_counts_nothing_is_trimmed() -> None:
    n = len(TAGS)
    bare = NerModel(Stage({}, [[0.0] * n for _ in range(n + 1)]))
    tokens = tokenize("النيل من")
    assert bare._trimmed(tokens, 0, 2) == (0, 2)


# -- the bundled model's own counts --------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> NerModel:
    model = load_model()
    assert model is not None
    return model


@pytest.mark.parametrize(("word", "expected"), [
    ("وأبو", "أبو"),            # "and Abu"
    ("وإبراهيم", "إبراهيم"),    # "and Ibrahim"
    ("وطهران", "طهران"),        # "and Tehran"
    ("ولوكاشنكو", "لوكاشنكو"),  # "and Lukashenko"
    ("وليد", "وليد"),           # Walid
    ("وائل", "وائل"),           # Wael
    ("كوفي", "كوفي"),           # Kofi
    ("فارس", "فارس"),           # Faris
])
def test_bundled_counts_decide_the_clitic(bundled: NerModel, word: str, expected: str) -> None:
    assert _start(bundled, word) == expected


def test_bundled_model_finds_the_names_without_the_conjunction(bundled: NerModel) -> None:
    text = "وقال الرئيس الفنزويلي هوغو شافيز إنه سيلتقي في منسك الرئيس ألكسندر لوكاشنكو ." \
           " وأكد شافيز ولوكاشنكو أن المحادثات ستتناول التعاون ."
    names = [n.text for n in bundled.find_names(text) if n.label == "PERS"]
    assert "لوكاشنكو" in names
    assert not any(n.startswith("و") for n in names)


# -- one span, two names ------------------------------------------------------------------


def _pieces(words: str, counts: dict[str, tuple[int, ...]], label: str) -> list[str]:
    tokens = tokenize(words)
    return [" ".join(t.text for t in tokens[a:b])
            for a, b in _model(counts)._split_at_and(tokens, 0, len(tokens), label)]


def test_two_names_joined_by_and_are_two() -> None:
    counts = {"شافيز": (9, 9, 0, 0, 0), "لوكاشنكو": (3, 3, 0, 0, 0)}
    assert _pieces("شافيز ولوكاشنكو", counts, "PERS") == ["شافيز", "ولوكاشنكو"]


def test_a_surname_that_begins_with_waw_is_not_cut_off() -> None:
    # Stuart White: "وايت" was a person 3 times, "ايت" once as a person (3 times in
    # an organisation's name): as a person, the whole word is the name.
    counts = {"وايت": (4, 3, 0, 1, 0), "ايت": (4, 1, 0, 3, 0), "ستيوارت": (2, 2, 0, 0, 0)}
    assert _pieces("ستيوارت وايت", counts, "PERS") == ["ستيوارت وايت"]
