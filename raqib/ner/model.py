"""Load the trained name tagger and find person, organisation and location names with it.

The model proposes names that the rules and the knowledge base miss; it knows nothing of
either, so its scores are its own. Labels are ANERcorp's: PERS, LOC, ORG, MISC.

Offsets: `find_names` tokenises with raqib.text.tokens.tokenize, so every span is a
slice of the text it was given. ANERcorp tags whole written words, clitics included
("وعباس" is B-PERS); a span here starts after a proclitic of its first word when that
is safe — the stem carries the article ("والعراق" → "العراق"), or the training data saw
the bare stem as a name at least as often as the glued word ("وعباس" → "عباس"; see
`NerModel._name_start`). A span that joins two names with "و" is split ("شافيز
ولوكاشنكو"), and common words and future verbs at a span's edges are trimmed off, a
span ending in a function word dropped ("النيل من", a verbal phrase): see `_trimmed`.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from raqib.ner.features import LABELS, WordStats, document_features
from raqib.ner.perceptron import TAGS, allowed_previous, viterbi
from raqib.ner.scoring import StageScorer
from raqib.text.arabic import fold
from raqib.text.tokens import Token, stem_variants, tokenize

__all__ = [
    "FORMAT",
    "MODEL_FILE",
    "NameSpan",
    "NerError",
    "NerModel",
    "Stage",
    "bio_spans",
    "find_names",
    "load_model",
    "sentence_slices",
]

FORMAT = "raqib-ner-perceptron/1"
MODEL_FILE = "anercorp-perceptron.json.gz"
SENTENCE_ENDS = frozenset({".", "!", "?", "·", "…"})
# The first letter of a word and the marks written on it ("وَ"): where a name starts
# when only the conjunction و is cut off.
# A word seen this often in training and never inside a name is a common word; a word
# seen this often and inside a name at most this share of the time is a function word.
COMMON_MIN_SEEN = 3
FUNCTION_MIN_SEEN = 50
FUNCTION_MAX_NAMED_SHARE = 0.002
_AFTER_FIRST_LETTER = re.compile("[^\u064b-\u065f\u0670\u0640][\u064b-\u065f\u0670\u0640]*")


class NerError(ValueError):
    """Bad input to the tagger, or a model file that cannot be read; one-line message."""


@dataclass(frozen=True, slots=True)
class NameSpan:
    """A name found by the model: `text == original[start:end]`, label PERS/LOC/ORG/MISC."""

    start: int
    end: int
    text: str
    label: str


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Token spans `(first, last + 1, label)` of a BIO sequence, read as conlleval does.

    An I-X that does not continue an X span starts one, so a sloppy sequence still
    yields every span it implies.
    """
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        kind, _, name = tag.partition("-")
        if label and (kind != "I" or name != label):
            spans.append((start, i, label))
            label = ""
        if kind == "B" or (kind == "I" and not label):
            start, label = i, name
    return spans


def sentence_slices(tokens: list[Token], text: str) -> list[tuple[int, int]]:
    """Token index ranges of sentences: cut after . ! ? and wherever a line ends."""
    out, begin = [], 0
    for i, tok in enumerate(tokens):
        last = i + 1 == len(tokens)
        ends = tok.kind == "punct" and tok.norm in SENTENCE_ENDS
        if last or ends or "\n" in text[tok.end:tokens[i + 1].start]:
            out.append((begin, i + 1))
            begin = i + 1
    return out


@dataclass(frozen=True, slots=True)
class Stage:
    """One pass of the tagger: scores by (feature, tag) and tag-to-tag transitions."""

    weights: dict[str, list[float]]
    transitions: list[list[float]]


