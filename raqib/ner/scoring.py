"""Emission scores for tagging, summed from per-word parts instead of per-token strings.

A token's score for each tag is the sum of the weights of its features
(`raqib.ner.perceptron.emissions` over `raqib.ner.features.token_features`). Almost every
feature depends on one word only: the token's own word ("p2=ال", "Lf=5"), or the word
before it ("w-1=في", "<LPERS=hi"), after it, two before or two after. The sum therefore
splits into a few parts, each a function of one word, which a document repeats and this
class remembers: tagging then adds seven short rows per token instead of building and
looking up about fifty feature strings. Two features join two words ("w-2w-1=", "k-1k+1=")
and are looked up as they are.

The result equals `emissions(token_features(words, stats), weights)` exactly: the stored
weights are integers, so the order of the additions does not matter (the tests compare
both ways on real sentences). Training keeps the plain path, which is simpler to follow.
"""

from __future__ import annotations

from raqib.ner.features import _EDGE, WordStats, _stat_features, _Word, word_features

__all__ = ["StageScorer"]

Row = list[float]
# Words remembered per part before the caches start again: a long-running process meets
# an open vocabulary. A row costs about 150 bytes and there are five parts per stage, so
# the two stages hold at most ~75 MB; a news vocabulary's frequent words refill quickly.
CACHE_LIMIT = 50_000


class StageScorer:
    """Scores tokens with one stage's weights; caches grow with the words it meets."""

    def __init__(self, weights: dict[str, list[float]], width: int,
                 stats: WordStats | None) -> None:
        self.weights = weights
        self.width = width
        self.stats = stats
        self._zero: Row = [0] * width
        # word as written (None: the sentence edge) -> its part of a neighbour's score
        self._own: dict[str, Row] = {}
        self._before: dict[str | None, Row] = {}  # the word just before the token
        self._after: dict[str | None, Row] = {}
        self._before2: dict[str | None, Row] = {}  # two words before
        self._after2: dict[str | None, Row] = {}

    def sentence(self, words: list[str], extra: list[list[str]] | None = None) -> list[Row]:
        """Per-token tag scores of a sentence given as written words; `extra` adds each
        token's further features (the second stage's document features)."""
        if len(self._own) > CACHE_LIMIT:
            for cache in (self._own, self._before, self._after, self._before2, self._after2):
                cache.clear()
        info: list[_Word] = [word_features(w) for w in words]
        keys: list[str | None] = [None, None, *words, None, None]
        padded = [_EDGE, _EDGE, *info, _EDGE, _EDGE]
        get = self.weights.get
        out: list[Row] = []
        for i, word in enumerate(words):
            k = i + 2
            prev2, prev, nxt = padded[k - 2], padded[k - 1], padded[k + 1]
            rows = [
                self._own_row(word, info[i]),
                self._part(self._before, keys[k - 1], prev, "-1", "<"),
                self._part(self._after, keys[k + 1], nxt, "+1", ">"),
                self._far(self._before2, keys[k - 2], padded[k - 2], "w-2="),
                self._far(self._after2, keys[k + 2], padded[k + 2], "w+2="),
            ]
            joined = ["w-2w-1=" + prev2.norm + "|" + prev.norm,
                      "k-1k+1=" + prev.kind + nxt.kind, *(extra[i] if extra else ())]
            rows += filter(None, map(get, joined))
            out.append(list(map(sum, zip(*rows, strict=True))))
        return out

    # -- the parts ---------------------------------------------------------------------
    def _sum(self, features: list[str] | tuple[str, ...]) -> Row:
        rows = list(filter(None, map(self.weights.get, features)))
        return list(map(sum, zip(*rows, strict=True))) if rows else self._zero

    @staticmethod
    def _stat_row(stats: WordStats, info: _Word) -> list[str]:
        """The training counts of the word, as `token_features` states them ("L...")."""
        return _stat_features("L", stats.words.get(info.norm), None)

    def _own_row(self, word: str, info: _Word) -> Row:
        try:
            return self._own[word]
        except KeyError:
            features = list(info.own)
            if self.stats is not None:
                features += self._stat_row(self.stats, info)
                features += _stat_features("LS", self.stats.stems.get(info.stem), None)
            row = self._own[word] = self._sum(features)
            return row

    def _part(self, cache: dict[str | None, Row], key: str | None, info: _Word,
              side: str, mark: str) -> Row:
        """The features a token takes from its neighbour on `side` ("-1" or "+1")."""
        try:
            return cache[key]
        except KeyError:
            features = [f"w{side}=" + info.norm, f"s{side}=" + info.stem,
                        f"x2{side}=" + info.bare[-2:], f"x1{side}=" + info.bare[-1:],
                        f"k{side}=" + info.kind]
            if self.stats is not None:
                stats = self._stat_row(self.stats, info) if key is not None else ["edge"]
                features += [mark + f for f in stats]
            row = cache[key] = self._sum(features)
            return row

    def _far(self, cache: dict[str | None, Row], key: str | None, info: _Word,
             prefix: str) -> Row:
        """The one feature a token takes from the word two places away."""
        try:
            return cache[key]
        except KeyError:
            row = cache[key] = self._sum([prefix + info.norm])
            return row

