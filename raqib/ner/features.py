"""Features of a token in its sentence, for the statistical name tagger.

Arabic has no capital letters, so a name is told by what it is made of and what stands
around it: the word itself and its clitic-free stem (so "وبغداد" and "بغداد" share
evidence), its first and last letters (nisba adjectives end in ي / يه / يون, many
foreign names in -ف / -وف / -سكي, organisation words begin with ال), and the words
before and after it ("الرئيس", "في", "وزير", "شركة"). Everything is computed on folded
text (raqib.text.arabic.fold), the same way at training and at tagging time.

Features are plain strings ("w=بغداد"): the model file stores weights by string, so a
model stays readable and independent of any feature numbering.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from raqib.text.arabic import fold
from raqib.text.tokens import split_clitics

__all__ = ["is_lexical", "token_features", "word_features"]

ARTICLE = "ال"
_BOUNDARY = "<s>"
_LEXICAL = ("w=", "s=", "a=", "w-1w=", "ww+1=", "s-1s=")


def is_lexical(feature: str) -> bool:
    """Features naming the word itself: training hides them at random, so that the model
    also learns what unknown words look like (their letters, their neighbours)."""
    return feature.startswith(_LEXICAL)


class _Word(NamedTuple):
    """What the features of a word and of its neighbours need, computed once per form."""

    norm: str  # folded word
    stem: str  # clitic-free stem (article kept)
    bare: str  # stem without the article
    kind: str  # a coarse class of the word for its neighbours (see _kind)
    own: tuple[str, ...]  # the word's own features


def _shape(norm: str) -> str:
    """A coarse class of the word: Arabic, Latin (with case), digits, or punctuation."""
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


def _own_features(word: str, norm: str, stem: str, prefix: str, suffix: str) -> list[str]:
    bare = stem[len(ARTICLE):] if stem.startswith(ARTICLE) and len(stem) > 3 else stem
    feats = [
        "b", "w=" + norm, "s=" + stem, "sh=" + _shape(norm), "len=" + str(min(len(bare), 9)),
    ]
    if bare != stem:
        feats += ["art", "a=" + bare]
    if prefix:
        feats.append("p=" + prefix)
    if suffix:
        feats.append("e=" + suffix)
    for n in (1, 2, 3, 4):
        if len(bare) > n:
            feats += [f"p{n}=" + bare[:n], f"x{n}=" + bare[-n:]]
    if _shape(norm) == "ar":
        padded = "^" + bare + "$"
        feats += dict.fromkeys("g=" + padded[i:i + 3] for i in range(1, len(padded) - 3))
    if word != norm and word.isalpha() and word[:1].isupper():
        feats.append("cap")  # Latin script inside Arabic text: capitals still mean something
    return feats


@lru_cache(maxsize=1 << 17)
def word_features(word: str) -> _Word:
    """Fold and analyse one written word (cached: a corpus repeats its words)."""
    norm = fold(word)
    prefix, stem, suffix = split_clitics(norm, raw=word)
    bare = stem[len(ARTICLE):] if stem.startswith(ARTICLE) and len(stem) > 3 else stem
    own = tuple(_own_features(word, norm, stem, prefix, suffix))
    return _Word(norm, stem, bare, _kind(norm, stem), own)


def _kind(norm: str, stem: str) -> str:
    """Nisba adjective with the article ("الفنلندي"), other article word, plain, other."""
    shape = _shape(norm)
    if shape != "ar":
        return shape
    if stem.startswith(ARTICLE):
        return "nisba" if stem.endswith("ي") and len(stem) > 4 else "def"
    return "ar"


_EDGE = _Word(_BOUNDARY, _BOUNDARY, _BOUNDARY, _BOUNDARY, ())


def token_features(words: list[str]) -> list[list[str]]:
    """The features of every word of a sentence, given as written (one list per word)."""
    info = [word_features(w) for w in words]
    padded = [_EDGE, _EDGE, *info, _EDGE, _EDGE]
    out = []
    for i, me in enumerate(info, start=2):
        prev2, prev, nxt, nxt2 = padded[i - 2], padded[i - 1], padded[i + 1], padded[i + 2]
        feats = list(me.own)
        feats += [
            "w-1=" + prev.norm, "w+1=" + nxt.norm, "w-2=" + prev2.norm, "w+2=" + nxt2.norm,
            "s-1=" + prev.stem, "s+1=" + nxt.stem,
            "x2-1=" + prev.bare[-2:], "x2+1=" + nxt.bare[-2:],
            "w-1w=" + prev.norm + "|" + me.norm, "ww+1=" + me.norm + "|" + nxt.norm,
            "s-1s=" + prev.stem + "|" + me.bare,
            "x1-1=" + prev.bare[-1:], "x1+1=" + nxt.bare[-1:],
            "k-1=" + prev.kind, "k+1=" + nxt.kind, "k-1k+1=" + prev.kind + nxt.kind,
            "w-2w-1=" + prev2.norm + "|" + prev.norm,
        ]
        out.append(feats)
    return out
