"""Numbers, money, quantities, durations and ages in Arabic and English text.

Every finder searches the original text and returns spans into it, so that
`text[m.start:m.end] == m.text` always holds. Instead of normalising first, the patterns
themselves tolerate what Arabic writers vary: diacritics and tatweel between letters,
alef with or without hamza/madda, final ya/alef maqsura, final ta marbuta/ha, Arabic-Indic
and Persian digits with their own separators (٬ thousands, ٫ decimal).

Numbers are read in two steps: a tokenizer finds number tokens (digit groups, number words,
scales such as مليون/million, fractions, vague quantifiers such as عشرات/dozens), then
adjacent tokens are grouped into phrases by Arabic or English number grammar
("خمسة وعشرين", "ثلاثة آلاف", "twenty-four thousand", "1.5bn"). Vague phrases ("آلاف
القذائف", "millions of dollars") are skipped rather than guessed. Money, quantities and
durations are number phrases followed (or, for money, preceded) by a currency, a counted
noun or a unit of time; the word lists live in `data/*.yaml`.

Speed: the age and lone-noun duration patterns run only in windows around their anchors
(see "anchored scans" below, with the same results as a full scan), and the number phrases,
ages and anchor windows of the last few texts are cached, since the pipeline runs all the
finders on one text in turn. `compile_re` cuts the one-off cost of compiling the patterns.

The helpers `ar_pattern`, `fold_key`, `load_data`, the small-count/time-unit sources and
the anchored-scan tools are shared with `raqib.text.dates`.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "AgeMatch",
    "DurationMatch",
    "MoneyMatch",
    "NumberMatch",
    "QuantityMatch",
    "TextError",
    "find_ages",
    "find_durations",
    "find_money",
    "find_numbers",
    "find_quantities",
    "parse_number",
]


class TextError(ValueError):
    """Bad input to the text layer: text that is not a string, a malformed date."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class NumberMatch:
    text: str
    start: int
    end: int
    value: float | int


@dataclass(frozen=True)
class MoneyMatch:
    text: str
    start: int
    end: int
    amount: int | float
    currency: str  # ISO 4217


@dataclass(frozen=True)
class QuantityMatch:
    text: str
    start: int
    end: int
    amount: int | float
    unit: str  # English singular, e.g. "rifle"


@dataclass(frozen=True)
class DurationMatch:
    text: str
    start: int
    end: int
    value: dict  # {"years": 25}, {"months": 6}


@dataclass(frozen=True)
class AgeMatch:
    text: str
    start: int
    end: int
    years: int


# ------------------------------------------------------------------ Arabic-tolerant regex sources

#: Digits of every script the press uses: ASCII, Arabic-Indic, Extended (Persian).
DIGIT = "[0-9\u0660-\u0669\u06f0-\u06f9]"
#: Tatweel, harakat and Quranic annotation marks that may sit after any Arabic letter.
MARKS = "[\u0640\u064b-\u065f\u0670\u06d6-\u06ed]*"
#: Not inside a word (letters, marks, digits) on the left / on the right.
#: Word characters for the boundaries: letters and digits (\w) plus Arabic marks and tatweel.
_WORD_CHARS = "\\w\u0640\u064b-\u065f\u0670"
LB = rf"(?<![{_WORD_CHARS}])"
RB = rf"(?![{_WORD_CHARS}])"
#: Arabic script, for lookarounds (stdlib re has no \p{Arabic}).
ARABIC = "[\u0600-\u06ff\u0750-\u077f]"
#: Arabic proclitics that may be glued to a word: و/ف "and", ب "with/for", ل "for", ك "as".
CLITIC = "(?:[وف]?[بلك]|[وف])\u0640?"

_ALEF = "[اأإآٱ]"
_YA = "[يىی]"
_LETTER_CLASS = {
    "ا": _ALEF,
    "أ": _ALEF,
    "إ": _ALEF,
    "آ": _ALEF,
    "ٱ": _ALEF,
    "ي": _YA,
    "ى": _YA,
    "ی": _YA,
    "ك": "[كک]",
    "ک": "[كک]",
}
_FINAL_CLASS = {"ة": "[ةه]", "ه": "[هة]"}
_MARK_RE = re.compile(MARKS[:-1] + "+")
_FOLD_TABLE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك"})
_DIGIT_TABLE = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٬٫", "01234567890123456789,.")


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff"


def ar_pattern(phrase: str) -> str:
    """Regex source matching `phrase` as Arabic writers vary it (see module docstring).

    Spaces in `phrase` match any run of whitespace. Non-Arabic characters are escaped.
    """
    words = []
    for word in _MARK_RE.sub("", phrase).split():
        parts = []
        for i, ch in enumerate(word):
            if i == len(word) - 1 and ch in _FINAL_CLASS:
                cls = _FINAL_CLASS[ch]
            else:
                cls = _LETTER_CLASS.get(ch, re.escape(ch))
            parts.append(cls + MARKS if _is_arabic(ch) else cls)
        words.append("".join(parts))
    return r"\s+".join(words)


def fold_key(s: str) -> str:
    """Lookup key for a matched form: no marks, one alef/ya/ta form, lower case, one space."""
    s = _MARK_RE.sub("", s).translate(_FOLD_TABLE).lower()
    words = [w[:-1] + "ه" if w.endswith("ة") else w for w in s.split()]
    return " ".join(words)


def alternation(forms: list[str], arabic: bool) -> str:
    """A non-capturing alternation of forms, built as a trie so that the engine tries one
    branch per letter instead of every form at every position (the Arabic classes make a
    flat alternation some 30 times slower). Greedy optional branches keep "longest wins".
    """
    keys = {fold_key(f) if arabic else " ".join(f.split()) for f in forms}
    trie: dict = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}
    return "(?:" + _emit_trie(trie) + ")"


