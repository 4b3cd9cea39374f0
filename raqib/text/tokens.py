"""Tokens with offsets into the original text, Arabic clitics split off, light stems.

Arabic writes conjunctions, prepositions and pronouns attached to the word: "وبحسب" is
و + ب + حسب, "للحوثيين" is ل + الحوثيين, "اعتقاله" is اعتقال + ه. A lexicon or a
gazetteer lists the bare forms, so each token carries its folded form (`norm`), the
form without clitics (`stem`) and where that stem lies in the original text.

Splitting is deliberately cautious, since a wrong split breaks a name ("بوتين" is not
ب + وتين): stems must keep a minimum length, words listed as protected in
`data/clitics.yaml` stay whole, and a caller may pass `known` (e.g. a gazetteer test)
to keep words it knows. Rules live in `data/clitics.yaml` and `data/stems.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cache, lru_cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from raqib.text.arabic import fold, normalize

__all__ = ["Token", "split_clitics", "stem_variants", "tokenize"]

Known = Callable[[str], bool]

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u08ca-\u08e1\u08e3-\u08ff\u0640\u200c\u200d"
_AR_LETTERS = (
    "\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufd3d\ufd50-\ufdfb\ufe70-\ufefc"
)
_INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u061c\u00ad"
_TOKEN_RE = re.compile(
    rf"(?P<word>[{_AR_LETTERS}][{_AR_LETTERS}{_MARKS}]*)"
    r"|(?P<number>\d+(?:[.,\u066b\u066c]\d+)*)"
    # Other scripts: a letter, then letters, digits and Latin combining accents, with
    # inner apostrophes ("O'Brien", "Lebanon's").
    rf"|(?P<latin>[^\W\d_{_AR_LETTERS}{_MARKS}][^\W_{_AR_LETTERS}{_MARKS}\u0300-\u036f]*"
    rf"(?:['’][^\W\d_{_AR_LETTERS}{_MARKS}]+)*)"
    r"|(?P<punct>\.{2,}|[^\s" + _INVISIBLE + _MARKS + "])"
)
_RAW_LAST_LETTER = re.compile(rf"([{_AR_LETTERS}])[{_MARKS}]*$")


@dataclass(frozen=True, slots=True)
class Token:
    """A token of the original text.

    `start`/`end` and `stem_start`/`stem_end` are offsets into the original text; `norm`,
    `stem`, `prefix` and `suffix` are folded. Proclitics in `prefix` are joined by "+"
    ("و+ب"). The definite article stays in the stem ("للحوثيين" → prefix "ل", stem
    "الحوثيين"), so the stem's text may be longer than its original span.
    """

    text: str
    start: int
    end: int
    norm: str
    stem: str
    prefix: str = ""
    suffix: str = ""
    stem_start: int = field(kw_only=True)
    stem_end: int = field(kw_only=True)
    kind: str = field(default="word", kw_only=True)  # "word", "number" or "punct"


# ---------------------------------------------------------------------------
# Rules from data/clitics.yaml
# ---------------------------------------------------------------------------


class _Proclitic(NamedTuple):
    form: str  # folded beginning of the word
    prefix: str  # clitics split off, "+"-joined
    restore: str  # put back in front of the stem
    skip: int  # folded characters of the word that belong to the prefix


class _Clitics(NamedTuple):
    proclitics: tuple[_Proclitic, ...]
    enclitics: tuple[str, ...]
    heh: str
    min_before_heh: int
    min_stem: int
    min_after_article: int
    latin_enclitics: tuple[str, ...]
    protected: frozenset[str]


def _load_yaml(name: str) -> Any:
    text = resources.files("raqib.text").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _skip(form: str, restore: str) -> int:
    """How much of `form` is clitic: the end it shares with `restore` is the stem's."""
    shared = 0
    while shared < min(len(form), len(restore)) and form[-1 - shared] == restore[-1 - shared]:
        shared += 1
    return len(form) - shared


@cache
def _clitics() -> _Clitics:
    data = _load_yaml("clitics.yaml")
    procs = []
    for item in data["proclitics"]:
        form, restore = fold(item["form"]), fold(item.get("restore", ""))
        procs.append(_Proclitic(form, fold(item["prefix"]), restore, _skip(form, restore)))
    return _Clitics(
        proclitics=tuple(sorted(procs, key=lambda p: -len(p.form))),
        enclitics=tuple(sorted((fold(e) for e in data["enclitics"]), key=len, reverse=True)),
        heh=fold(data["heh_enclitic"]),
        min_before_heh=int(data["min_stem_before_heh"]),
        min_stem=int(data["min_stem"]),
        min_after_article=int(data["min_stem_after_article"]),
        latin_enclitics=tuple(fold(e) for e in data["latin_enclitics"]),
        protected=frozenset(fold(w) for w in data["protected"]),
    )


