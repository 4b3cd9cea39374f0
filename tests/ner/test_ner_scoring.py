"""The tagger's fast scorer against the plain path that training uses.

`StageScorer` sums cached per-word parts; `emissions(token_features(...))` builds every
feature string. With the bundled model's integer weights both must give the same numbers
for every token, on real Arabic sentences and on edge cases (one word, two words, Latin,
digits, punctuation), for the first stage and for the second with document features.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from raqib.ner import NerModel, load_model
from raqib.ner.features import document_features, token_features
from raqib.ner.model import sentence_slices
from raqib.ner.perceptron import emissions
from raqib.ner.scoring import CACHE_LIMIT, StageScorer
from raqib.text.tokens import tokenize
from tests.conftest import SEED, SHARED

EDGE_CASES = [
    ["عباس"],
    ["قال", "الرئيس"],
    ["وزير", "الخارجية", "الروسي", "سيرغي", "لافروف", "Sergei", "Lavrov", "2024", "،", "."],
    ["١٢", "مليون", "دولار", "USD", "(", ")", "«", "»"],
]


def _model() -> NerModel:
    model = load_model()
    assert model is not None, "the bundled model file is missing"
    return model


def _sentences(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    tokens = [t for t in tokenize(text) if t.kind != "punct" or t.norm.strip()]
    return [[t.text for t in tokens[a:b]] for a, b in sentence_slices(tokens, text)]


def _real_sentences() -> list[list[str]]:
    passages = sorted((SHARED / "corpus" / "anercorp" / "passages").glob("*.txt"))[:12]
    out = _sentences(SEED)
    for path in passages:
        out += _sentences(path)
    return out


def test_first_stage_scores_equal_the_plain_path() -> None:
    model = _model()
    scorer = StageScorer(model.first.weights, len(model.tags), model.stats)
    sentences = _real_sentences() + EDGE_CASES
    assert sum(map(len, sentences)) > 1000  # a real test, not a handful of words
    for words in sentences:
        plain = emissions(token_features(words, model.stats), model.first.weights,
                          len(model.tags))
        assert scorer.sentence(words) == plain, words


def test_second_stage_scores_equal_the_plain_path() -> None:
    model = _model()
    assert model.second is not None
    sentences = _real_sentences() + EDGE_CASES
    first_tags = model.tag_sentences(sentences)  # any tags will do for the features
    docs = document_features(sentences, first_tags, model.window)
    scorer = StageScorer(model.second.weights, len(model.tags), model.stats)
    for words, extra in zip(sentences, docs, strict=True):
        base = token_features(words, model.stats)
        plain = emissions([b + d for b, d in zip(base, extra, strict=True)],
                          model.second.weights, len(model.tags))
        assert scorer.sentence(words, extra) == plain, words


def test_scores_without_training_counts() -> None:
    weights = {"b": [1, 0, 0], "w-1=<s>": [0, 2, 0], "p1=ع": [0, 0, 3],
               "w+1=عباس": [5, 0, 0], "k-1k+1=<s><s>": [0, 7, 0]}
    scorer = StageScorer(weights, 3, None)
    for words in (["عباس"], ["قال", "عباس"], []):
        assert scorer.sentence(words) == emissions(token_features(words), weights, 3)
    # "عباس" alone: bias, w-1=<s>, p1=ع and the two edges' kinds
    assert scorer.sentence(["عباس"]) == [[1, 9, 3]]


def test_caches_start_again_past_their_limit() -> None:
    model = _model()
    scorer = StageScorer(model.first.weights, len(model.tags), model.stats)
    scorer._own.update({f"w{i}": [0] * len(model.tags) for i in range(CACHE_LIMIT + 1)})
    words = ["قال", "الرئيس"]
    expected = emissions(token_features(words, model.stats), model.first.weights,
                         len(model.tags))
    assert scorer.sentence(words) == expected
    assert len(scorer._own) == len(set(words))


@pytest.mark.parametrize("words", EDGE_CASES)
def test_tagging_is_unchanged_by_the_scorer(words: list[str]) -> None:
    """The tags equal a decoding of the plain scores, stage by stage."""
    from raqib.ner.perceptron import viterbi

    model = _model()
    prev_ok = model._prev_ok
    first = [model.tags[k] for k in viterbi(
        emissions(token_features(words, model.stats), model.first.weights, len(model.tags)),
        model.first.transitions, prev_ok)]
    assert model.second is not None
    extra = document_features([words], [first], model.window)[0]
    base = token_features(words, model.stats)
    second = [model.tags[k] for k in viterbi(
        emissions([b + d for b, d in zip(base, extra, strict=True)], model.second.weights,
                  len(model.tags)), model.second.transitions, prev_ok)]
    assert model.tag(words) == second