def _emit_trie(node: dict) -> str:
    branches = [_char_source(ch) + _emit_trie(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return "(?:" + body + ")?" if len(branches) == 1 else body + "?"
    return body


def _char_source(ch: str) -> str:
    """One folded character of a form: its tolerant class (Arabic), \\s+ for a space."""
    if ch == " ":
        return r"\s+"
    if not _is_arabic(ch):
        return re.escape(ch)
    cls = {"ا": _ALEF, "ي": _YA, "ك": "[كک]", "ه": "[هة]"}.get(ch, ch)
    return cls + MARKS


def to_ascii_digits(s: str) -> str:
    """Arabic-Indic and Persian digits and separators to ASCII ones."""
    return s.translate(_DIGIT_TABLE)


@functools.cache
def load_data(name: str) -> Any:
    """One YAML file of `raqib/text/data`, parsed once."""
    path = resources.files("raqib.text").joinpath("data", name)
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise TextError(f"expected text as str, got {type(text).__name__}")
    return text


def _clean_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# --------------------------------------------------------------------------- compiling

_COMPILE_LOCK = threading.RLock()
_CHARSETS: dict[tuple, tuple] = {}


def compile_re(source: str) -> re.Pattern[str]:
    """`re.compile`, with each distinct character class optimised only once.

    CPython's compiler builds a 64 KiB bitmap for every non-Latin class it meets, and the
    Arabic patterns repeat the same few classes (marks, alef, ya) thousands of times: that
    was four fifths of their one-off compile time. While our pattern compiles, its
    private `_optimize_charset` is wrapped in a cache (a pure function of hashable
    arguments); where it does not exist, this is plain `re.compile`.
    """
    compiler = getattr(re, "_compiler", None)
    original = getattr(compiler, "_optimize_charset", None)
    if original is None:
        return re.compile(source)
    with _COMPILE_LOCK:
        compiler._optimize_charset = functools.partial(_cached_charset, original)  # type: ignore[union-attr]
        try:
            return re.compile(source)
        finally:
            compiler._optimize_charset = original  # type: ignore[union-attr]


def _cached_charset(original: Any, charset: Any, *args: Any) -> Any:
    try:
        # the `fixes` table (a dict) is keyed by identity; the entry keeps it alive
        key = (tuple(charset), *(id(a) if isinstance(a, dict) else a for a in args))
        hit = _CHARSETS.get(key)
    except TypeError:  # an unhashable argument: no caching
        return original(charset, *args)
    if hit is None:
        hit = _CHARSETS[key] = (original(charset, *args), args)
    (out, hascased), _ = hit
    return list(out), hascased


# --------------------------------------------------------------------------- anchored scans
#
# The regex engine tries every pattern at every position of the text, and a finder has
# many patterns: scanning whole documents with each of them cost more than the pipeline's
# budget. But every match of a pattern contains an anchor: a month name, four digits, a
# time noun, "قبل"... So the finders find the anchors first, in one cheap pass, and run
# their patterns only over windows of whitespace-separated tokens around them, wide
# enough for any match that contains the anchor and for its lookaheads. Lookbehinds and
# the checks written in Python still see the whole text, and `Pattern.finditer(text,
# start, end)` keeps offsets absolute, so the results are those of a full scan (the tests
# compare both on the corpus and on generated text).

Window = tuple[int, int]
Span = tuple[int, int]

#: Characters that `re`'s IGNORECASE matches to an ASCII letter although str.lower() does
#: not give that letter: İ ı ſ and the Kelvin sign (checked over all of Unicode).
_CASE_SPECIALS = ("\u0130", "\u0131", "\u017f", "\u212a")
_LATIN_LETTER = re.compile("[A-Za-z]")
_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f]")


def lowered(text: str) -> str | None:
    """`text.lower()`, in which a lower-case pattern finds what the `(?i:...)` ASCII one
    finds in `text`, at the same offsets; None for the rare text where that does not hold.

    Apart from the four characters of `_CASE_SPECIALS`, str.lower() keeps every
    character's length and its \\w, \\s and \\d classes, and maps only A-Z to ASCII letters.
    """
    facts = _facts(text)
    return facts[2] if facts[1] else _lower(text)


def _lower(text: str) -> str | None:
    return None if any(c in text for c in _CASE_SPECIALS) else text.lower()


def has_arabic(text: str) -> bool:
    """Whether `text` has Arabic letters (ARABIC)."""
    return _facts(text)[0]


def has_latin(text: str) -> bool:
    """Whether `text` has ASCII letters."""
    return _facts(text)[1]


@functools.lru_cache(maxsize=8)
def _facts(text: str) -> tuple[bool, bool, str | None]:
    """(has Arabic, has ASCII letters, lowered if it has), cached: several finders ask
    about one text."""
    arabic = _ARABIC_RE.search(text) is not None
    latin = _LATIN_LETTER.search(text) is not None
    return arabic, latin, _lower(text) if latin else None


def anchor_key(s: str) -> str:
    """`fold_key` with every ta marbuta as ha: the key of a tolerant anchor match."""
    return fold_key(s).replace("ة", "ه")


class ArabicAnchors:
    """Arabic anchor words of several pattern families, found in one pass.

    The words are matched as tolerantly as the patterns match them (`alternation`) and
    overlapping occurrences are all found: the trie sits in a lookahead, so the scan moves
    on one character at a time. The trie is deterministic (one branch per folded letter),
    so at each position it finds the longest anchor, and the anchors that are its prefixes
    are looked up with it. Anchors are found inside longer words too, or, when `bounded`,
    only at the start of a word or after proclitics (LB and CLITIC, as in the patterns).
    Then one word may hold two anchors, one after a proclitic and one without it, and the
    regex reports only one: should the anchors allow that, every anchor found counts for
    every family (`ambiguous`).
    """

    def __init__(self, families: dict[str, list[str]], bounded: bool = False) -> None:
        by_key: dict[str, set[str]] = {}
        for family, words in families.items():
            for word in words:
                key = anchor_key(word)
                if not key or " " in key:
                    raise ValueError(f"an anchor is one word: {word!r}")
                by_key.setdefault(key, set()).add(family)
        trie = "(?=(" + alternation(list(by_key), arabic=True) + "))"
        self.regex = compile_re(f"{LB}(?:{CLITIC})?{trie}" if bounded else trie)
        self._families = {
            key: tuple(sorted({f for p, fs in by_key.items() if key.startswith(p) for f in fs}))
            for key in by_key
        }
        self._all = tuple(sorted(families))
        self.ambiguous = bounded and _clitic_overlap(list(by_key))
        if self.ambiguous:
            self._families = {key: self._all for key in by_key}
        self._memo: dict[str, tuple[str, ...]] = {}

    def find(self, text: str) -> dict[str, list[Span]]:
        out: dict[str, list[Span]] = {}
        memo = self._memo
        for m in self.regex.finditer(text):
            raw = m.group(1)
            families = memo.get(raw)
            if families is None:
                families = self._families.get(anchor_key(raw), self._all)
                if len(memo) < 4096:
                    memo[raw] = families
            s = m.start(1)
            for family in families:
                out.setdefault(family, []).append((s, s + len(raw)))
        return out


def _clitic_overlap(keys: list[str]) -> bool:
    """Whether some text could start both an anchor and, after a proclitic, another one."""
    letters = "وفبلك"
    clitics = [a + b for a in ["", *letters] for b in letters if re.fullmatch(CLITIC, a + b)]
    for key in keys:
        for clitic in clitics:
            rest = key[len(clitic) :] if key.startswith(clitic) else ""
            if rest and any(k.startswith(rest) or rest.startswith(k) for k in keys):
                return True
    return False


class LatinAnchors:
    """Lower-case anchor words of several families, found with str.find in lowered text."""

    def __init__(self, families: dict[str, list[str]]) -> None:
        self.families = tuple(families)
        self._words: dict[str, list[str]] = {}
        for family, words in families.items():
            for word in words:
                if not word or word != word.lower() or not word.isascii() or " " in word:
                    raise ValueError(f"a Latin anchor is one lower-case ASCII word: {word!r}")
                self._words.setdefault(word, []).append(family)

    def find(self, low: str) -> dict[str, list[Span]]:
        out: dict[str, list[Span]] = {}
        for word, families in self._words.items():
            find = low.find
            at = find(word)
            if at < 0:
                continue
            spans = []
            while at >= 0:
                spans.append((at, at + len(word)))
                at = find(word, at + 1)
            for family in families:
                out.setdefault(family, []).extend(spans)
        return out


@functools.cache
def _matched(match: re.Match[str] | None) -> re.Match[str]:
    """The match of a pattern that cannot fail (it matches the empty string)."""
    if match is None:
        raise AssertionError("a pattern that matches the empty string did not match")
    return match


def _reach_re(tokens: int, sep: str) -> re.Pattern[str]:
    """The rest of the current token and up to `tokens` more (tokens separated by `sep`)."""
    return compile_re(rf"[^{sep}]*(?:[{sep}]+[^{sep}]+){{0,{tokens}}}")


@dataclass(frozen=True)
class Reach:
    """How many tokens a family's matches reach before and after the token of an anchor.

    `sep` is the regex class of the characters between tokens: whitespace by default, also
    "-" for a pattern that skips any run of both ("[\\s-]+").
    """

    before: int
    after: int
    sep: str = r"\s"


class Scan:
    """One text and its reversed copy (made on first use), to compute token windows."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._rev: str | None = None

    def windows(self, spans: list[Span], reach: Reach) -> list[Window]:
        """Merged windows [start, end) that hold every match containing one of `spans`."""
        if not spans:
            return []
        text = self.text
        if self._rev is None:
            self._rev = text[::-1]
        rev, n = self._rev, len(text)
        back, ahead = _reach_re(reach.before, reach.sep), _reach_re(reach.after, reach.sep)
        out: list[Window] = []
        for s, e in sorted(spans):
            # Both patterns can match the empty string: they always match.
            start = n - _matched(back.match(rev, n - s)).end()
            end = _matched(ahead.match(text, e)).end()
            if out and start <= out[-1][1]:
                if end > out[-1][1]:
                    out[-1] = (out[-1][0], end)
            else:
                out.append((start, end))
        return out


def finditer_in(
    pattern: re.Pattern[str], text: str, windows: list[Window] | None
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, restricted to `windows` (None: the whole text)."""
    if windows is None:
        yield from pattern.finditer(text)
        return
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


# --------------------------------------------------------------------------- number tokens


@dataclass(frozen=True)
class _Entry:
    kind: str  # word | hundred | dozen | scale | frac | vague | article
    value: Decimal
    form: str = ""  # for scales: singular | dual | plural
    ambiguous: bool = False


@dataclass(slots=True)  # not frozen: a frozen dataclass is three times slower to make
class _Tok:
    start: int  # without clitics
    end: int
    outer: int  # start including clitics
    pre: str  # the clitics, e.g. "و", "ب", "وال"
    kind: str  # num | word | hundred | dozen | scale | frac | vague | article
    value: Decimal
    form: str
    lang: str  # ar | en | digit
    ambiguous: bool

    @property
    def definite(self) -> bool:
        if not self.pre:
            return False
        pre = fold_key(self.pre)
        return pre.endswith("ال") or pre.endswith("لل")


@functools.cache
def _lexicon() -> dict[str, dict[str, _Entry]]:
    """Folded form -> entry, per language, from numbers.yaml."""
    data = load_data("numbers.yaml")
    out: dict[str, dict[str, _Entry]] = {"ar": {}, "en": {}}
    ar, en = data["arabic"], data["english"]
    amb_ar = {fold_key(w) for w in ar["ambiguous"]}
    for section in ("units", "teens", "tens", "hundreds"):
        for form, v in ar[section].items():
            key = fold_key(form)
            out["ar"][key] = _Entry("word", Decimal(v), ambiguous=key in amb_ar)
    for prefix, v in ar["hundreds_prefixes"].items():
        for hundred in ("مائة", "مئة"):
            for joined in (prefix + hundred, prefix + " " + hundred):
                out["ar"][fold_key(joined)] = _Entry("word", Decimal(v * 100))
    _add_scales(out["ar"], ar["scales"])
    for form, v in ar["fractions"].items():
        out["ar"][fold_key(form)] = _Entry("frac", Decimal(str(v)))
    for form in ar["vague"]:
        out["ar"].setdefault(fold_key(form), _Entry("vague", Decimal(0)))
    amb_en = set(en["ambiguous"])
    for section in ("units", "tens"):
        for form, v in en[section].items():
            out["en"][form] = _Entry("word", Decimal(v), ambiguous=form in amb_en)
    for form in en["hundred"]:
        out["en"][form] = _Entry("hundred", Decimal(100))
    for form, v in en["multipliers"].items():
        out["en"][form] = _Entry("dozen", Decimal(v))
    _add_scales(out["en"], en["scales"])
    for form, v in en["fractions"].items():
        out["en"][form] = _Entry("frac", Decimal(str(v)))
    for form in en["vague"]:
        out["en"][form] = _Entry("vague", Decimal(0))
    return out


def _add_scales(table: dict[str, _Entry], scales: list[dict]) -> None:
    for scale in scales:
        for form_kind in ("singular", "dual", "plural"):
            for form in scale.get(form_kind, []):
                table[fold_key(form)] = _Entry("scale", Decimal(scale["value"]), form_kind)


# A number in digits. It starts with a digit so that the engine can scan for digits
# quickly; the lookbehinds then check the character before that first digit.
_NUM_SOURCE = (
    rf"(?P<num>{DIGIT}(?<![\dA-Za-z]{DIGIT})(?<!\d[.,٫٬]{DIGIT})(?<![A-Za-z]-{DIGIT})"
    rf"(?:{DIGIT}{{0,2}}(?:[,٬]{DIGIT}{{3}})+(?:[.٫]{DIGIT}+)?|{DIGIT}*(?:[.٫]{DIGIT}+)?))"
    r"(?!\d)(?![.,٫٬]\d)(?!(?:st|nd|rd|th|s)\b)"
)

#: Proclitics and the article glued to an Arabic number word: و/ف "and", ب/ل/ك, ال, لل.
_AR_PREFIXES = (
    "",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
    "وب",
    "ول",
    "فب",
    "فل",
    "وك",
    "ال",
    "وال",
    "فال",
    "بال",
    "كال",
    "لل",
    "ولل",
)
_PREFIX_KEYS = frozenset(_AR_PREFIXES)
_MARK_CHARS = frozenset("\u0640" + "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670")


@functools.cache
def _num_re() -> re.Pattern[str]:
    return compile_re(_NUM_SOURCE)


@functools.cache
def _ar_word_re() -> re.Pattern[str]:
    """Arabic number words as a bare trie; boundaries and clitics are checked in Python.

    Lookbehinds or an optional clitic group in front of the trie made the scan 5-7 times
    slower, and one trie per clitic made it slow to compile.
    """
    return compile_re(alternation(list(_lexicon()["ar"]), arabic=True))


@functools.cache
def _en_word_re() -> re.Pattern[str]:
    """English number words, scales glued to digits ("1.5bn"), "a"/"an" before a scale."""
    words = _en_words_source()
    return compile_re(f"(?<=\\d)(?P<glued>{_glued_source()})\\b|(?=[A-Za-z]){LB}(?i:{words})")


def _glued_source() -> str:
    glued = load_data("numbers.yaml")["english"]["glued_scales"]
    return "|".join(re.escape(g) for g in glued)


def _en_words_source(lower: bool = False) -> str:
    """The word part of `_en_word_re`; `lower`: the forms in lower case, for lowered text."""
    lex = _lexicon()
    case = str.lower if lower else str
    en_forms = [case(f) for f in lex["en"] if f not in ("half", "quarter")]
    scale_words = "|".join(
        re.escape(case(f)) for f, e in lex["en"].items() if e.kind in ("scale", "hundred", "dozen")
    )
    return (
        f"(?P<article>an?)(?=\\s+(?:{scale_words})\\b)"
        f"|(?P<frac>(?:a\\s+)?(?:half|quarter)(?:\\s+an?(?=\\s))?){RB}"
        f"|(?P<en>{alternation(en_forms, arabic=False)}){RB}"
    )


@functools.cache
def _en_fast_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """`_en_word_re` in two faster passes with the same matches: scales glued to a digit
    (the digit first, so that the engine jumps from digit to digit), and the words, run on
    the `lowered` text without IGNORECASE and with \\b first (a word start: a letter after a
    non-word character; LB also excludes Arabic marks). A glued scale follows a digit and a
    word follows no word character, so the two never overlap.
    """
    glued = compile_re(f"\\d(?P<glued>{_glued_source()})\\b")
    marks = _WORD_CHARS[2:]  # the marks and tatweel of LB, without \\w
    words = compile_re(f"\\b(?=[a-z])(?<![{marks}])(?:{_en_words_source(lower=True)})")
    return glued, words


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or ch in _MARK_CHARS


def _ar_tokens(text: str) -> list[_Tok]:
    lex = _lexicon()["ar"]
    toks = []
    for m in _ar_word_re().finditer(text):
        s, e = m.span()
        if e < len(text) and _is_word_char(text[e]):
            continue
        outer = s
        while outer > 0 and s - outer < 6 and _is_word_char(text[outer - 1]):
            outer -= 1
        if outer > 0 and _is_word_char(text[outer - 1]):
            continue
        pre = text[outer:s]
        if fold_key(pre) not in _PREFIX_KEYS:
            continue
        entry = lex.get(fold_key(m.group()))
        if entry is None:  # cannot happen with the shipped words; a guard for edited ones
            continue
        toks.append(
            _Tok(s, e, outer, pre, entry.kind, entry.value, entry.form, "ar", entry.ambiguous)
        )
    return toks


def _tokens(text: str) -> list[_Tok]:
    toks = [
        _Tok(m.start(), m.end(), m.start(), "", "num", value, "", "digit", False)
        for m in _num_re().finditer(text)
        if (value := _parse_digits(m.group("num"))) is not None
    ]
    if has_arabic(text):
        toks += _ar_tokens(text)
    if has_latin(text):
        low = lowered(text)
        if low is None:
            matches = list(_en_word_re().finditer(text))
        else:
            glued, words = _en_fast_res()
            matches = [*glued.finditer(text), *words.finditer(low)]
        toks += [t for m in matches if (t := _word_token(m)) is not None]
    return sorted(toks, key=lambda t: t.start)


def _word_token(m: re.Match[str]) -> _Tok | None:
    lex = _lexicon()["en"]
    kind = m.lastgroup  # glued, article, frac or en: exactly one takes part in a match
    if kind == "glued":
        s, e = m.span("glued")
        entry = lex.get(m.group("glued").lower())
    elif kind == "article":
        s, e = m.span("article")
        entry = _Entry("article", Decimal(1))
    elif kind == "frac":
        s, e = m.span("frac")
        entry = lex["quarter" if "quarter" in m.group("frac").lower() else "half"]
    else:
        s, e = m.span("en")
        entry = lex.get(fold_key(m.group("en")))
    if entry is None:
        return None
    return _Tok(s, e, s, "", entry.kind, entry.value, entry.form, "en", entry.ambiguous)


def _parse_digits(raw: str) -> Decimal | None:
    s = to_ascii_digits(raw).replace(",", "")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


# ------------------------------------------------------------------ grouping tokens into phrases

_WS = re.compile(r"\s*")
_EN_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_EN_OF = re.compile(r"\s+of\s+", re.IGNORECASE)
_HYPHEN = re.compile(r"\s*-\s*")
_AR_CONJ_SPACED = re.compile(r"\s+و\s+")
_AR_OF = re.compile(r"\s+من\s+")


def _gap_kind(text: str, prev: _Tok, tok: _Tok) -> str | None:
    """How two tokens are joined: "", "ws", "and", "hyphen", "of" or None (not joinable).

    Inside a phrase an Arabic token may carry only the conjunction و and/or the article ال
    (عشرات الآلاف); a preposition (ب، ل) starts a new phrase.
    """
    pre = fold_key(tok.pre) if tok.pre else ""
    if pre not in ("", "و", "ال", "وال"):
        return None
    conj = pre.startswith("و")
    gap = text[prev.end : tok.outer]
    if gap == "":
        return "and" if conj else ""
    if _WS.fullmatch(gap):
        return "and" if conj else "ws"
    if conj or len(gap.strip()) > 3:  # no joiner has more than "and" between spaces
        return None
    if _AR_CONJ_SPACED.fullmatch(gap) or _EN_AND.fullmatch(gap):
        return "and"
    if _HYPHEN.fullmatch(gap):
        return "hyphen"
    if _EN_OF.fullmatch(gap) or _AR_OF.fullmatch(gap):
        return "of"
    return None


def _joins(prev: _Tok, tok: _Tok, gap: str) -> bool:
    """Whether `tok` continues the number phrase that ends with `prev` (number grammar)."""
    if tok.kind == "num" or (tok.definite and prev.kind != "vague"):
        return False
    if gap == "" and not (prev.kind == "num" and tok.kind == "scale"):
        return False
    if prev.kind == "vague":
        return tok.kind == "scale" and gap in ("ws", "of")
    if gap == "of":
        return False
    if tok.kind == "scale":
        return prev.kind in ("num", "word", "article", "frac", "hundred") and gap in ("ws", "")
    if prev.kind == "num":
        return False
    if tok.kind in ("hundred", "dozen"):
        return prev.kind in ("word", "article") and gap == "ws" and prev.value < 100
    if tok.kind == "frac":
        return gap == "and" and prev.kind in ("word", "scale", "num")
    if tok.kind != "word":
        return False
    if prev.kind == "scale":
        return tok.value < prev.value and (gap == "and" or (tok.lang == "en" and gap == "ws"))
    if prev.kind == "hundred":
        return tok.value < 100 and gap in ("ws", "and")
    if prev.kind != "word" or prev.lang != tok.lang:
        return False
    if tok.lang == "ar":
        units_then_tens = prev.value < 20 and tok.value in _TENS
        hundreds_then_rest = prev.value >= 100 and prev.value % 100 == 0 and tok.value < 100
        return gap == "and" and (units_then_tens or hundreds_then_rest)
    return prev.value in _TENS and tok.value < 10 and gap in ("ws", "hyphen")


_TENS = {Decimal(v) for v in range(20, 100, 10)}


def _phrases(text: str, toks: list[_Tok]) -> list[list[_Tok]]:
    phrases: list[list[_Tok]] = []
    for tok in toks:
        if phrases and tok.kind != "num":  # a number in digits always starts a phrase
            prev = phrases[-1][-1]
            gap = _gap_kind(text, prev, tok)
            if gap is not None and _joins(prev, tok, gap):
                phrases[-1].append(tok)
                continue
        phrases.append([tok])
    return phrases


def _evaluate(phrase: list[_Tok]) -> Decimal | None:
    """Value of a number phrase, or None when it is vague or not a number on its own."""
    if phrase[0].definite or any(t.kind == "vague" for t in phrase):
        return None
    if all(t.kind == "frac" for t in phrase):
        return None
    total, cur, last = Decimal(0), None, None
    for tok in phrase:
        if tok.kind in ("num", "word"):
            cur = (cur or 0) + tok.value
        elif tok.kind in ("hundred", "dozen"):
            cur = (cur or 1) * tok.value
        elif tok.kind == "article":
            cur = Decimal(1)
        elif tok.kind == "frac":
            if last is not None and last.kind == "scale":
                total += tok.value * last.value
            else:
                cur = (cur or 0) + tok.value
        elif tok.kind == "scale":
            if cur is None:
                if tok.form == "plural":
                    return None
                cur = Decimal(2 if tok.form == "dual" else 1)
            total += cur * tok.value
            cur = None
        last = tok
    return total + (cur or 0)


@dataclass(slots=True)
class _Phrase:
    start: int
    end: int
    value: Decimal
    outer: int  # start including a leading clitic
    lang: str
    single_ambiguous: bool


@functools.lru_cache(maxsize=4)
def _number_phrases(text: str) -> tuple[_Phrase, ...]:
    """The number phrases of `text`, cached: the pipeline runs several finders on one text."""
    return tuple(_find_number_phrases(text))


def _find_number_phrases(text: str) -> list[_Phrase]:
    out = []
    for phrase in _phrases(text, _tokens(text)):
        value = _evaluate(phrase)
        if value is None:
            continue
        first = phrase[0]
        single_amb = len(phrase) == 1 and first.ambiguous
        out.append(_Phrase(first.start, phrase[-1].end, value, first.outer, first.lang, single_amb))
    return out


# --------------------------------------------------------------------------- nouns after numbers


def _quantity_units() -> list[dict]:
    return load_data("units.yaml")["quantity_units"]


@functools.cache
def _unit_index() -> dict[str, str]:
    """Folded noun form -> English unit, for quantities (plural and singular forms)."""
    index = {}
    for entry in _quantity_units():
        for form in entry["ar"] + entry["en"]:
            index[fold_key(form)] = entry["unit"]
    return index


@functools.cache
def _dual_unit_index() -> dict[str, str]:
    return {fold_key(f): e["unit"] for e in _quantity_units() for f in e["ar_dual"]}


@functools.cache
def _time_index() -> dict[str, tuple[str, int]]:
    """Folded time-noun form -> (unit, factor), singular, plural and dual forms."""
    index = {}
    for entry in load_data("units.yaml")["time_units"]:
        for form in entry["ar"] + entry["ar_dual"] + entry["en"]:
            index[fold_key(form)] = (entry["unit"], entry["factor"])
    return index


def time_unit_forms(kind: str) -> list[str]:
    """Arabic time-noun forms of one kind ("ar", "ar_dual", "ar_singular", "en"), all units."""
    return [f for e in load_data("units.yaml")["time_units"] for f in e[kind]]


def time_unit_of(form: str) -> tuple[str, int] | None:
    """(unit, factor) of a written time noun, e.g. "عامين" -> ("years", 1)."""
    return _time_index().get(fold_key(form))


def _ar_en_alt(ar_forms: list[str], en_forms: list[str]) -> str:
    parts = []
    if ar_forms:
        parts.append(alternation(ar_forms, arabic=True))
    if en_forms:
        parts.append("(?i:" + alternation(en_forms, arabic=False) + ")")
    return "(?:" + "|".join(parts) + ")"


@functools.cache
def _currency_tables() -> tuple[dict[str, tuple[str, dict[str, str]]], dict[str, str]]:
    data = load_data("currencies.yaml")
    ar = {}
    for cur in data["arabic"]:
        adjectives = {fold_key(a): c for a, c in (cur["adjectives"] or {}).items()}
        for form in cur["forms"]:
            ar[fold_key(form)] = (cur["default"], adjectives)
    en = {fold_key(p): c for p, c in data["english"].items()}
    return ar, en


@functools.cache
def _noun_after_re() -> re.Pattern[str]:
    """Any counted noun (quantity unit, currency, time unit, percent) right after a number."""
    units = load_data("units.yaml")
    cur = load_data("currencies.yaml")
    ar_forms = [f for e in units["quantity_units"] for f in e["ar"]]
    ar_forms += [f for c in cur["arabic"] for f in c["forms"]]
    ar_forms += [*time_unit_forms("ar"), "بالمئة", "بالمائة", "في المئة", "في المائة"]
    en_forms = [f for e in units["quantity_units"] for f in e["en"]]
    en_forms += [*cur["english"], *time_unit_forms("en"), "percent", "per cent"]
    alt = _ar_en_alt(ar_forms, en_forms)
    return compile_re(rf"\s*(?:%|٪|\s(?:من\s+)?(?:ال)?{alt}{RB})")


def counted_noun_at(text: str, pos: int) -> bool:
    """Whether a counted noun, a currency, a time unit or a percent sign follows `pos`."""
    return _noun_after_re().match(text, pos) is not None


# --------------------------------------------------------------------------- numbers


def find_numbers(text: str) -> list[NumberMatch]:
    """Numbers written in digits (any script, with separators) or words, with scales.

    Vague quantities (عشرات، آلاف القذائف، millions of) are skipped; number words that are
    also ordinary words (ست، سبع، تسع) count only before a counted noun.
    """
    _check_text(text)
    out = []
    for p in _number_phrases(text):
        if p.single_ambiguous and not counted_noun_at(text, p.end):
            continue
        out.append(NumberMatch(text[p.start : p.end], p.start, p.end, _clean_number(p.value)))
    return out


def parse_number(s: str) -> int | float | None:
    """The value of a string that is one number expression ("10 ملايين", "1.5bn"), else None."""
    _check_text(s)
    stripped = s.strip()
    phrases = _number_phrases(stripped)
    if len(phrases) != 1 or phrases[0].start != 0 or phrases[0].end != len(stripped):
        return None
    return _clean_number(phrases[0].value)


# --------------------------------------------------------------------------- money


@functools.cache
def _currency_after_re() -> re.Pattern[str]:
    data = load_data("currencies.yaml")
    ar_nouns = alternation([f for c in data["arabic"] for f in c["forms"]], arabic=True)
    ar_adjs = alternation([a for c in data["arabic"] for a in (c["adjectives"] or {})], arabic=True)
    en = alternation(list(data["english"]), arabic=False)
    codes = "|".join(data["codes"])
    symbols = "|".join(re.escape(s) for s in sorted(data["symbols"], key=len, reverse=True))
    return compile_re(
        rf"\s?(?P<sym>{symbols})"
        rf"|(?:\s+(?:من\s+)?)(?:(?P<ar>{ar_nouns})(?:\s+(?P<adj>(?:ال)?{ar_adjs})(?:[ةه]{MARKS})?)?{RB}"
        rf"|(?i:(?P<en>{en}))\b|(?P<code>{codes})\b)"
    )


@functools.cache
def _currency_before_re() -> re.Pattern[str]:
    data = load_data("currencies.yaml")
    symbols = "|".join(re.escape(s) for s in sorted(data["symbols"], key=len, reverse=True))
    codes = "|".join(data["codes"])
    return compile_re(rf"(?:(?P<sym>{symbols})|(?<![^\W\d_])(?P<code>{codes}))\s?$")


@functools.cache
def _glued_multiplier_re() -> re.Pattern[str]:
    mults = load_data("currencies.yaml")["glued_multipliers"]
    alt = "|".join(sorted(mults, key=len, reverse=True))
    return compile_re(rf"(?i:(?P<mult>{alt}))\b")


def _currency_from_after(m: re.Match[str]) -> str | None:
    """The currency code; None for a form that the tolerant or case-insensitive pattern
    matched but the table does not know ("درةم", "DOLLARſ")."""
    ar_table, en_table = _currency_tables()
    if m.group("sym"):
        return load_data("currencies.yaml")["symbols"][m.group("sym")]
    if m.group("ar"):
        entry = ar_table.get(fold_key(m.group("ar")))
        if entry is None:
            return None
        default, adjectives = entry
        adj = m.group("adj")
        if adj:
            key = fold_key(adj)
            key = key[2:] if key.startswith("ال") and key[2:] in adjectives else key
            return adjectives.get(key, default)
        return default
    if m.group("en"):
        return en_table.get(fold_key(m.group("en")))
    return m.group("code")


def find_money(text: str) -> list[MoneyMatch]:
    """Amounts with a currency: "10 ملايين دولار", "ملياري دولار", "$10 million", "€5bn"."""
    _check_text(text)
    out = []
    symbols = load_data("currencies.yaml")["symbols"]
    mults = load_data("currencies.yaml")["glued_multipliers"]
    for p in _number_phrases(text):
        amount, start, end = p.value, p.start, p.end
        before = _currency_before_re().search(text, max(0, p.outer - 5), p.outer)
        if before is not None:
            currency = symbols[before.group("sym")] if before.group("sym") else before.group("code")
            start = before.start()
            glued = _glued_multiplier_re().match(text, end)
            mult = mults.get(glued.group("mult").lower()) if glued is not None else None
            if glued is not None and mult is not None and p.lang == "digit":
                amount *= Decimal(mult)
                end = glued.end()
        else:
            after = _currency_after_re().match(text, end)
            if after is None:
                continue
            currency, end = _currency_from_after(after), after.end()
            if currency is None:
                continue
        out.append(MoneyMatch(text[start:end], start, end, _clean_number(amount), currency))
    return _without_overlaps(sorted(out, key=lambda m: (m.start, m.start - m.end)))


# --------------------------------------------------------------------------- quantities

_EN_STOP = (
    "the|a|an|of|and|or|in|on|at|to|for|by|with|from|was|were|is|are|has|have|had|"
    "that|which|who|than|per|each|more|less|about|over|under|into"
)


@functools.cache
def _unit_res() -> dict[str, re.Pattern[str]]:
    units = _quantity_units()
    ar = alternation([f for e in units for f in e["ar"]], arabic=True)
    en = alternation([f for e in units for f in e["en"]], arabic=False)
    numbers = "|".join(re.escape(w) for w in _lexicon()["en"])
    return {
        "ar": compile_re(rf"\s+(?:من\s+)?(?:ال)?(?P<ar>{ar}){RB}"),
        "en": compile_re(rf"(?i:(?P<en>{en}))\b"),
        # an English word between a count and its noun: "30 G3 rifles", "three Iranian-made"
        "adjective": compile_re(rf"(?i:(?!(?:{_EN_STOP}|{numbers})\b))[A-Za-z][\w\-]*\s+"),
    }


def _unit_after(text: str, pos: int) -> tuple[int, str] | None:
    """(end, form) of the counted noun after a number ending at `pos`, if any.

    English allows up to two words before the noun; of the nouns found, the one reaching
    furthest wins, then the one with fewer words skipped: "five weapons shipments" counts
    shipments, "machine gun" is one noun, not the adjective "machine" and "gun".
    """
    res = _unit_res()
    m = res["ar"].match(text, pos)
    if m is not None:
        return m.end(), m.group("ar")
    ws = re.match(r"\s+", text[pos : pos + 20])
    if ws is None:
        return None
    best: tuple[int, str] | None = None
    at = pos + ws.end()
    for _ in range(3):
        m = res["en"].match(text, at)
        if m is not None and (best is None or m.end() > best[0]):
            best = (m.end(), m.group("en"))
        adjective = res["adjective"].match(text, at)
        if adjective is None:
            break
        at = adjective.end()
    return best


@functools.cache
def _dual_unit_re() -> re.Pattern[str]:
    forms = [f for e in _quantity_units() for f in e["ar_dual"]]
    return compile_re(rf"{LB}(?:[وفبل])?(?P<w>{alternation(forms, arabic=True)}){RB}")


def find_quantities(text: str) -> list[QuantityMatch]:
    """Counted things: "500 بندقية", "ثلاث شحنات", "شحنتين", "24,000 gasmasks".

    The unit is an English singular from units.yaml. Vague counts (آلاف القذائف) are skipped.
    """
    _check_text(text)
    out: list[QuantityMatch] = []
    phrases = _number_phrases(text)
    for p in phrases:
        found = _unit_after(text, p.end)
        if found is None:
            continue
        end, form = found
        unit = _unit_index().get(fold_key(form))
        if unit is None:  # a case or letter variant the table does not know
            continue
        amount = _clean_number(p.value)
        out.append(QuantityMatch(text[p.start : end], p.start, end, amount, unit))
    taken = [(q.start, q.end) for q in out] + [(p.outer, p.end) for p in phrases]
    for m in _dual_unit_re().finditer(text):
        s, e = m.span("w")
        if any(a < e and s < b for a, b in taken):
            continue
        unit = _dual_unit_index().get(fold_key(m.group("w")))
        if unit is None:
            continue
        out.append(QuantityMatch(text[s:e], s, e, 2, unit))
    return _without_overlaps(sorted(out, key=lambda q: (q.start, q.start - q.end)))


# --------------------------------------------------------------------------- durations and ages


@functools.cache
def small_count_source() -> str:
    """Regex source for a small cardinal: digits, or up to three number words (0-999)."""
    lex = load_data("numbers.yaml")
    ar_words = [f for s in ("units", "teens", "tens", "hundreds") for f in lex["arabic"][s]]
    en_words = list(lex["english"]["units"]) + list(lex["english"]["tens"])
    word = f"(?:{alternation(ar_words, arabic=True)}|(?i:{alternation(en_words, arabic=False)}))"
    joiner = r"(?:\s+و\s*|\s*-\s*|\s+)"
    return rf"(?:{DIGIT}{{1,3}}(?!{DIGIT})|{word}(?:{joiner}{word}){{0,2}}{RB})"


#: The age patterns' anchor families: Arabic or lower-case English anchor words, and the
#: tokens a match reaches around them (a count is up to five tokens: "خمسة و عشرين").
_AGE_FAMILIES: dict[str, tuple[str, list[str], Reach]] = {
    "age_word": ("ar", ["عمر"], Reach(9, 8)),
    "age_unit": ("ar", ["عام", "سنة", "سنوات", "أعوام"], Reach(8, 3)),
    "age_year": ("en", ["year"], Reach(7, 3, r"\s-")),
    "age_of": ("en", ["age"], Reach(3, 8)),
}


@functools.cache
def _age_res() -> list[tuple[str, re.Pattern[str]]]:
    """(anchor family, pattern) of each age pattern, in order of precedence."""
    n = rf"(?P<n>{small_count_source()})"
    unit = alternation(["عاما", "عام", "سنة", "سنوات", "أعوام"], arabic=True)
    age_words = alternation(["العمر", "عمره", "عمرها"], arabic=True)
    verbs = alternation(["يبلغ", "تبلغ", "بلغ", "بلغت"], arabic=True)
    his_age = alternation(["عمره", "عمرها"], arabic=True)
    of_age = alternation(["ذو", "ذات", "ابن", "ابنة"], arabic=True)
    sources = [
        (
            "age_word",
            rf"{LB}(?:{CLITIC})?(?P<body>(?:ال)?{ar_pattern('بالغ')}(?:[ةه]{MARKS})?\s+"
            rf"من\s+{age_words}\s+{n}\s+{unit}){RB}",
        ),
        (
            "age_word",
            rf"{LB}(?:{CLITIC})?(?P<body>{verbs}\s+(?:من\s+)?{age_words}\s+{n}\s+{unit}){RB}",
        ),
        ("age_word", rf"{LB}(?:{CLITIC})?(?P<body>{his_age}\s+{n}\s+{unit}){RB}"),
        ("age_unit", rf"\(\s*(?P<body>{n}\s+{unit})\s*\)"),
        (
            "age_unit",
            rf"{LB}(?:{CLITIC})?(?P<body>{of_age}\s+(?:ال\u0640?)?{n}\s+{unit}){RB}",
        ),
        ("age_word", rf"{LB}(?P<body>{n}\s+{unit}\s+من\s+(?:ال)?{age_words}){RB}"),
        (
            "age_word",
            rf"{LB}(?:{CLITIC})?(?P<body>في\s+(?:ال\u0640?)?{n}\s+من\s+{age_words}){RB}",
        ),
        ("age_year", rf"(?i:\b(?P<body>{n}[\s-]+years?[\s-]+old))\b"),
        ("age_of", rf"(?i:\b(?P<body>(?:aged|age\s+of|at\s+age)\s+{n}))(?!\d)\b"),
    ]
    return [(family, compile_re(source)) for family, source in sources]


@functools.cache
def _time_anchors() -> tuple[dict[str, tuple[str, list[str], Reach]], ArabicAnchors, LatinAnchors]:
    """The families of the age and duration patterns, and their anchors (one pass each)."""
    families = {**_AGE_FAMILIES, **_duration_families()}
    ar = {f: words for f, (script, words, _) in families.items() if script == "ar"}
    en = {f: words for f, (script, words, _) in families.items() if script == "en"}
    return families, ArabicAnchors(ar), LatinAnchors(en)


@functools.lru_cache(maxsize=4)
def _time_windows(text: str) -> dict[str, list[Window] | None]:
    """The windows of the age and duration families, cached for find_durations."""
    families, ar, en = _time_anchors()
    return anchored_windows(text, families, (ar, en))


def anchored_windows(
    text: str,
    families: dict[str, tuple[str, list[str], Reach]],
    anchors: tuple[ArabicAnchors, LatinAnchors],
) -> dict[str, list[Window] | None]:
    """Windows of each family ("ar" or "en" anchors), None for a whole-text scan."""
    spans: dict[str, list[Span]] = {}
    out: dict[str, list[Window] | None] = {}
    if has_arabic(text):
        spans.update(anchors[0].find(text))
    if has_latin(text):
        low = lowered(text)
        if low is None:
            out.update({f: None for f, (script, _, _) in families.items() if script == "en"})
        else:
            spans.update(anchors[1].find(low))
    scan = Scan(text)
    for family, (_, _, reach) in families.items():
        if family not in out:
            out[family] = scan.windows(spans.get(family, []), reach)
    return out


@functools.lru_cache(maxsize=4)
def _ages(text: str, anchored: bool = True) -> tuple[AgeMatch, ...]:
    """find_ages, cached for find_durations on the same text."""
    windows = _time_windows(text) if anchored else {}
    found: dict[tuple[int, int], AgeMatch] = {}
    for family, pattern in _age_res():
        for m in finditer_in(pattern, text, windows.get(family)):
            years = parse_number(m.group("n"))
            if years is None or not 0 < years < 130 or years != int(years):
                continue
            s, e = m.span("body")
            found.setdefault((s, e), AgeMatch(text[s:e], s, e, int(years)))
    ages = _without_overlaps(sorted(found.values(), key=lambda a: (a.start, a.start - a.end)))
    return tuple(ages)


def find_ages(text: str) -> list[AgeMatch]:
    """Ages of people: "البالغ من العمر 57 عاما", "(57 عاما)", "57-year-old", "aged 57"."""
    _check_text(text)
    return list(_ages(text))


def _without_overlaps(matches: list) -> list:
    """Keep the earliest-starting, then longest, of overlapping matches (input pre-sorted)."""
    out: list = []
    for m in matches:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


@functools.cache
def _duration_res() -> dict[str, re.Pattern[str]]:
    data = load_data("units.yaml")
    all_forms = time_unit_forms("ar") + time_unit_forms("ar_dual")
    unit = rf"(?P<unit>{_ar_en_alt(all_forms, time_unit_forms('en'))})"
    half = r"(?P<half>\s+و\s*نصف|(?i:\s+and\s+a\s+half))?"
    cues = alternation(data["duration_cues"]["ar"], arabic=True)
    tails = alternation(data["duration_tails"]["ar"], arabic=True)
    singular = alternation(time_unit_forms("ar_singular"), arabic=True)
    dual = alternation(time_unit_forms("ar_dual"), arabic=True)
    en_single = alternation([f for f in time_unit_forms("en") if not f.endswith("s")], False)
    no_year = rf"(?!\s*{DIGIT})"
    return {
        # after a number phrase: " 25 عاما", "-year", " years"
        "after": compile_re(rf"(?:\s+(?:من\s+)?|\s*-\s*){unit}{RB}{half}"),
        "dual": compile_re(rf"{LB}(?:[وفبل])?(?P<body>(?P<unit>{dual}){RB}{half}){no_year}"),
        "cue_singular": compile_re(
            rf"{LB}(?:{CLITIC})?(?P<cue>{cues})\s+(?:[بل])?(?P<body>(?P<unit>{singular}){RB}{half}){no_year}"
        ),
        "singular_tail": compile_re(
            rf"{LB}(?:{CLITIC})?(?P<body>(?P<unit>{singular}))\s+{tails}{RB}"
        ),
        "singular_half": compile_re(
            rf"{LB}(?:{CLITIC})?(?P<body>(?P<unit>{singular})\s+و\s*نصف){RB}"
        ),
        "en_article": compile_re(
            rf"(?i:\b(?P<body>an?\s+(?P<unit>{en_single})(?P<half>\s+and\s+a\s+half)?))\b"
        ),
    }


_AGO_BEFORE = re.compile(rf"{LB}{ar_pattern('قبل')}\s+$")
_AGO_AFTER = re.compile(r"(?i:\s+ago\b)")
# "once a year", "2.4% a year", "$2.80 an hour": rates, not durations.
_FREQUENCY_BEFORE = re.compile(r"(?i:(?:\b(?:once|twice|times|per|every)|[%\d)])\s*$)")
# "a 300-year-old instrument": an age even where find_ages does not report one.
_OLD_AFTER = re.compile(r"(?i:[\s-]+old\b)")


def _duration_value(unit_form: str, count: Decimal, half: bool) -> dict | None:
    info = time_unit_of(unit_form)
    if info is None:
        return None
    unit, factor = info
    value = (count + (Decimal("0.5") if half else 0)) * factor
    return {unit: _clean_number(value)}


@functools.cache
def _duration_families() -> dict[str, tuple[str, list[str], Reach]]:
    """Anchor families of the lone-noun duration patterns (see "anchored scans")."""
    ar = time_unit_forms("ar_singular") + time_unit_forms("ar_dual")
    en = [f.lower() for f in time_unit_forms("en") if not f.endswith("s")]
    # "أكثر من عام و نصف 2": two cue tokens before, "and a half" and a lookahead after
    return {"dur_ar": ("ar", ar, Reach(4, 6)), "dur_en": ("en", en, Reach(3, 5))}


_DURATION_FAMILY = {
    "dual": "dur_ar",
    "cue_singular": "dur_ar",
    "singular_tail": "dur_ar",
    "singular_half": "dur_ar",
    "en_article": "dur_en",
}


def _duration_candidates(text: str, anchored: bool = True) -> list[DurationMatch]:
    res = _duration_res()
    out = []
    windows = _time_windows(text) if anchored else {}
    for p in _number_phrases(text):
        m = res["after"].match(text, p.end)
        if m is None or _AGO_BEFORE.search(text, max(0, p.outer - 8), p.outer):
            continue
        info = time_unit_of(m.group("unit"))
        if info is None or (info[1] == 10 and not _decade_cued(text, p.outer, m.end())):
            continue
        value = _duration_value(m.group("unit"), p.value, bool(m.group("half")))
        if value is not None:
            out.append(DurationMatch(text[p.start : m.end()], p.start, m.end(), value))
    for name, family in _DURATION_FAMILY.items():
        for m in finditer_in(res[name], text, windows.get(family)):
            s, e = m.span("body")
            if name in ("dual", "cue_singular") and _AGO_BEFORE.search(text, max(0, s - 8), s):
                continue
            if name == "en_article" and _FREQUENCY_BEFORE.search(text, max(0, s - 8), s):
                continue
            unit_form = m.group("unit")
            info = time_unit_of(unit_form)
            if info is None:
                continue
            if name == "dual" and info[1] == 10 and not _decade_cued(text, s, e):
                continue
            count = Decimal(2 if fold_key(unit_form) in _dual_keys() else 1)
            half = bool(m.groupdict().get("half")) or name == "singular_half"
            value = _duration_value(unit_form, count, half)
            if value is not None:
                out.append(DurationMatch(text[s:e], s, e, value))
    return out


@functools.cache
def _dual_keys() -> frozenset[str]:
    return frozenset(fold_key(f) for f in time_unit_forms("ar_dual"))


@functools.cache
def _decade_cue_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load_data("units.yaml")
    cues = alternation(data["duration_cues"]["ar"], arabic=True)
    tails = alternation(data["duration_tails"]["ar"], arabic=True)
    return compile_re(rf"{cues}\s+(?:[بل])?$"), compile_re(rf"\s+{tails}")


def _decade_cued(text: str, start: int, end: int) -> bool:
    """عقد/عقود also mean "contract(s)": an Arabic decade needs a cue before or a tail after."""
    if not re.search(ARABIC, text[start:end]):
        return True
    before, after = _decade_cue_res()
    return bool(before.search(text, max(0, start - 20), start) or after.match(text, end))


_JOIN_DURATIONS = re.compile(r"\s*(?:،|,)?\s*(?:و|(?i:and))?\s*")


def find_durations(text: str) -> list[DurationMatch]:
    """Lengths of time: "25 عاما", "عقدا من الوقت", "six months", "25-year sentence".

    Ages ("البالغ من العمر 57 عاما", "57-year-old") and offsets into the past ("قبل عامين",
    "two years ago") are not durations. "منذ عامين" is returned both here ("for two
    years") and by find_dates ("two years ago"): the caller decides by context.
    """
    _check_text(text)
    return _durations(text)


def _durations(text: str, anchored: bool = True) -> list[DurationMatch]:
    ages = [(a.start, a.end) for a in _ages(text, anchored)]
    cands = [
        d
        for d in _duration_candidates(text, anchored)
        if not any(s < d.end and d.start < e for s, e in ages)
        and not _AGO_AFTER.match(text, d.end)
        and not _OLD_AFTER.match(text, d.end)
    ]
    cands = _without_overlaps(sorted(cands, key=lambda d: (d.start, d.start - d.end)))
    return _merge_durations(text, cands)


def _merge_durations(text: str, durations: list[DurationMatch]) -> list[DurationMatch]:
    """ "ثلاث سنوات وستة أشهر" is one duration of {"years": 3, "months": 6}."""
    out: list[DurationMatch] = []
    for d in durations:
        if out:
            prev = out[-1]
            gap = text[prev.end : d.start]
            if _JOIN_DURATIONS.fullmatch(gap) and not set(prev.value) & set(d.value):
                value = {**prev.value, **d.value}
                out[-1] = DurationMatch(text[prev.start : d.end], prev.start, d.end, value)
                continue
        out.append(d)
    return out
