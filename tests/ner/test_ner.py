"""The statistical name tagger: the shipped model loads and tags sensibly, spans are
exact, the file format round-trips, and the training code learns something.

Expected names below are hand-checked facts about the sentences (a president's name is
a person, a city after "في" is a place), not outputs copied from the model.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import train_ner
from raqib.ner import NameSpan, NerError, NerModel, find_names, load_model
from raqib.ner.model import Stage, bio_spans, model_path, sentence_slices
from raqib.ner.perceptron import TAGS, allowed_previous, viterbi
from raqib.text.tokens import tokenize

CORPUS = train_ner.CORPUS


@pytest.fixture(scope="module")
def model() -> NerModel:
    loaded = load_model()
    assert loaded is not None, f"the model file is missing at {model_path()}"
    return loaded


def labelled(text: str) -> set[tuple[str, str]]:
    return {(n.text, n.label) for n in find_names(text)}


# ---------------------------------------------------------------------------
# the shipped model
# ---------------------------------------------------------------------------


def test_model_file_is_small_and_loads(model: NerModel) -> None:
    assert model_path().stat().st_size < 5_000_000
    assert model.tags == TAGS
    assert model.second is not None and model.stats is not None
    assert "CC BY-SA 4.0" in model.meta["corpus"]


@pytest.mark.parametrize(("text", "name"), [
    ("وقال الرئيس الأمريكي جورج بوش إن بلاده لن تتراجع .", "جورج بوش"),
    ("واستقبل الرئيس المصري حسني مبارك الوفد في القاهرة .", "حسني مبارك"),
    ("وصرح وزير الخارجية الروسي سيرغي لافروف للصحفيين أمس .", "سيرغي لافروف"),
])
def test_person_after_a_title(text: str, name: str) -> None:
    assert (name, "PERS") in labelled(text)


@pytest.mark.parametrize(("text", "name"), [
    ("وقع انفجار في بغداد صباح اليوم .", "بغداد"),
    ("وعقد الاجتماع في باريس الأسبوع الماضي .", "باريس"),
    ("وصل الوفد إلى دمشق قادما من بيروت .", "دمشق"),
])
def test_place_after_a_preposition(text: str, name: str) -> None:
    assert (name, "LOC") in labelled(text)


def test_common_words_are_not_names() -> None:
    assert find_names("وقال إن الاجتماع كان مثمرا وإن المحادثات ستستمر غدا .") == []


def test_proclitic_is_trimmed_from_a_name() -> None:
    found = labelled("وزار الوفد اليابان والعراق في الشهر الماضي .")
    assert ("العراق", "LOC") in found  # not "والعراق"


def test_offsets_are_exact(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    names = find_names(text)
    assert len(names) > 5
    prev_end = 0
    for n in names:
        assert text[n.start:n.end] == n.text and n.text.strip() == n.text
        assert n.start >= prev_end and n.label in ("PERS", "LOC", "ORG", "MISC")
        prev_end = n.end


def test_deterministic(model: NerModel, seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")[:3000]
    again = NerModel.from_file(model_path())
    assert model.find_names(text) == again.find_names(text) == find_names(text)


@pytest.mark.parametrize("text", [
    "", "   ", "\n\n", ".", "...", "\x00\ud800", "ـــ", "12,000 3.5", "Hello World .",
    "في " * 500, "الرئيس", "؟!،", "\u200f\u200e", "«»",
])
def test_odd_input_never_crashes(text: str) -> None:
    for n in find_names(text):
        assert text[n.start:n.end] == n.text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("وقال الرئيس بوش في بغداد .\n،«»ـ1a")), max_size=80))
def test_spans_are_exact_on_any_text(text: str) -> None:
    for n in find_names(text):
        assert text[n.start:n.end] == n.text and n.start < n.end


def test_bad_input_raises_project_error(model: NerModel) -> None:
    with pytest.raises(NerError):
        find_names(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(NerError):
        model.tag("not a list")  # type: ignore[arg-type]
    with pytest.raises(NerError):
        model.tag_sentences([["ok"], [3]])  # type: ignore[list-item]
    assert model.tag([]) == []
    assert len(model.tag(["بغداد"])) == 1


# ---------------------------------------------------------------------------
# building blocks, on cases worked out by hand
# ---------------------------------------------------------------------------


def test_bio_spans_read_as_conlleval_does() -> None:
    assert bio_spans(["B-PERS", "I-PERS", "O", "B-LOC"]) == [(0, 2, "PERS"), (3, 4, "LOC")]
    assert bio_spans(["I-LOC", "I-ORG", "B-ORG"]) == [(0, 1, "LOC"), (1, 2, "ORG"),
                                                       (2, 3, "ORG")]
    assert bio_spans(["B-LOC", "B-LOC", "I-LOC"]) == [(0, 1, "LOC"), (1, 3, "LOC")]
    assert bio_spans([]) == [] and bio_spans(["O", "O"]) == []


def test_viterbi_keeps_paths_well_formed() -> None:
    prev_ok = allowed_previous(TAGS)
    n = len(TAGS)
    trans = [[0.0] * n for _ in range(n + 1)]
    i_pers, b_loc = TAGS.index("I-PERS"), TAGS.index("B-LOC")
    # I-PERS scores best everywhere, but cannot start a sentence or follow B-LOC.
    scores = [[0.0] * n for _ in range(2)]
    scores[0][i_pers], scores[0][b_loc] = 5.0, 4.0
    scores[1][i_pers] = 5.0
    path = [TAGS[k] for k in viterbi(scores, trans, prev_ok)]
    # By hand: B-LOC then anything scores 4; B-PERS (0) then I-PERS (5) scores 5.
    assert path == ["B-PERS", "I-PERS"]
    for i, tag in enumerate(path):
        if tag.startswith("I-"):
            assert i and path[i - 1] in ("B-" + tag[2:], tag)
    assert viterbi([], trans, prev_ok) == []


def test_sentence_slices_cut_at_stops_and_lines() -> None:
    text = "جاء زيد . ثم ذهب\nعمرو"
    tokens = tokenize(text)
    got = [" ".join(t.text for t in tokens[a:b]) for a, b in sentence_slices(tokens, text)]
    assert got == ["جاء زيد .", "ثم ذهب", "عمرو"]


def _blank_model(names: frozenset[str]) -> NerModel:
    n = len(TAGS)
    return NerModel(Stage({}, [[0.0] * n for _ in range(n + 1)]), name_words=names)


@pytest.mark.parametrize(("word", "names", "offset"), [
    ("والعراق", frozenset(), 1),            # article stem: و is a clitic
    ("للعراق", frozenset({"العراق"}), 0),   # the article's alef is not written: keep
    ("وعباس", frozenset({"عباس"}), 1),      # stem known as a name, whole word not
    ("وليد", frozenset({"وليد", "ليد"}), 0),  # the whole word is a known name
    ("وكاراكاس", frozenset(), 0),           # unknown: ANERcorp's own span, clitic and all
])
def test_name_start_trims_only_safe_proclitics(word: str, names: frozenset[str],
                                               offset: int) -> None:
    token = tokenize(word)[0]
    assert _blank_model(names)._name_start(token) == offset


def test_blank_model_finds_nothing() -> None:
    assert _blank_model(frozenset()).find_names("قال الرئيس جورج بوش في بغداد .") == []


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    n = len(TAGS)
    trans = [[0.0] * n for _ in range(n + 1)]
    trans[n][TAGS.index("B-LOC")] = 0.5
    weights = {"x1=د": [0.0, 0.0, 0.0, 1.25, 0.0, 0.0, 0.0, 0.0, 0.0], "zero": [0.001] * n}
    model = NerModel(Stage(weights, trans), name_words=frozenset({"بغداد"}), meta={"k": 1})
    path = tmp_path / "m.json.gz"
    model.save(path, scale=100)
    back = NerModel.from_file(path)
    assert back.first.weights == {"x1=د": [0, 0, 0, 125, 0, 0, 0, 0, 0]}  # rounded, pruned
    assert back.first.transitions[n][TAGS.index("B-LOC")] == 50
    assert back.second is None and back.name_words == {"بغداد"} and back.meta == {"k": 1}
    assert back.tag(["بغداد"]) == model.tag(["بغداد"]) == ["B-LOC"]
    again = tmp_path / "again.json.gz"
    back.save(again, scale=100)  # a loaded model saves to the same bytes
    assert again.read_bytes() == path.read_bytes()


def test_bad_model_files_raise_project_error(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.json.gz"
    garbage.write_bytes(b"not gzip")
    wrong = tmp_path / "wrong.json.gz"
    with gzip.open(wrong, "wt", encoding="utf-8") as fh:
        json.dump({"format": "something-else"}, fh)
    partial = tmp_path / "partial.json.gz"
    with gzip.open(partial, "wt", encoding="utf-8") as fh:
        json.dump({"format": "raqib-ner-perceptron/1", "stages": []}, fh)
    for path in (garbage, wrong, partial, tmp_path / "absent.json.gz"):
        with pytest.raises(NerError):
            NerModel.from_file(path)


def test_name_span_is_a_value() -> None:
    assert NameSpan(0, 3, "abc", "ORG") == NameSpan(0, 3, "abc", "ORG")


# ---------------------------------------------------------------------------
# training
# ---------------------------------------------------------------------------


def test_training_on_a_little_data_learns_something() -> None:
    assert CORPUS.is_file(), f"the shared ANERcorp copy is missing at {CORPUS}"
    train = train_ner.sentences(train_ner.read_lines(CORPUS, 1, 2000))
    held = train_ner.sentences(train_ner.read_lines(CORPUS, 2001, 3500))
    assert sum(len(w) for w, _ in train) > 1500
    model = train_ner.train(train, epochs=3, folds=2, window=5)
    table = train_ner.score(model, held)
    assert table["micro"]["gold"] > 20
    assert table["micro"]["f1"] > 0.0
    again = train_ner.train(train, epochs=3, folds=2, window=5)  # same data, same seed
    assert again.first.weights == model.first.weights


def test_corpus_reader_splits_and_retags(tmp_path: Path) -> None:
    path = tmp_path / "mini.txt"
    path.write_text("وقال O\nجورج B-PERS\nبوش. I-PERS\n\u200f O\nفي O\nبغداد B-LOC\n. O\n"
                    "ثم O\n", encoding="utf-8")
    got = train_ner.sentences(train_ner.read_lines(path, 1, None))
    # "بوش." splits into two tokens, the stop outside the name; U+200F is dropped.
    assert got == [
        (["وقال", "جورج", "بوش", "."], ["O", "B-PERS", "I-PERS", "O"]),
        (["في", "بغداد", "."], ["O", "B-LOC", "O"]),
        (["ثم"], ["O"]),
    ]
    assert train_ner.read_lines(path, 2, 3) == [("جورج", "B-PERS"), ("بوش.", "I-PERS")]
