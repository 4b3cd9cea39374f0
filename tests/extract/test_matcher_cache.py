"""Shared per-document readings (`TokenReadings`) change nothing in what the matcher finds.

The engine reads a document's tokens once and hands that analysis to all 17 section
matchers; the matchers look forms up through an index of where each reading occurs.
Both are checked here against a plain reference written in this file from the
matcher's documented rules: for every token, every reading, every form starting with
that reading, place the other words left to right, nearest first, within the gap and
never past a sentence end; keep, per entry and token span, the best-ranked reading.
The text is real prose (a few hundred corpus sentences, whole documents) and
generated word salad built from lexicon words, clitics and sentence punctuation.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raqib.extract.lexicons import fold, load_lexicon
from raqib.extract.matcher import (
    SECTION_NAMES,
    LexMatch,
    MatcherError,
    PhraseMatcher,
    TokenReadings,
    attached_prefixes,
    matchers_for,
)
from raqib.text.segment import sentences
from raqib.text.tokens import Token, tokenize

AR = load_lexicon("ar")
EN = load_lexicon("en")
LEXICONS = {"ar": AR, "en": EN}
ENDS = {".", "!", "?", ";", "…"}


# --------------------------------------------------------------------------- reference


def _ends_sentence(token: Token) -> bool:
    return token.kind == "punct" and (token.norm in ENDS or token.norm.startswith(".."))


def _one_letter_clitics(lexicon: Any) -> set[str]:
    m = lexicon.morphology
    return {c for c in (*m.conjunctions, *m.prepositions, *m.future_prefixes) if len(c) == 1}


def _place(words: tuple[str, ...], gaps: tuple[int, ...], table: list[dict], tokens: list,
           at: list[int]) -> list[int] | None:
    """Left to right, nearest first, backtracking: the first placement that fits."""
    k = len(at)
    if k == len(words):
        return at
    prev = at[-1]
    for j in range(prev + 1, min(len(tokens), prev + 2 + gaps[k - 1])):
        if words[k] in table[j]:
            done = _place(words, gaps, table, tokens, [*at, j])
            if done is not None:
                return done
        if _ends_sentence(tokens[j]):
            return None
    return None


def reference_find(matcher: PhraseMatcher, lexicon: Any, tokens: list[Token]
                   ) -> list[tuple[Any, ...]]:
    """Every match as (entry id, form text, token indices, stripped), sorted as `find`."""
    table = [matcher._analyzer.readings(t) for t in tokens]
    letters = _one_letter_clitics(lexicon)
    best: dict[tuple[int, tuple[int, ...]], tuple[tuple[int, ...], tuple[Any, ...]]] = {}

    def keep(order: int, entry: Any, form: Any, form_order: int, words: tuple[str, ...],
             clitic: bool, indices: list[int], readings: list[Any], glued: bool) -> None:
        rank = (indices[0], indices[0] - indices[-1], -len(words), int(clitic), order,
                -sum(len(r.clitics) for r in readings), sum(r.rank for r in readings),
                form_order, int(glued))
        slot = (order, tuple(indices))
        if slot not in best or rank < best[slot][0]:
            best[slot] = (rank, (entry.id, form.text, tuple(indices),
                                 tuple(r.stripped for r in readings)))

    for order, entry in enumerate(matcher.entries):
        attached = matcher.attached_only or bool(getattr(entry, "attached", False))
        for form_order, form in enumerate(entry.forms):
            words = tuple(fold(w) for w in form.words)
            clitic = attached and len(words) == 1 and words[0] in letters
            if matcher.attached_only and not clitic:
                continue
            for i in range(len(tokens)):
                reading = table[i].get(words[0])
                if reading is None:
                    continue
                if clitic and not (i + 1 < len(tokens)
                                   and tokens[i + 1].kind in ("word", "number")):
                    continue  # a clitic written apart must stand before a word
                at = _place(words, form.gaps, table, tokens, [i])
                if at is not None:
                    keep(order, entry, form, form_order, words, clitic, at,
                         [table[j][w] for j, w in zip(at, words, strict=True)], False)
            if clitic:  # the clitic glued to a word
                for i, token in enumerate(tokens):
                    glued = attached_prefixes(token, lexicon) if token.kind == "word" else ()
                    if words[0] in glued:
                        reading = type(table[i][token.norm])("+".join(glued), glued, 0)
                        keep(order, entry, form, form_order, words, clitic, [i], [reading],
                             True)
    return [found for _, found in sorted(best.values())]


def reference_longest(found: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    chosen, covered = [], -1
    for match in found:
        if match[2][0] > covered:
            chosen.append(match)
            covered = match[2][-1]
    return chosen


def _plain(matches: Sequence[LexMatch], tokens: list[Token]) -> list[tuple[Any, ...]]:
    out = []
    for m in matches:
        assert (m.first, m.last) == (m.token_indices[0], m.token_indices[-1])
        assert (m.start, m.end) == (tokens[m.first].start, tokens[m.last].end)
        out.append((m.entry.id, m.form.text, m.token_indices, m.stripped))
    return out


def _check(lang: str, tokens: list[Token]) -> None:
    """Each section: shared readings == fresh readings == the reference."""
    lexicon = LEXICONS[lang]
    built = matchers_for(lexicon)
    shared = built.readings(tokens)
    longest_all = built.find_longest_all(tokens, readings=shared)
    assert list(longest_all) == list(SECTION_NAMES)
    for section in SECTION_NAMES:
        matcher = getattr(built, section)
        expected = reference_find(matcher, lexicon, tokens)
        assert _plain(matcher.find(tokens, shared), tokens) == expected, section
        assert _plain(matcher.find(tokens), tokens) == expected, section
        longest = reference_longest(expected)
        assert _plain(matcher.find_longest(tokens, shared), tokens) == longest, section
        assert _plain(longest_all[section], tokens) == longest, section


# --------------------------------------------------------------------------- corpus


def _corpus_sentences(shared: Path) -> dict[str, list[str]]:
    corpus = shared / "corpus"
    arabic = [shared / "seed" / "bout-houthis.ar.txt",
              *sorted((corpus / "anercorp" / "passages").glob("*.txt"))]
    english = [*sorted((corpus / "re3d" / "txt").rglob("*.txt"))[::6],
               *sorted((corpus / "treasury").glob("*.txt"))[::5]]
    out: dict[str, list[str]] = {}
    for lang, paths in (("ar", arabic), ("en", english)):
        found: list[str] = []
        for path in paths:
            found += [s.text for s in sentences(path.read_text(encoding="utf-8"))
                      if len(s.text.split()) >= 4]
        out[lang] = found[:200]
    return out


@pytest.fixture(scope="module")
def corpus_sentences(shared_dir: Path) -> dict[str, list[str]]:
    return _corpus_sentences(shared_dir)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_shared_readings_match_the_reference_on_corpus_sentences(
        lang: str, corpus_sentences: dict[str, list[str]]) -> None:
    texts = corpus_sentences[lang]
    assert len(texts) >= 120  # with the English, a few hundred sentences
    for text in texts:
        _check(lang, tokenize(text))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_one_analysis_for_a_whole_document_and_its_sentences(
        lang: str, corpus_sentences: dict[str, list[str]]) -> None:
    """Matching the joined text at once equals the reference; slices of the shared
    readings equal fresh readings of the same tokens (what the engine does per sentence)."""
    text = " ".join(corpus_sentences[lang][:60])
    tokens = tokenize(text)
    _check(lang, tokens)
    built = matchers_for(LEXICONS[lang])
    shared = built.readings(tokens)
    for first in range(0, len(tokens), 37):
        last = min(len(tokens), first + 45)
        piece = shared.slice(first, last)
        assert piece.tokens == tokens[first:last]
        for section in ("triggers", "source_cues", "role_cues"):
            matcher = getattr(built, section)
            assert matcher.find(piece.tokens, piece) == matcher.find(tokens[first:last])


# --------------------------------------------------------------------------- generated


def _forms(lexicon: Any) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
    """(words, gaps) of every form of every section, so that whole forms occur."""
    built = matchers_for(lexicon)
    return sorted({(form.words, form.gaps) for name in SECTION_NAMES
                   for entry in getattr(built, name).entries for form in entry.forms})


_FORMS = {"ar": _forms(AR), "en": _forms(EN)}
# Phrases and gapped forms are few in the lexicons but are where placement can go wrong.
_PHRASES = {lang: [f for f in forms if len(f[0]) > 1] for lang, forms in _FORMS.items()}
_GAPPED = {lang: [f for f in forms if any(f[1])] for lang, forms in _FORMS.items()}
_AR_PREFIXES = ["", "", "", "و", "ف", "ب", "ل", "ال", "وال", "لل", "وس", "س"]
_AR_SUFFIXES = ["", "", "", "ه", "ها", "هم"]
_FILLER = {"ar": ["الرجل", "بوتين", "كشفت", "سياسة", "في", "عن", "،", ".", "."],
           "en": ["the", "man", "Putin", "of", "report", "'s", ",", ".", "."]}
_PUNCT = [".", "،", ",", "؟", "!", ":", "...", "«", "»", ";"]


@st.composite
def _salad(draw: Any, lang: str) -> str:
    """Lexicon forms (their words, with clitics and a few other words or a sentence
    end in their gaps, sometimes more than the gap allows), other words, punctuation."""
    pieces: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["form", "form", "form", "filler", "punct"]))
        if kind == "punct":
            pieces.append(draw(st.sampled_from(_PUNCT)))
            continue
        if kind == "filler":
            pieces.append(draw(st.sampled_from(_FILLER[lang])))
            continue
        pool = draw(st.sampled_from([_FORMS, _PHRASES, _GAPPED]))
        words, gaps = draw(st.sampled_from(pool[lang]))
        for k, word in enumerate(words):
            if k:
                for _ in range(draw(st.integers(0, gaps[k - 1] + 1))):
                    pieces.append(draw(st.sampled_from(_FILLER[lang])))
            if lang == "ar":
                word = (draw(st.sampled_from(_AR_PREFIXES)) + word
                        + draw(st.sampled_from(_AR_SUFFIXES)))
            elif draw(st.booleans()):
                word = word.capitalize()
            pieces.append(word)
    return " ".join(pieces)


@settings(max_examples=120, deadline=None)
@given(text=_salad("ar"))
def test_shared_readings_match_the_reference_on_generated_arabic(text: str) -> None:
    _check("ar", tokenize(text))


@settings(max_examples=120, deadline=None)
@given(text=_salad("en"))
def test_shared_readings_match_the_reference_on_generated_english(text: str) -> None:
    _check("en", tokenize(text))


# --------------------------------------------------------------------------- misuse


def test_readings_of_other_tokens_are_refused() -> None:
    built = matchers_for(AR)
    tokens = tokenize("باع الرجل السلاح")
    other = tokenize("باع الرجل السلاح")
    with pytest.raises(MatcherError):
        built.triggers.find(other, built.readings(tokens))
    with pytest.raises(MatcherError):  # English readings for the Arabic matcher
        built.triggers.find(tokens, matchers_for(EN).readings(tokens))
    with pytest.raises(MatcherError):
        TokenReadings("باع")  # type: ignore[arg-type]
    with pytest.raises(MatcherError):
        built.readings([1, 2])  # type: ignore[list-item]
    assert built.find_longest_all([]) == {name: [] for name in SECTION_NAMES}
