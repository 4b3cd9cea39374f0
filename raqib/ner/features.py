"""Features of a token in its sentence and document, for the statistical name tagger.

Arabic has no capital letters, so a name is told by what it is made of, what stands
around it, and what is known about the word:

- its letters: first and last letters of the stem without clitics and article (nisba
  adjectives end in ي, many foreign names in -ف / -وف / -سكي), letter trigrams, length,
  whether it carries the article or a proclitic;
- its neighbours: the words before and after it ("الرئيس", "في", "وزير", "شركة"),
  whether they are nisba adjectives ("الفنلندي كيمي ريكونن");
- the training data's counts (`WordStats`): how often the word was seen and how often as
  a person, place, organisation. The word's identity is deliberately *not* a feature: a
  perceptron memorises identities of training words and then learns nothing about words
  it has never seen; the counts (taken leave-one-out in training) teach it how far
  "seen twice, both times as a person" can be trusted;
- the document (`document_features`): what a first pass of the tagger made of the same
  word elsewhere in the text, so that "الاعرجي" is a person in every sentence once one
  sentence makes it clear.

Everything is computed on folded text (raqib.text.arabic.fold), the same way at
training and at tagging time. Features are plain strings ("x2=وف"): the model file
stores weights by string, so a model stays readable.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import NamedTuple

from raqib.text.arabic import fold
from raqib.text.tokens import split_clitics

__all__ = [
    "LABELS", "WordStats", "count_words", "document_features", "token_features",
    "word_features",
]

LABELS = ("PERS", "LOC", "ORG", "MISC")
ARTICLE = "ال"
_BOUNDARY = "<s>"


class _Word(NamedTuple):
    """What the features of a word and of its neighbours need, computed once per form."""

    norm: str  # folded word
    stem: str  # clitic-free stem (article kept)
    bare: str  # stem without the article
    kind: str  # a coarse class of the word for its neighbours (see _kind)
    own: tuple[str, ...]  # the word's own features


def _shape(norm: str) -> str:
    """A coarse class of the word: Arabic, Latin, digits, or punctuation."""
    if not norm:
        return "empty"
    first = norm[0]
    if "\u0621" <= first <= "\u06ff":
        return "ar"
    if first.isdigit():
        return "num" if all(c.isdigit() or c in ".,%" for c in norm) else "alnum"
    if first.isalpha():
        return "lat"
    return "punct"


def _kind(norm: str, stem: str) -> str:
    """Nisba adjective with the article ("الفنلندي"), other word with the article, other."""
    shape = _shape(norm)
    if shape != "ar":
        return shape
    if stem.startswith(ARTICLE):
        return "nisba" if stem.endswith("ي") and len(stem) > 4 else "def"
    return "ar"


def _own_features(word: str, norm: str, bare: str, prefix: str, suffix: str) -> list[str]:
    shape = _shape(norm)
    feats = ["b", "sh=" + shape, "len=" + str(min(len(bare), 9))]
    if bare != norm[len(prefix.replace("+", "")):]:
        feats.append("art")
    if prefix:
        feats.append("p=" + prefix)
    if suffix:
        feats.append("e=" + suffix)
    for n in (1, 2, 3, 4):
        if len(bare) > n:
            feats += [f"p{n}=" + bare[:n], f"x{n}=" + bare[-n:]]
    if shape == "ar":
        padded = "^" + bare + "$"
        feats += dict.fromkeys("g=" + padded[i:i + 3] for i in range(1, len(padded) - 3))
    elif shape in ("punct", "num"):
        feats.append("w=" + norm)  # punctuation and numbers are a closed class
    if shape == "lat" and word[:1].isupper():
        feats.append("cap")  # Latin script inside Arabic text: capitals still mean something
    return feats


@lru_cache(maxsize=1 << 17)
def word_features(word: str) -> _Word:
    """Fold and analyse one written word (cached: a corpus repeats its words)."""
    norm = fold(word)
    prefix, stem, suffix = split_clitics(norm, raw=word)
    bare = stem[len(ARTICLE):] if stem.startswith(ARTICLE) and len(stem) > 3 else stem
    own = tuple(_own_features(word, norm, bare, prefix, suffix))
    return _Word(norm, stem, bare, _kind(norm, stem), own)


_EDGE = _Word(_BOUNDARY, _BOUNDARY, _BOUNDARY, _BOUNDARY, ())


def _context_features(info: list[_Word]) -> list[list[str]]:
    padded = [_EDGE, _EDGE, *info, _EDGE, _EDGE]
    out = []
    for i, me in enumerate(info, start=2):
        prev2, prev, nxt, nxt2 = padded[i - 2], padded[i - 1], padded[i + 1], padded[i + 2]
        out.append([
            *me.own,
            "w-1=" + prev.norm, "w+1=" + nxt.norm, "w-2=" + prev2.norm, "w+2=" + nxt2.norm,
            "s-1=" + prev.stem, "s+1=" + nxt.stem, "w-2w-1=" + prev2.norm + "|" + prev.norm,
            "x2-1=" + prev.bare[-2:], "x2+1=" + nxt.bare[-2:],
            "x1-1=" + prev.bare[-1:], "x1+1=" + nxt.bare[-1:],
            "k-1=" + prev.kind, "k+1=" + nxt.kind, "k-1k+1=" + prev.kind + nxt.kind,
        ])
    return out


# ---------------------------------------------------------------------------
# What the training data says about a word: how often it was seen, and as what
# ---------------------------------------------------------------------------


class WordStats(NamedTuple):
    """Training counts by folded word and by stem: (occurrences, PERS, LOC, ORG, MISC)."""

    words: dict[str, tuple[int, ...]]
    stems: dict[str, tuple[int, ...]]


def count_words(sentences: list[tuple[list[str], list[str]]]) -> WordStats:
    """Count each word and stem of tagged sentences, and how often each label covered it."""
    words: dict[str, list[int]] = {}
    stems: dict[str, list[int]] = {}
    for sentence, tags in sentences:
        for word, tag in zip(sentence, tags, strict=True):
            info = word_features(word)
            for table, key in ((words, info.norm), (stems, info.stem)):
                row = table.setdefault(key, [0] * (1 + len(LABELS)))
                row[0] += 1
                if tag != "O":
                    row[1 + LABELS.index(tag[2:])] += 1
    return WordStats(
        {k: tuple(v) for k, v in words.items()}, {k: tuple(v) for k, v in stems.items()}
    )


def _bucket(n: int) -> str:
    return "0" if n <= 0 else "1" if n == 1 else "2" if n < 5 else "5" if n < 20 else "20"


def _ratio(part: int, whole: int) -> str:
    r = part / whole
    return "lo" if r <= 0.1 else "mid" if r <= 0.5 else "hi" if r < 1 else "all"


def _stat_features(name: str, row: tuple[int, ...] | None, own: str | None) -> list[str]:
    """How often a word was seen in training, and the share of each label among its uses.

    At training time `own` is the word's own gold tag, taken out of the counts (leave
    one out): the word then looks as it would to the model on unseen text, and the model
    learns how far to trust these counts instead of memorising them.
    """
    counts = list(row) if row else [0] * (1 + len(LABELS))
    if own is not None and row:
        counts[0] -= 1
        if own != "O":
            counts[1 + LABELS.index(own[2:])] -= 1
    total = counts[0]
    feats = [f"{name}f={_bucket(total)}"]
    if total <= 0:
        return feats
    named = [(label, n) for label, n in zip(LABELS, counts[1:], strict=True) if n]
    if not named:
        return [*feats, f"{name}O|{_bucket(total)}"]
    return feats + [f"{name}{label}={_ratio(n, total)}" for label, n in named]


def token_features(
    words: list[str], stats: WordStats | None = None, tags: list[str] | None = None
) -> list[list[str]]:
    """The features of every word of a sentence, given as written (one list per word).

    `stats` adds what the training data says about each word; `tags`, the sentence's gold
    tags, is given only when training (see `_stat_features`).
    """
    info = [word_features(w) for w in words]
    out = _context_features(info)
    if stats is None:
        return out
    owns: list[str | None] = list(tags) if tags is not None else [None] * len(words)
    rows = [_stat_features("L", stats.words.get(w.norm), own)
            for w, own in zip(info, owns, strict=True)]
    for i, (w, own) in enumerate(zip(info, owns, strict=True)):
        out[i] += rows[i]
        out[i] += _stat_features("LS", stats.stems.get(w.stem), own)
        out[i] += ["<" + f for f in rows[i - 1]] if i else ["<edge"]
        out[i] += [">" + f for f in rows[i + 1]] if i + 1 < len(rows) else [">edge"]
    return out


# ---------------------------------------------------------------------------
# The document: what a first pass made of the same word elsewhere
# ---------------------------------------------------------------------------


def document_features(
    sentences: list[list[str]], first_pass: list[list[str]], window: int
) -> list[list[list[str]]]:
    """Second-pass features of every token: the first pass's tags for it and its
    neighbours, and the tags the first pass gave the same stem elsewhere in the
    `window` sentences before and after (the token's own tag left out)."""
    stems = [[word_features(w).stem for w in s] for s in sentences]
    seen: list[dict[str, Counter[str]]] = []
    for keys, tags in zip(stems, first_pass, strict=True):
        found: dict[str, Counter[str]] = {}
        for key, tag in zip(keys, tags, strict=True):
            if tag != "O":
                found.setdefault(key, Counter())[tag] += 1
        seen.append(found)
    out = []
    for j, (keys, tags) in enumerate(zip(stems, first_pass, strict=True)):
        near: dict[str, Counter[str]] = {}
        for found in seen[max(0, j - window): j + window + 1]:
            for key, counter in found.items():
                near.setdefault(key, Counter()).update(counter)
        out.append([_pass_features(near, keys, tags, i) for i in range(len(keys))])
    return out


def _pass_features(near: dict[str, Counter[str]], keys: list[str], tags: list[str],
                   i: int) -> list[str]:
    feats = ["t=" + tags[i],
             "t-1=" + (tags[i - 1] if i else _BOUNDARY),
             "t+1=" + (tags[i + 1] if i + 1 < len(tags) else _BOUNDARY)]
    counter = Counter(near.get(keys[i], ()))
    if tags[i] != "O":
        counter[tags[i]] -= 1
    labels = {tag[2:] for tag, n in counter.items() if n > 0}
    feats += ["d=" + label for label in sorted(labels)]
    if tags[i] == "O" and labels:
        feats += ["dO=" + label for label in sorted(labels)]
    return feats