# ---------------------------------------------------------------------------
# Clitic splitting
# ---------------------------------------------------------------------------

ARTICLE = "ال"


class _Analysis(NamedTuple):
    prefix: str
    stem: str
    suffix: str
    skip: int  # folded characters of the word before the stem
    stripped: int  # how much was taken off: the tie-breaker between analyses


def _stem_ok(stem: str, rules: _Clitics) -> bool:
    if stem.startswith(ARTICLE):
        return len(stem) - len(ARTICLE) >= rules.min_after_article
    return len(stem) >= rules.min_stem


def _with_enclitic(a: _Analysis, rules: _Clitics, heh_ok: bool) -> _Analysis | None:
    """`a` with an attached pronoun split off its stem, if one fits."""
    if a.stem.startswith(ARTICLE):  # the article and a pronoun never go together
        return None
    endings = [(e, rules.min_stem) for e in rules.enclitics]
    if heh_ok:
        endings.append((rules.heh, rules.min_before_heh))
    for ending, minimum in endings:
        rest = a.stem[: -len(ending)]
        if a.stem.endswith(ending) and len(rest) >= minimum:
            return a._replace(stem=rest, suffix=ending, stripped=a.stripped + len(ending))
    return None


def _analyses(word: str, rules: _Clitics, heh_ok: bool) -> list[_Analysis]:
    found = [_Analysis("", word, "", 0, 0)]
    for p in rules.proclitics:
        stem = p.restore + word[len(p.form):]
        if word.startswith(p.form) and _stem_ok(stem, rules):
            found.append(_Analysis(p.prefix, stem, "", p.skip, len(p.form)))
    found += [e for a in list(found) if (e := _with_enclitic(a, rules, heh_ok))]
    return found


def _split(word: str, known: Known | None, raw: str | None) -> _Analysis:
    rules = _clitics()
    whole = _Analysis("", word, "", 0, 0)
    if not word:
        return whole
    if not "\u0621" <= word[0] <= "\u06ff":  # not Arabic: only the English possessive
        for ending in rules.latin_enclitics:
            if word.endswith(ending) and len(word) > len(ending):
                return _Analysis("", word[: -len(ending)], ending, 0, len(ending))
        return whole
    if word in rules.protected or (known is not None and known(word)):
        return whole
    heh_ok = raw is not None and _raw_ends_in_heh(raw, rules.heh)
    options = _analyses(word, rules, heh_ok)
    trusted = [
        a for a in options
        if a.stem in rules.protected or (known is not None and a.stripped and known(a.stem))
    ]
    if trusted:  # a split that leaves a known word: take the one that strips least
        return min(trusted, key=lambda a: a.stripped)
    return max(options, key=lambda a: a.stripped)


def _raw_ends_in_heh(raw: str, heh: str) -> bool:
    """True when the original spelling ends in the letter ه (not ة, which folds to ه)."""
    m = _RAW_LAST_LETTER.search(raw)
    return m is not None and m.group(1) == heh


def split_clitics(
    word_norm: str, *, known: Known | None = None, raw: str | None = None
) -> tuple[str, str, str]:
    """Split a folded word into (proclitics, stem, enclitic), e.g. "وبحسب" → ("و+ب", "حسب", "").

    The article stays with the stem ("للحوثيين" → ("ل", "الحوثيين", "")). `known(form)`
    says a form is a known word or name: a known whole word is not split, and a split
    leaving a known stem is preferred. `raw` is the word as written: only then can the
    pronoun ه be told from a folded ة and split ("اعتقاله" → ("", "اعتقال", "ه")).
    English possessives split too: "lebanon's" → ("", "lebanon", "'s").
    """
    a = _split(word_norm, known, raw)
    return a.prefix, a.stem, a.suffix


# ---------------------------------------------------------------------------
# Light stemming (data/stems.yaml)
# ---------------------------------------------------------------------------


class _Stemming(NamedTuple):
    patterns: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]
    depth: int
    min_length: int
    max_variants: int


@cache
def _stemming() -> _Stemming:
    data = _load_yaml("stems.yaml")
    patterns = tuple(
        (re.compile(fold(p["match"])), tuple(fold(t) for t in p["to"])) for p in data["patterns"]
    )
    return _Stemming(
        patterns, int(data["depth"]), int(data["min_length"]), int(data["max_variants"])
    )