class NerModel:
    """Two passes of an averaged perceptron: the second also sees the first's document.

    The first pass tags each sentence from its own words and the training counts; the
    second adds what the first made of the same words elsewhere in the document
    (within `window` sentences), which makes a name found once count everywhere.
    """

    def __init__(
        self,
        first: Stage,
        second: Stage | None = None,
        *,
        tags: tuple[str, ...] = TAGS,
        stats: WordStats | None = None,
        window: int = 10,
        name_words: frozenset[str] = frozenset(),
        meta: dict[str, Any] | None = None,
        scale: float = 1.0,
    ) -> None:
        for stage in (first, second):
            rows = stage.transitions if stage else [[0.0] * len(tags)] * (len(tags) + 1)
            if len(rows) != len(tags) + 1 or any(len(r) != len(tags) for r in rows):
                raise NerError(f"transitions must be {len(tags) + 1} rows of {len(tags)}")
        self.first, self.second = first, second
        self.tags = tags
        self.stats = stats
        self.window = window
        self.name_words = name_words
        self.meta = dict(meta or {})
        self.scale = scale  # weights are in units of 1/scale (a loaded file keeps integers)
        self._prev_ok = allowed_previous(tags)
        self._scorers = (StageScorer(first.weights, len(tags), stats),
                         None if second is None else StageScorer(second.weights, len(tags), stats))

    def _decode(self, stage: Stage, scores: list[list[float]]) -> list[str]:
        return [self.tags[k] for k in viterbi(scores, stage.transitions, self._prev_ok)]

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO tags for the sentences of one document, each a list of written words."""
        if not isinstance(sentences, list) or not all(
            isinstance(s, list) and all(isinstance(w, str) for w in s) for s in sentences
        ):
            raise NerError("NerModel.tag_sentences() expects a list of lists of str")
        # The scorers give what `emissions(token_features(...))` gives, faster (scoring.py).
        first, second = self._scorers
        tags = [self._decode(self.first, first.sentence(s)) for s in sentences]
        if self.second is None or second is None:
            return tags
        docs = document_features(sentences, tags, self.window)
        return [self._decode(self.second, second.sentence(s, d))
                for s, d in zip(sentences, docs, strict=True)]

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags for one sentence given as written words (one tag per word)."""
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise NerError("NerModel.tag() expects a list of str")
        return self.tag_sentences([tokens])[0]

    def find_names(self, text: str, tokens: list[Token] | None = None) -> list[NameSpan]:
        """Names in `text`, in order, as spans of `text`; `tokens`, when given, must be
        `tokenize(text)` (a caller that has them spares a second tokenisation)."""
        if not isinstance(text, str):
            raise NerError(f"find_names() expects str, not {type(text).__name__}")
        tokens = [t for t in (tokenize(text) if tokens is None else tokens)
                  if t.kind != "punct" or t.norm.strip()]
        slices = [tokens[a:b] for a, b in sentence_slices(tokens, text)]
        found = []
        for sentence, tags in zip(
            slices, self.tag_sentences([[t.text for t in s] for s in slices]), strict=True
        ):
            for first, last, label in bio_spans(tags):
                for a, b in self._split_at_and(sentence, first, last, label):
                    kept = self._trimmed(sentence, a, b)
                    if kept is None:
                        continue
                    start = self._name_start(sentence[kept[0]], label)
                    stop = sentence[kept[1] - 1].end
                    found.append(NameSpan(start, stop, text[start:stop], label))
        return found

    def _split_at_and(self, sentence: list[Token], first: int, last: int, label: str
                      ) -> list[tuple[int, int]]:
        """"شافيز ولوكاشنكو" tagged as one name is two: a word inside the span that
        starts with the conjunction و, where the bare word is the better-known name,
        begins a new one."""
        pieces, begin = [], first
        for i in range(first + 1, last):
            tok = sentence[i]
            if tok.prefix[:1] == "و" and self._name_start(tok, label) != tok.start:
                pieces.append((begin, i))
                begin = i
        pieces.append((begin, last))
        return pieces

    def _trimmed(self, sentence: list[Token], first: int, last: int
                 ) -> tuple[int, int] | None:
        """The proposal `sentence[first:last]` without the common words at its edges
        ("... لبحث", "ميركل سيلتقيان" → "ميركل"); None when nothing is left, or when an
        edge was a function word ("النيل من": the tagger read a verb phrase, "undermining",
        as a name, and what is left of it is no name either)."""
        while first < last and self._not_a_name_word(sentence[last - 1]):
            if self._function_word(sentence[last - 1].norm):
                return None
            last -= 1
        while first < last and self._not_a_name_word(sentence[first]):
            if self._function_word(sentence[first].norm):
                return None
            first += 1
        return (first, last) if first < last else None

    def _not_a_name_word(self, tok: Token) -> bool:
        return tok.kind == "word" and (self.is_common_word(tok.norm)
                                      or self._function_word(tok.norm)
                                      or self._future_verb(tok.norm))

    def is_common_word(self, norm: str) -> bool:
        """A folded word that training saw often and never inside a name ("قال",
        "لبحث", "التحقيق"): not a word of a name, whatever its context suggests."""
        row = self.stats.words.get(norm) if self.stats is not None else None
        return row is not None and row[0] >= COMMON_MIN_SEEN and _named(row) == 0

    def _function_word(self, norm: str) -> bool:
        """A very frequent word almost never inside a name ("من", "في", "أن")."""
        row = self.stats.words.get(norm) if self.stats is not None else None
        return row is not None and row[0] >= FUNCTION_MIN_SEEN and \
            _named(row) <= row[0] * FUNCTION_MAX_NAMED_SHARE

    def _future_verb(self, norm: str) -> bool:
        """سـ + a present verb that training knows, never as a name ("سيلتقيان" from
        "يلتقي"); names that start with سي/ست ("سيرغي", "ستيوارت") have no such stem."""
        if self.stats is None or len(norm) < 5 or norm[0] != "س" or norm[1] not in "يتن" \
                or _named(self.stats.words.get(norm)) > 0:
            return False
        return any(v[0] in "يتن" and self.is_common_word(v) for v in stem_variants(norm)[1:])

    def _name_start(self, tok: Token, label: str = "") -> int:
        """Where a name begins inside its first word: after a proclitic, if that is safe.

        Safe means: the stem carries the article ("والعراق"), or the training data saw
        the stem as a name at least as often as the whole word ("وأبو" → "أبو",
        "بطنجة" → "طنجة"), counting names of the span's `label` when one is given
        ("وايت", White, was a person more often than "ايت" was). ANERcorp tags whole
        written words, so a frequent glued form such as "وإيران" is itself a training
        name; what tells the clitic is that the bare "إيران" is the more frequent one.
        A name that begins with the letter ("وليد", "كوفي", "فارس") has a bare form
        seldom or never seen as a name, and keeps it; so does an unknown word (no
        evidence either way). With two clitics ("وبلير", "ولويس"), the "و" alone comes
        off when only the rest is the better-known name.
        """
        if not tok.prefix or tok.stem_start == tok.start:
            return tok.start
        stem_as_written = fold(tok.text[tok.stem_start - tok.start:tok.stem_end - tok.start])
        if stem_as_written != tok.stem:  # "للعراق": the stem's article is not written
            return tok.start
        if tok.stem.startswith("ال") or self._bare_is_the_name(tok.stem, tok.norm, label):
            return tok.stem_start
        if tok.prefix.startswith("و+") and self._bare_is_the_name(tok.norm[1:], tok.norm, label):
            after_waw = _AFTER_FIRST_LETTER.match(tok.text)
            return tok.start + (after_waw.end() if after_waw else 1)
        return tok.start

    def _bare_is_the_name(self, bare: str, whole: str, label: str = "") -> bool:
        """True when training saw `bare` as (part of) a name, and at least as often as
        `whole` (as a `label` name when given); without counts, when only `bare` is
        among the training name words."""
        if self.stats is None:
            return bare in self.name_words and whole not in self.name_words
        named_bare = _named(self.stats.words.get(bare), label)
        return named_bare > 0 and named_bare >= _named(self.stats.words.get(whole), label)

    # -- files -------------------------------------------------------------------------

    def save(self, path: Path, scale: float = 100.0) -> None:
        """Write the model as gzipped JSON, weights rounded to integers after × `scale`.

        The same model always gives the same bytes (sorted keys, no time or file name in
        the gzip header), so a retrained file shows up as changed only if it changed.
        """
        factor = scale / self.scale

        def q(row: list[float]) -> list[int]:
            return [round(x * factor) for x in row]

        def stage(s: Stage) -> dict[str, Any]:
            weights = {f: r for f, row in sorted(s.weights.items()) if any(r := q(row))}
            return {"weights": weights, "transitions": [q(r) for r in s.transitions]}

        data = {
            "format": FORMAT,
            "tags": list(self.tags),
            "scale": float(scale),
            "window": self.window,
            "stages": [stage(s) for s in (self.first, self.second) if s is not None],
            "stats": None if self.stats is None else self.stats._asdict(),
            "name_words": sorted(self.name_words),
            "meta": self.meta,
        }
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        with open(path, "wb") as fh, gzip.GzipFile(
            filename="", mode="wb", fileobj=fh, compresslevel=9, mtime=0
        ) as out:
            out.write(raw)

    @classmethod
    def from_file(cls, path: Path) -> NerModel:
        """Read a model written by `save`."""
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, EOFError, ValueError) as err:
            raise NerError(f"cannot read NER model {path}: {err}") from err
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise NerError(f"{path} is not a {FORMAT} model")
        try:
            stages = [_read_stage(s) for s in data["stages"]]
            if not 1 <= len(stages) <= 2:
                raise NerError(f"{path}: a model has one or two stages, not {len(stages)}")
            return cls(
                stages[0], stages[1] if len(stages) > 1 else None,
                tags=tuple(data["tags"]),
                stats=_read_stats(data.get("stats")),
                window=int(data["window"]),
                name_words=frozenset(data["name_words"]),
                meta=data.get("meta") or {},
                scale=float(data["scale"]),
            )
        except (KeyError, TypeError, AttributeError, ValueError) as err:
            if isinstance(err, NerError):
                raise
            raise NerError(f"malformed NER model {path}: {err!r}") from err


