"""Find lexicon forms in tokenized text, the way `lexicon/README.md` promises.

A lexicon lists bare words (`بيع`, `تفاوض`, `حسب`); Arabic text glues conjunctions,
prepositions, the article, the future prefix and object pronouns to them (`لبيع`,
`للتفاوض`, `وبحسب`, `وسيبيعه`). So each text token is read in every way the lexicon's
morphology allows — as written, then with و/ف, then ب/ل/ك or سـ, then ال taken off the
front (in that order only; `لل` is ل + ال), and with an attached pronoun taken off the
end — and a form word matches when one of those readings equals it. English tokens are
compared as folded (lower case); only the possessive 's is taken off.

Speed: readings are cached per word, and a document's tokens are read once into a
`TokenReadings` (every reading of every token, and where each reading occurs) that all
the section matchers of a lexicon share. Forms are indexed by their first word; a
matcher looks only at the first words that occur in the text, skips a phrase when one
of its other words occurs nowhere, and places the other words with the occurrence
index (a phrase without gaps from its rarest word). None of this changes what is found:
`tests/extract/test_matcher_cache.py` compares it with a plain token-by-token walk.

Gaps (`ألقى * القبض`) let up to N other tokens stand between two words of a form.
Punctuation counts as a token there, and a gap never crosses the end of a sentence
(. ! ? ; …): a form must not join words of two sentences. Commas, colons, quotes and
brackets do not stop a gap.

Cues marked `attached` (the prepositions ل/ب, the future سـ) are one-letter clitics:
they match the token they are glued to (`للحوثيين` → ل), or a token of their own
written apart before a word (`بـ 500`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from operator import itemgetter
from typing import Any, NamedTuple

from raqib.extract.lexicons import Form, Lexicon, Morphology, fold
from raqib.text.tokens import Token

__all__ = [
    "SECTION_NAMES",
    "LexMatch",
    "LexiconMatchers",
    "MatcherError",
    "ObjectWords",
    "PhraseMatcher",
    "TokenReadings",
    "attached_prefixes",
    "matchers_for",
]

# Shortest stem a clitic may leave: a conjunction may leave two letters (وقد → قد,
# ولم → لم), a preposition three (كما is not ك + ما, لقد not ل + قد), the future
# prefix four (a present verb: سيبيع → يبيع; سنية is not س + نية, سنار not س + نار)
# or three after ي, which few nouns start with (سيتم → يتم), the article two
# (الحل → حل), an object pronoun three (سلمه → سلم).
MIN_AFTER_CONJUNCTION = 2
MIN_AFTER_PREPOSITION = 3
MIN_AFTER_FUTURE = 4
MIN_AFTER_FUTURE_YA = 3
YA = "ي"
MIN_AFTER_ARTICLE = 2
MIN_BEFORE_ENCLITIC = 3
# The future سـ stands only before a present verb, which starts with one of these
# (after folding أ → ا): سيبيع، ستزود، سنرسل، سأبيع. It keeps سياسة، سلم، سوف whole.
IMPERFECT_LETTERS = frozenset("يتنا")
# After ل the article loses its alef: ل + البيع is written للبيع.
LAM = "ل"
ARTICLE = "ال"
HEH = "ه"
# A feminine noun's ة is written ت before a pronoun (زيارته); a verb's plural وا loses
# its alef (اعتقلوه). Both are put back once the pronoun is off.
TA = "ت"
TA_MARBUTA_FOLDED = "ه"
ENGLISH_POSSESSIVE = "'s"
# Tokens that end a sentence; a gap does not cross them ("..", "..." are one token).
SENTENCE_ENDS = frozenset({".", "!", "?", ";", "…"})
_AR_LETTER = re.compile("[\u0620-\u064a\u0671-\u06d3]")
_TRAILING_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+$")
_CACHE_LIMIT = 1 << 18


class MatcherError(ValueError):
    """The matcher was given something it cannot match (no forms, text instead of tokens)."""


@dataclass(frozen=True, slots=True)
class LexMatch:
    """One occurrence of one form of one lexicon entry.

    `start`/`end` are the original-text offsets of the first and last matched tokens
    (a clitic-stripped word counts whole). `stripped` has one string per matched word:
    "" when the word matched as written, else the proclitics taken off joined by "+"
    ("ل", "و+ب", "ل+ال", "و+س"), then "-" and the pronoun taken off the end if any
    ("-ه", "و+ب-ها"; English "-'s"). For an attached cue it holds the clitics glued to
    the token ("و+ل" for وللحوثيين).
    """

    entry: Any
    form: Form
    first: int
    last: int
    start: int
    end: int
    token_indices: tuple[int, ...]
    stripped: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ObjectWords:
    """The `object_words` of one class, as an entry a matcher can index."""

    id: str  # "ar.object.weapon"
    cls: str  # "weapon" | "person"
    forms: tuple[Form, ...]


# --------------------------------------------------------------------------- readings


class _Reading(NamedTuple):
    stripped: str  # see LexMatch.stripped
    clitics: tuple[str, ...]  # one-letter proclitics taken off, in order
    rank: int  # letters taken off: fewer is closer to the text


def _stripped_label(clitics: tuple[str, ...], article: bool, enclitic: str) -> str:
    label = "+".join((*clitics, ARTICLE) if article else clitics)
    return f"{label}-{enclitic}" if enclitic else label


class _Analyzer:
    """Reads text words under one morphology; readings are cached per word."""

    def __init__(self, morphology: Morphology | None) -> None:
        m = morphology or Morphology()
        self.conjunctions = m.conjunctions
        self.prepositions = m.prepositions
        self.futures = m.future_prefixes
        self.articles = m.articles
        self.enclitics = tuple(sorted(m.enclitics, key=len, reverse=True))
        self.arabic = bool(m.conjunctions or m.prepositions or m.articles or m.enclitics
                           or m.future_prefixes)
        # Letters a clitic can start or end with: a word with neither is only itself.
        self.first_letters = frozenset(c[0] for c in (
            *m.conjunctions, *m.prepositions, *m.future_prefixes, *m.articles) if c)
        self.last_letters = frozenset(e[-1] for e in m.enclitics if e)
        self._cache: dict[str, dict[str, _Reading]] = {}
        self._by_text: dict[str, tuple[str, dict[str, _Reading]]] = {}

    def table(self, tokens: Sequence[Token], occurrences: dict[str, list[int]] | None = None
              ) -> list[dict[str, _Reading]]:
        """`readings` of each token, looked up by the token's text (its folded form and
        whether it ends in ه both follow from the text; the fold is checked anyway).
        With `occurrences`, also fill it in: reading → indices of the tokens read so."""
        by_text = self._by_text
        out: list[dict[str, _Reading]] = []
        append = out.append
        try:
            for i, token in enumerate(tokens):
                held = by_text.get(token.text)
                if held is None or held[0] != token.norm:
                    if len(by_text) >= _CACHE_LIMIT:
                        by_text.clear()
                    held = by_text[token.text] = (token.norm, self.readings(token))
                found = held[1]
                append(found)
                if occurrences is not None:
                    for key in found:
                        where = occurrences.get(key)
                        if where is None:
                            occurrences[key] = [i]
                        else:
                            where.append(i)
        except AttributeError as exc:
            raise MatcherError(f"not a token: {exc}") from None
        return out

    def readings(self, token: Token) -> dict[str, _Reading]:
        """Folded reading → how it was read, least stripped first (as written first)."""
        norm = token.norm
        # A final ه may be the pronoun, a folded ة may not: only the spelling tells.
        heh = norm.endswith(HEH) and _raw_ends_in_heh(token.text)
        key = norm + "\x00" if heh else norm
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            found = self._cache[key] = self._analyse(norm, heh)
        return found

    def _analyse(self, word: str, heh: bool) -> dict[str, _Reading]:
        plain = _Reading("", (), 0)
        if not word or not self.arabic or not _AR_LETTER.match(word):
            latin = {word: plain}
            if word.endswith(ENGLISH_POSSESSIVE) and len(word) > len(ENGLISH_POSSESSIVE):
                latin[word[: -len(ENGLISH_POSSESSIVE)]] = _Reading(f"-{ENGLISH_POSSESSIVE}", (), 2)
            return latin
        if word[0] not in self.first_letters and word[-1] not in self.last_letters:
            return {word: plain}
        enclitic = self._enclitic_of(word, heh)
        found: list[tuple[str, _Reading]] = []
        for stem, clitics in self._proclitic_splits(word):
            found.append((stem, _Reading(_stripped_label(clitics, False, ""), clitics,
                                         len(word) - len(stem))))
            for article in self.articles:
                bare = stem[len(article):]
                if stem.startswith(article) and len(bare) >= MIN_AFTER_ARTICLE:
                    found.append((bare, _Reading(_stripped_label(clitics, True, ""), clitics,
                                                 len(word) - len(bare))))
            if enclitic and len(stem) - len(enclitic) >= MIN_BEFORE_ENCLITIC:
                found += self._without_enclitic(word, stem, clitics, enclitic)
        found.sort(key=lambda kv: kv[1].rank)  # stable: as written first
        out: dict[str, _Reading] = {}
        for stem, reading in found:
            out.setdefault(stem, reading)
        return out

    def _proclitic_splits(self, word: str) -> list[tuple[str, tuple[str, ...]]]:
        """(stem, clitics) for: nothing; و/ف; then ب/ل/ك or سـ. The article is left on."""
        splits: list[tuple[str, tuple[str, ...]]] = [(word, ())]
        for conj in ("", *self.conjunctions):
            rest = word[len(conj):]
            if conj and (not word.startswith(conj) or len(rest) < MIN_AFTER_CONJUNCTION):
                continue
            before = (conj,) if conj else ()
            if conj:
                splits.append((rest, before))
            for prep in self.prepositions:
                stem = rest[len(prep):]
                if not rest.startswith(prep):
                    continue
                if len(stem) >= MIN_AFTER_PREPOSITION:
                    splits.append((stem, (*before, prep)))
                if prep == LAM and stem.startswith(LAM) and self.articles:
                    # للبيع = ل + البيع: give the stem its article back.
                    splits.append((self.articles[0] + stem[1:], (*before, prep)))
            for future in self.futures:
                stem = rest[len(future):]
                if rest.startswith(future) and stem[:1] in IMPERFECT_LETTERS and len(stem) >= (
                        MIN_AFTER_FUTURE_YA if stem[0] == YA else MIN_AFTER_FUTURE):
                    splits.append((stem, (*before, future)))
        return splits

    def _enclitic_of(self, word: str, heh: bool) -> str:
        """The longest pronoun the word ends with (ه only when written ه, not ة)."""
        if word[-1] not in self.last_letters:
            return ""
        for enclitic in self.enclitics:
            if word.endswith(enclitic) and (enclitic != HEH or heh):
                return enclitic
        return ""

    @staticmethod
    def _without_enclitic(word: str, stem: str, clitics: tuple[str, ...], enclitic: str
                          ) -> list[tuple[str, _Reading]]:
        bare = stem[: -len(enclitic)]
        reading = _Reading(_stripped_label(clitics, False, enclitic), clitics,
                           len(word) - len(bare))
        out = [(bare, reading)]
        if bare.endswith(TA):  # زيارتها → زيارة
            out.append((bare[:-1] + TA_MARBUTA_FOLDED, reading))
        if bare.endswith("و"):  # اعتقلوه → اعتقلوا
            out.append((bare + "ا", reading))
        return out


def _raw_ends_in_heh(text: str) -> bool:
    """The word as written ends in ه (a pronoun may be attached), not in ة."""
    return _TRAILING_MARKS.sub("", text).endswith(HEH)


@cache
def _analyzer(morphology: Morphology | None) -> _Analyzer:
    return _Analyzer(morphology)


def _sentence_end(token: Token) -> bool:
    return token.kind == "punct" and (token.norm in SENTENCE_ENDS or token.norm.startswith(".."))


def _clitics_of(token: Token, analyzer: _Analyzer, known: Collection[str]) -> tuple[str, ...]:
    """The one-letter proclitics glued to a token.

    The deepest reading that leaves a known lexicon word wins (سيبيع → س + يبيع, while
    كشفت stays whole because شفت is no word). A word the lexicon does not know gets the
    tokenizer's cautious split, which protects names (بوتين is not ب + وتين); such a
    word never gets a future سـ, which would turn سيمون or ستوكهولم into verbs.
    """
    if not analyzer.arabic:
        return ()
    best: _Reading | None = None
    for key, reading in analyzer.readings(token).items():
        if key in known and (best is None or reading.rank > best.rank):
            best = reading
    if best is not None:
        return best.clitics
    return tuple(p for p in token.prefix.split("+") if p) if token.kind == "word" else ()


# --------------------------------------------------------------------------- per document


class TokenReadings:
    """Every reading of every token of one token list, worked out once and shared.

    Matching a document runs 17 section matchers over the same tokens; each would read
    each token again. Build this once (`PhraseMatcher.readings(tokens)` or
    `LexiconMatchers.readings(tokens)`) and pass it to every matcher of the same
    morphology: they then share the readings, an index of where each reading occurs,
    where the sentences end and the clitics glued to each word. Results are exactly
    those of matching without it. It holds `tokens` by identity: pass the same list.
    """

    __slots__ = ("_analyzer", "_clitics", "_ends", "_occurrences", "table", "tokens")

    def __init__(self, tokens: Sequence[Token], morphology: Morphology | None = None) -> None:
        self._setup(tokens, _analyzer(morphology), None)

    @classmethod
    def _of(cls, tokens: Sequence[Token], analyzer: _Analyzer,
            table: list[dict[str, _Reading]] | None = None) -> TokenReadings:
        self = cls.__new__(cls)
        self._setup(tokens, analyzer, table)
        return self

    def _setup(self, tokens: Sequence[Token], analyzer: _Analyzer,
               table: list[dict[str, _Reading]] | None) -> None:
        if isinstance(tokens, str) or not isinstance(tokens, Sequence):
            raise MatcherError("the matcher takes a list of tokens (raqib.text.tokens.tokenize)")
        self.tokens = tokens
        self._analyzer = analyzer
        self._occurrences: dict[str, list[int]] | None = None
        if table is None:  # one pass reads the tokens and indexes the readings
            self._occurrences = {}
            table = analyzer.table(tokens, self._occurrences)
        self.table = table
        self._ends: list[int] | None = None
        self._clitics: dict[int, tuple[Collection[str], list[tuple[int, tuple[str, ...]]]]] = {}

    def slice(self, first: int, last: int) -> TokenReadings:
        """The readings of `tokens[first:last]` (a new list; indices count from `first`)."""
        return TokenReadings._of(self.tokens[first:last], self._analyzer, self.table[first:last])

    @property
    def occurrences(self) -> dict[str, list[int]]:
        """Folded reading → the indices of the tokens that can be read so, increasing."""
        occ = self._occurrences
        if occ is None:
            occ = self._occurrences = {}
            for i, here in enumerate(self.table):
                for key in here:
                    where = occ.get(key)
                    if where is None:
                        occ[key] = [i]
                    else:
                        where.append(i)
        return occ

    @property
    def sentence_ends(self) -> list[int]:
        """Indices of the sentence-ending tokens, increasing (a gap stops at them).

        Every token has its folded form among its readings, so the candidates are
        the few readings that are sentence-ending punctuation."""
        ends = self._ends
        if ends is None:
            occ, tokens = self.occurrences, self.tokens
            ends = self._ends = sorted(
                i for key in occ if key in SENTENCE_ENDS or key.startswith("..")
                for i in occ[key] if _sentence_end(tokens[i]))
        return ends

    def glued(self, matcher: PhraseMatcher) -> list[tuple[int, tuple[str, ...]]]:
        """(index, clitics) of the words with one-letter clitics glued on, as `matcher`
        splits them; shared by the matchers that trust the same `known` words."""
        held = self._clitics.get(id(matcher._known))
        if held is not None and held[0] is matcher._known:
            return held[1]
        found = []
        starts, seen = self._analyzer.first_letters, matcher._clitic_cache
        known, analyzer = matcher._known, self._analyzer
        for i, token in enumerate(self.tokens):
            if token.kind != "word" or token.norm[0] not in starts:
                continue
            key = (token.text, token.prefix)  # the prefix is the fallback split
            clitics = seen.get(key)
            if clitics is None:
                if len(seen) >= _CACHE_LIMIT:
                    seen.clear()
                clitics = seen[key] = _clitics_of(token, analyzer, known)
            if clitics:
                found.append((i, clitics))
        self._clitics[id(known)] = (known, found)
        return found


# --------------------------------------------------------------------------- matcher


class _Candidate(NamedTuple):
    order: int  # entry order, for ties
    entry: Any
    form: Form
    form_order: int
    words: tuple[str, ...]  # folded
    gaps: tuple[int, ...]
    attached: bool
    rest: tuple[str, ...]  # the other words, once each: all must occur in the text
    contiguous: bool  # more than one word and no gaps


# What `_keep` holds per (entry, token indices): the ranking key, then what the match
# is made of. LexMatch objects are only built for the matches returned.
_Held = tuple[tuple[int, ...], _Candidate, tuple[int, ...], tuple[_Reading, ...]]


class PhraseMatcher:
    """Finds the forms of a list of lexicon entries in a token list.

    `entries` are objects with `.forms` (triggers, cues, terms, `ObjectWords`, ...).
    `morphology` is the lexicon's (None or empty: compare words as written). Entries
    with `attached=True` match as clitics glued to a word; `attached_only=True` makes
    every entry match only that way (forms that are not one-letter clitics are
    ignored). `known` are folded words the attached-clitic split may trust (default:
    the words of these entries; `matchers_for` passes the whole lexicon's).

    Matching looks up the lexicon's first words among the readings that occur in the
    text (not every token in every lexicon), then places a form's other words with
    the index of where each reading occurs.
    """

    def __init__(self, entries: Iterable[Any], morphology: Morphology | None, *,
                 attached_only: bool = False, known: Collection[str] | None = None) -> None:
        self.entries = tuple(entries)
        self.attached_only = attached_only
        self._analyzer = _analyzer(morphology)
        self._index: dict[str, list[_Candidate]] = {}
        self._clitic_index: dict[str, list[_Candidate]] = {}
        words: set[str] = set()
        clitic_letters = {
            c for c in (*self._analyzer.conjunctions, *self._analyzer.prepositions,
                        *self._analyzer.futures) if len(c) == 1
        }
        for order, entry in enumerate(self.entries):
            forms = getattr(entry, "forms", None)
            if not isinstance(forms, tuple | list) or not forms:
                raise MatcherError(f"entry {getattr(entry, 'id', entry)!r} has no forms")
            attached = attached_only or bool(getattr(entry, "attached", False))
            for form_order, form in enumerate(forms):
                folded = tuple(fold(w) for w in form.words)
                words.update(folded)
                clitic = attached and len(folded) == 1 and folded[0] in clitic_letters
                if attached_only and not clitic:
                    continue  # a whole word is never an attached clitic
                cand = _Candidate(order, entry, form, form_order, folded, form.gaps, clitic,
                                  tuple(dict.fromkeys(folded[1:])),
                                  len(folded) > 1 and not any(form.gaps))
                if clitic:
                    self._clitic_index.setdefault(folded[0], []).append(cand)
                self._index.setdefault(folded[0], []).append(cand)
        self._known = frozenset(words) if known is None else known
        self._clitic_cache: dict[tuple[str, str], tuple[str, ...]] = {}

    # -- public

    def readings(self, tokens: Sequence[Token]) -> TokenReadings:
        """The per-document readings to share with every matcher of this morphology."""
        return TokenReadings._of(tokens, self._analyzer)

    def find(self, tokens: Sequence[Token], readings: TokenReadings | None = None
             ) -> list[LexMatch]:
        """Every match, overlapping allowed, sorted by (first, -length).

        One match per entry and token span: when two forms of an entry match the same
        tokens, the one with more words wins, then the one that exposes more clitics
        (سيبيع read as س + يبيع rather than as written), then the earlier form.
        `readings` (optional) are the shared readings of these very tokens.
        """
        return [_lex_match(held, tokens) for held in self._ranked(tokens, readings)]

    def find_longest(self, tokens: Sequence[Token], readings: TokenReadings | None = None
                     ) -> list[LexMatch]:
        """Non-overlapping matches, leftmost first, the longest span at each start.

        Ties: the form with more words, then a whole word over an attached clitic,
        then entry order. Ambiguous forms yield only the first entry here: use `find`
        to see every reading. `readings` as for `find`.
        """
        chosen: list[LexMatch] = []
        covered = -1
        for held in self._ranked(tokens, readings):
            indices = held[2]
            if indices[0] > covered:
                chosen.append(_lex_match(held, tokens))
                covered = indices[-1]
        return chosen

    # -- internals

    def _ranked(self, tokens: Sequence[Token], readings: TokenReadings | None) -> list[_Held]:
        if readings is None:
            readings = TokenReadings._of(tokens, self._analyzer)
        elif readings.tokens is not tokens or readings._analyzer is not self._analyzer:
            raise MatcherError("readings of other tokens or of another morphology")
        best: dict[tuple[int, tuple[int, ...]], _Held] = {}
        index = self._index
        if index and tokens:
            occ = readings.occurrences
            # Only the first words that occur in the text matter; iterate the smaller side.
            keys = ([k for k in index if k in occ] if len(index) < len(occ)
                    else [k for k in occ if k in index])
            for key in keys:
                self._match_key(key, index[key], occ, readings, best)
        if self._clitic_index and tokens:
            self._attached_matches(readings, best)
        return sorted(best.values(), key=_RANK)

    def _match_key(self, key: str, cands: list[_Candidate], occ: dict[str, list[int]],
                   readings: TokenReadings, best: dict) -> None:
        """Every match of the forms that start with `key`, at every token read as `key`."""
        table, tokens = readings.table, readings.tokens
        where = occ[key]
        for cand in cands:
            if len(cand.words) == 1:  # `_keep`, inlined: most matches are single words
                attached, order, form_order = cand.attached, cand.order, cand.form_order
                for i in where:
                    if attached and not _detached_clitic(tokens, i):
                        continue
                    reading = table[i][key]
                    rank = (i, 0, -1, attached, order, -len(reading.clitics), reading.rank,
                            form_order, 0)
                    slot = (order, (i,))
                    held = best.get(slot)
                    if held is None or rank < held[0]:
                        best[slot] = (rank, cand, (i,), (reading,))
            elif not all(map(occ.__contains__, cand.rest)):
                continue  # a word of the form is not in the text
            elif cand.contiguous:
                _contiguous(cand, occ, table, best)
            else:
                ends = readings.sentence_ends
                last = len(tokens) - 1
                for i in where:
                    indices = _place(cand.words, cand.gaps, 1, i, [i], occ, ends, last)
                    if indices is not None:
                        _keep(best, cand, indices,
                              tuple(table[j][w] for j, w in zip(indices, cand.words,
                                                                strict=True)))

    def _attached_matches(self, readings: TokenReadings, best: dict) -> None:
        index = self._clitic_index
        for i, clitics in readings.glued(self):
            cands = [c for clitic in dict.fromkeys(clitics) for c in index.get(clitic, ())]
            if cands:
                reading = _Reading("+".join(clitics), clitics, 0)
                for cand in cands:
                    _keep(best, cand, (i,), (reading,), glued=True)


def _detached_clitic(tokens: Sequence[Token], i: int) -> bool:
    """A clitic written as a token of its own (بـ 500) must stand before a word."""
    return i + 1 < len(tokens) and tokens[i + 1].kind in ("word", "number")


def _contiguous(cand: _Candidate, occ: dict[str, list[int]], table: list[dict[str, _Reading]],
                best: dict) -> None:
    """Matches of a form without gaps: its words on consecutive tokens. (A sentence end
    cannot come between two consecutive tokens.) Tried where its rarest word occurs."""
    words = cand.words
    size = len(words)
    anchor = min(range(size), key=lambda k: len(occ[words[k]]))
    stop = len(table) - size
    for at in occ[words[anchor]]:
        i = at - anchor
        if 0 <= i <= stop:
            found = [table[i + k].get(word) for k, word in enumerate(words)]
            readings = [r for r in found if r is not None]
            if len(readings) == size:
                _keep(best, cand, tuple(range(i, i + size)), tuple(readings))


def _place(words: tuple[str, ...], gaps: tuple[int, ...], k: int, prev: int,
           indices: list[int], occ: dict[str, list[int]], ends: list[int], last: int
           ) -> tuple[int, ...] | None:
    """Place words[k:] after token `prev`, nearest first, backtracking; None if they don't
    fit. A word may stand up to gaps[k - 1] tokens further and never past the end of a
    sentence (a sentence-ending token itself may be the word)."""
    if k == len(words):
        return tuple(indices)
    where = occ[words[k]]
    limit = min(prev + 1 + gaps[k - 1], last)
    stop = bisect_left(ends, prev + 1)  # the first sentence end after `prev`
    if stop < len(ends) and ends[stop] < limit:
        limit = ends[stop]
    for p in range(bisect_right(where, prev), len(where)):
        j = where[p]
        if j > limit:
            break
        indices.append(j)
        found = _place(words, gaps, k + 1, j, indices, occ, ends, last)
        if found is not None:
            return found
        indices.pop()
    return None


_RANK = itemgetter(0)  # of a `_Held`


def _keep(best: dict, cand: _Candidate, indices: tuple[int, ...],
          readings: tuple[_Reading, ...], glued: bool = False) -> None:
    """Record a match unless the same entry already matched these tokens better.

    Among readings of one entry on the same tokens, prefer the one that exposes more
    one-letter clitics (they are cues: ل، ب، سـ), then the one closest to the text
    (fewest letters taken off), then the earlier form. Ranks are unique (they hold the
    entry, the form and the span), so the order in which matches are found is free.
    """
    first, last = indices[0], indices[-1]
    if len(readings) == 1:
        reading = readings[0]
        clitics, taken = -len(reading.clitics), reading.rank
    else:
        clitics = -sum(len(r.clitics) for r in readings)
        taken = sum(r.rank for r in readings)
    rank = (first, first - last, -len(cand.words), cand.attached, cand.order,
            clitics, taken, cand.form_order, glued)
    slot = (cand.order, indices)
    held = best.get(slot)
    if held is None or rank < held[0]:
        best[slot] = (rank, cand, indices, readings)


def _lex_match(held: _Held, tokens: Sequence[Token]) -> LexMatch:
    _, cand, indices, readings = held
    first, last = indices[0], indices[-1]
    stripped = ((readings[0].stripped,) if len(readings) == 1
                else tuple(r.stripped for r in readings))
    return LexMatch(cand.entry, cand.form, first, last, tokens[first].start, tokens[last].end,
                    indices, stripped)


# --------------------------------------------------------------------------- per lexicon


@dataclass(frozen=True, slots=True)
class LexiconMatchers:
    """One matcher per lexicon section (see `matchers_for`)."""

    triggers: PhraseMatcher
    role_cues: PhraseMatcher
    status_cues: PhraseMatcher
    source_cues: PhraseMatcher
    qualifiers: PhraseMatcher
    anon_phrases: PhraseMatcher
    anon_heads: PhraseMatcher
    anon_modifiers: PhraseMatcher
    negation: PhraseMatcher
    denial: PhraseMatcher
    hedges: PhraseMatcher
    conditionals: PhraseMatcher
    generic: PhraseMatcher
    blockers: PhraseMatcher
    media_nouns: PhraseMatcher
    titles: PhraseMatcher
    object_words: PhraseMatcher  # entries are ObjectWords: match.entry.cls
    known: frozenset[str] = field(repr=False)  # every folded form word of the lexicon

    def readings(self, tokens: Sequence[Token]) -> TokenReadings:
        """The readings of a document's tokens, to share among the section matchers."""
        return self.triggers.readings(tokens)

    def find_longest_all(self, tokens: Sequence[Token], sections: Iterable[str] | None = None,
                         readings: TokenReadings | None = None) -> dict[str, list[LexMatch]]:
        """`find_longest` of every section (or of `sections`, in that order) over the same
        tokens, reading each token once for all of them."""
        if readings is None:
            readings = self.readings(tokens)
        names = SECTION_NAMES if sections is None else tuple(sections)
        return {name: getattr(self, name).find_longest(tokens, readings) for name in names}


SECTION_NAMES = tuple(f.name for f in fields(LexiconMatchers) if f.name != "known")


def _object_entries(lexicon: Lexicon) -> tuple[ObjectWords, ...]:
    return tuple(ObjectWords(f"{lexicon.language}.object.{cls}", cls, tuple(forms))
                 for cls, forms in lexicon.object_words.items())


def _sections(lexicon: Lexicon) -> dict[str, tuple[Any, ...]]:
    anon = lexicon.anonymity
    return {
        "triggers": lexicon.triggers, "role_cues": lexicon.role_cues,
        "status_cues": lexicon.status_cues, "source_cues": lexicon.source_cues,
        "qualifiers": anon.qualifiers, "anon_phrases": anon.phrases,
        "anon_heads": anon.heads, "anon_modifiers": anon.modifiers,
        "negation": lexicon.negation, "denial": lexicon.denial, "hedges": lexicon.hedges,
        "conditionals": lexicon.conditionals, "generic": lexicon.generic,
        "blockers": lexicon.blockers, "media_nouns": lexicon.media_nouns,
        "titles": lexicon.titles, "object_words": _object_entries(lexicon),
    }


def _known_words(sections: dict[str, tuple[Any, ...]]) -> frozenset[str]:
    words: set[str] = set()
    for entries in sections.values():
        for entry in entries:
            for form in (*entry.forms, *getattr(entry, "requires_any", ())):
                words.update(fold(w) for w in form.words)
    return frozenset(words)


# Keyed by id(); the lexicon is kept in the value so that its id is never reused while
# cached. (Lexicon has slots and no __weakref__, and hashing it walks every entry.)
_MATCHERS: dict[int, tuple[Lexicon, LexiconMatchers]] = {}
_MAX_CACHED = 8


def matchers_for(lexicon: Lexicon) -> LexiconMatchers:
    """The section matchers of a lexicon, built once per lexicon object."""
    held = _MATCHERS.get(id(lexicon))
    if held is not None and held[0] is lexicon:
        return held[1]
    sections = _sections(lexicon)
    known = _known_words(sections)
    built = {name: PhraseMatcher(entries, lexicon.morphology, known=known)
             for name, entries in sections.items()}
    assert set(built) == set(SECTION_NAMES)
    result = LexiconMatchers(**built, known=known)
    if len(_MATCHERS) >= _MAX_CACHED:
        _MATCHERS.pop(next(iter(_MATCHERS)))
    _MATCHERS[id(lexicon)] = (lexicon, result)
    return result


def attached_prefixes(token: Token, lexicon: Lexicon) -> tuple[str, ...]:
    """The one-letter clitics glued to a word, in order: وللحوثيين → ("و", "ل"),
    وسيبيع → ("و", "س"), كشفت → (). English words have none.

    A word the lexicon knows is split so as to leave a lexicon word; any other word is
    split as the tokenizer split it (names are protected there), and never gets سـ.
    """
    return _clitics_of(token, _analyzer(lexicon.morphology), matchers_for(lexicon).known)