@lru_cache(maxsize=65536)
def _variants(word_norm: str) -> tuple[str, ...]:
    rules, stemming = _clitics(), _stemming()
    stem = _split(word_norm, None, None).stem
    out = dict.fromkeys(w for w in (word_norm, stem) if w)
    if stem in rules.protected or word_norm in rules.protected or not stem:
        return tuple(out)
    bare = stem[len(ARTICLE):] if stem.startswith(ARTICLE) else stem
    if len(bare) >= stemming.min_length:
        out[bare] = None
    # The unsplit word too: the clitic split may be wrong ("كشفت" is no ك + شفت).
    layer = list(dict.fromkeys((bare, word_norm)))
    for _ in range(stemming.depth):
        layer = [v for w in layer for v in _apply_patterns(w, stemming)]
        for v in layer:
            out.setdefault(v, None)
        if len(out) >= stemming.max_variants:
            break
    return tuple(out)[: stemming.max_variants]


def _apply_patterns(word: str, stemming: _Stemming) -> list[str]:
    found = []
    for pattern, templates in stemming.patterns:
        m = pattern.fullmatch(word)
        if m:
            found += [v for t in templates if len(v := m.expand(t)) >= stemming.min_length]
    return found


def stem_variants(word_norm: str) -> list[str]:
    """Candidate stems of a folded word, most likely first, for lexicon lookups.

    The word itself, its clitic-free stem, the stem without the article, then what the
    light-stemming patterns of `data/stems.yaml` give ("وسيحاولون" → ..., "يحاول",
    "حاول"). Meant for trigger words, not names: protected words get no pattern stems.
    """
    return list(_variants(word_norm))


# ---------------------------------------------------------------------------
# Tokenisation
# ---------------------------------------------------------------------------


class _Parts(NamedTuple):
    norm: str
    prefix: str
    stem: str
    suffix: str
    stem_start: int  # relative to the token's start
    stem_end: int


def _parts(text: str, kind: str, known: Known | None) -> _Parts:
    norm = fold(text)
    if kind not in ("word", "latin"):
        return _Parts(norm, "", norm, "", 0, len(text))
    a = _split(norm, known, text)
    if not a.prefix and not a.suffix:
        return _Parts(norm, "", a.stem, "", 0, len(text))
    n = normalize(text)
    start, end = n.to_original(a.skip, len(norm) - len(a.suffix))
    return _Parts(norm, a.prefix, a.stem, a.suffix, start, end)


_cached_parts = lru_cache(maxsize=1 << 17)(_parts)

# A frozen dataclass's __init__ sets each field through object.__setattr__, which makes
# building a Token three times slower than filling its slots directly. tokenize() builds
# hundreds of thousands of them, so it fills the slots itself, in field order.
# (tests/text/test_tokens.py checks that this gives the same Token as Token(...).)
_SLOT_SETTERS = tuple(getattr(Token, f.name).__set__ for f in fields(Token))


def _new_token(
    text: str, start: int, end: int, norm: str, stem: str, prefix: str, suffix: str,
    stem_start: int, stem_end: int, kind: str,
    _new: Callable[[type], Any] = object.__new__, _set: tuple = _SLOT_SETTERS,
) -> Token:
    token = _new(Token)
    _set[0](token, text), _set[1](token, start), _set[2](token, end), _set[3](token, norm)
    _set[4](token, stem), _set[5](token, prefix), _set[6](token, suffix)
    _set[7](token, stem_start), _set[8](token, stem_end), _set[9](token, kind)
    return token


_KINDS = {"word": "word", "latin": "word", "number": "number", "punct": "punct"}


def tokenize(text: str, *, known: Known | None = None) -> list[Token]:
    """Split `text` into word, number and punctuation tokens with original offsets.

    Numbers keep their separators ("1,000.5", "١٬٠٠٠" is one token). Invisible
    controls and stray diacritics are not tokens. See `split_clitics` for `known`.
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize() expects str, not {type(text).__name__}")
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        kind, piece, start = m.lastgroup or "punct", m.group(), m.start()
        p = _cached_parts(piece, kind, None) if known is None else _parts(piece, kind, known)
        tokens.append(_new_token(
            piece, start, m.end(), p.norm, p.stem, p.prefix, p.suffix,
            start + p.stem_start, start + p.stem_end, _KINDS[kind],
        ))
    return tokens