def _named(row: tuple[int, ...] | None, label: str = "") -> int:
    """How often training saw a word inside a name of `label` (any name when `label` is
    empty or unknown), from its count row (occurrences, then one count per label)."""
    if not row:
        return 0
    return row[1 + LABELS.index(label)] if label in LABELS else sum(row[1:])


def _read_stage(data: dict) -> Stage:
    # Stored weights are integers, kept as such: small ones are shared objects in CPython,
    # which keeps a loaded model at a fraction of the memory of floats.
    weights: dict[str, list[float]] = {
        str(f): [int(x) for x in row] for f, row in data["weights"].items()
    }
    return Stage(
        weights,
        [[float(x) for x in row] for row in data["transitions"]],
    )


def _read_stats(data: dict | None) -> WordStats | None:
    if data is None:
        return None
    return WordStats(
        {str(k): tuple(map(int, v)) for k, v in data["words"].items()},
        {str(k): tuple(map(int, v)) for k, v in data["stems"].items()},
    )


def model_path() -> Path:
    """Where the bundled model lives (it may be absent from a slim install)."""
    return Path(str(resources.files("raqib.ner").joinpath("data", MODEL_FILE)))


@cache
def load_model() -> NerModel | None:
    """The bundled model, loaded once; None when its data file is absent."""
    path = model_path()
    return NerModel.from_file(path) if path.is_file() else None


def find_names(text: str) -> list[NameSpan]:
    """Names the bundled model finds in `text`; [] when no model is installed."""
    model = load_model()
    if model is None:
        if not isinstance(text, str):
            raise NerError(f"find_names() expects str, not {type(text).__name__}")
        return []
    return model.find_names(text)
