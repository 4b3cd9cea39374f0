"""Fold Arabic (and Latin) text for matching, keeping a map back to the original.

Everything downstream matches on folded text: "أحمد", "احمد" and "أَحْمَد" must be one
key, "٢٠٢٤" must equal "2024", "«" must equal '"'. But every fact must be reported as a
span of the original text, so `normalize` also returns, for each folded character, the
index of the original character it came from.

Folding choices. They are made per character (one str.translate table), apart from
collapsing whitespace runs and the free-standing tatweel of `_free_tatweel`, so that a
substring folds as it does in its context:

- removed: tashkeel U+064B-U+065F, superscript alef U+0670, Quranic marks U+0610-U+061A
  and U+06D6-U+06ED, the other Arabic combining marks of U+08xx, tatweel U+0640 inside a
  word, zero-width and bidi controls, the soft hyphen, and C0/C1 control characters;
- alef variants أ إ آ ٱ ٲ ٳ ٵ → ا; ى → ي; ة → ه; hamza seats ؤ → و, ئ → ي. A standalone
  hamza ء is KEPT: dropping it would merge words such as "ماء" (water) and "ما" (what);
- letters of Persian, Urdu, Kurdish and Maghrebi spelling that Arabic outlets use for
  foreign names fold to the Arabic letter readers treat as equivalent: ی ې ۍ ے → ي,
  ک ڪ گ → ك, ہ ە ھ ۀ ۃ → ه, ڤ ڥ (V) → ف, ڨ → ق, پ → ب, چ → ج, ژ → ز, ۆ ۇ ۈ ۋ → و;
- Arabic-Indic ٠-٩ and Eastern ۰-۹ digits → 0-9; ، → , ؛ → ; ؟ → ? ۔ → . ٪ → %,
  Arabic decimal ٫ → . and thousands ٬ → ,;
- typographic single quotes and primes → ', double quotes, guillemets and double primes
  → ", every dash and the minus sign → -, and a tatweel standing alone between spaces
  (used as a dash in "واشنطن ـ رويترز") → -;
- any whitespace run (NBSP, thin space, newlines ...) → one space; nothing is stripped;
- Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF), small and full-width forms
  are replaced by their NFKC compatibility form (so the ligature ﻻ gives "لا");
- Unicode case folding (`str.casefold`) last. Latin accents are kept.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

__all__ = ["Normalized", "OffsetMap", "fold", "normalize"]

TATWEEL = "\u0640"

# ---------------------------------------------------------------------------
# The translation table: built once at import from explicit, documented rules.
# ---------------------------------------------------------------------------

_COMBINING_RANGES = (
    (0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED),
)
_FORMAT_CONTROLS = (
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0xFEFF, 0xFEFF), (0x061C, 0x061C), (0x00AD, 0x00AD), (0x180E, 0x180E),
)
_LETTERS = {
    "ا": "أإآٱٲٳٵ", "ي": "ىئیېۍێےۓٸ", "ه": "ةہەھۀۂۃ", "و": "ؤۆۇۈۉۊۋۏٶٷ",
    "ك": "کڪگ", "ف": "ڤڥ", "ق": "ڨ", "ب": "پ", "ج": "چ", "ز": "ژ", "ء": "\u0674",
}
_PUNCT = {
    ",": "،٬⹁", ";": "؛", "?": "؟⸮", ".": "۔٫", "%": "٪",
    "'": "‘’‚‛′‵‹›ʼ", '"': "“”„‟″‶«»",
    "-": "‐‑‒–—―−﹘﹣",
}
_COMPAT_RANGES = ((0xFB50, 0xFDFF), (0xFE50, 0xFE6F), (0xFE70, 0xFEFE), (0xFF01, 0xFF5E))


def _explicit_table() -> dict[int, str]:
    """Rules that map a character straight to its folded form ('' = removed)."""
    table: dict[int, str] = {}
    for lo, hi in _COMBINING_RANGES + _FORMAT_CONTROLS:
        table.update(dict.fromkeys(range(lo, hi + 1), ""))
    # The other Arabic combining marks (Extended-A Quranic annotation signs).
    for cp in range(0x08CA, 0x0900):
        if unicodedata.category(chr(cp)) == "Mn":
            table[cp] = ""
    table[ord(TATWEEL)] = ""
    for cp in [*range(0x00, 0x20), *range(0x7F, 0xA0)]:
        table[cp] = " " if chr(cp).isspace() else ""
    for cp in range(0x00A0, 0x3001):
        if chr(cp).isspace():
            table[cp] = " "
    for target, sources in (_LETTERS | _PUNCT).items():
        table.update(dict.fromkeys(map(ord, sources), target))
    for zero in (0x0660, 0x06F0):
        table.update({zero + i: str(i) for i in range(10)})
    return table


def _compat_fold(char: str, explicit: dict[int, str]) -> str:
    """NFKC of a presentation or width form, then the explicit rules on the result."""
    nfkc = unicodedata.normalize("NFKC", char)
    if nfkc == char:
        return char
    out = "".join(explicit.get(ord(c), c) for c in nfkc)
    # Isolated forms of harakat decompose to SPACE + mark; the space is an artefact.
    if nfkc[:1] == " " and len(nfkc) > 1 and unicodedata.combining(nfkc[1]):
        out = out.lstrip(" ")
    return out


def _build_table() -> dict[int, str]:
    table = _explicit_table()
    for lo, hi in _COMPAT_RANGES:
        for cp in range(lo, hi + 1):
            if cp in table:
                continue
            folded = _compat_fold(chr(cp), table)
            if folded != chr(cp):
                table[cp] = folded
    # The few characters whose case folding is longer than one (ß → ss, ﬁ → fi, İ → i̇)
    # are expanded by the table, so that the final `casefold()` never changes the length
    # and the offset map only has to follow the table. (No astral character does this.)
    for cp in range(0x10000):
        if cp not in table and len(chr(cp).casefold()) > 1:
            table[cp] = chr(cp).casefold()
    # Fold what the rules produced, until nothing changes (ŉ → ʼn → 'n), so that
    # folding twice gives the same text as folding once.
    changed = True
    while changed:
        changed = False
        for cp, value in table.items():
            again = "".join(table.get(ord(c), c) for c in value)
            if again != value:
                table[cp], changed = again, True
    return table


_TABLE_STR: dict[int, str] = _build_table()
# str.translate looks each character up with `table[ord(c)]`. A dict raises KeyError for
# every character it does not change, which costs more than the lookup; a list over the
# BMP never misses (astral characters raise IndexError and stay as they are, correctly).
# Ints for 1:1 rules and None for deletions are the forms translate handles fastest.
_TABLE: list[int | str | None] = list(range(0x10000))
for _cp, _value in _TABLE_STR.items():
    _TABLE[_cp] = None if _value == "" else ord(_value) if len(_value) == 1 else _value


def _char_class(codepoints: Sequence[int]) -> str:
    """A compact regex character class for a set of code points."""
    cps = sorted(set(codepoints))
    parts, i = [], 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = cps[i], cps[j]
        parts.append(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}")
        i = j + 1
    return "[" + "".join(parts) + "]"


_DELETED = [cp for cp, v in _TABLE_STR.items() if v == ""]
_EXPANDED = [cp for cp, v in _TABLE_STR.items() if len(v) > 1]
_SPACES = [ord(" "), *(cp for cp, v in _TABLE_STR.items() if v == " ")]
# What changes the length of the text, found in the original: a run of whitespace (with
# removed characters inside) that collapses to its first space, a run of removed
# characters, or one character that expands (a ligature, ß).
_DEL, _SP = _char_class(_DELETED), _char_class(_SPACES)
_IRREGULAR = re.compile(
    f"(?P<space>{_SP}(?:{_DEL}*{_SP})+)|(?P<deleted>{_DEL}+)|{_char_class(_EXPANDED)}"
)
_SPACE_RUN = re.compile(" {2,}")
_CONTROLS = _char_class([cp for cp in _DELETED if unicodedata.category(chr(cp)) in ("Cc", "Cf")])
# A tatweel run followed by a space, a control or the end; `_free_tatweel` checks the
# character before it (a leading look-behind would stop the regex from skipping ahead).
_TATWEEL_RUN = re.compile(f"{TATWEEL}+(?![^\\s{_CONTROLS[1:-1]}])")
_CONTROL_RE = re.compile(_CONTROLS)
# Removed characters that do not belong to the word before them (spaces, invisible
# controls). Removed combining marks, in contrast, belong to the preceding letter.
_DETACHED = frozenset(
    chr(cp) for cp in _DELETED if unicodedata.category(chr(cp)) in ("Cc", "Cf")
) | frozenset(chr(cp) for cp, v in _TABLE_STR.items() if v == " ") | {" "}


def _free_tatweel(text: str) -> str:
    """Turn a free-standing tatweel into "-" (same length, so no offset change).

    Newspapers type "واشنطن ـ رويترز" with a tatweel as a dash; inside a word the same
    character only stretches the letters and is removed.
    """
    if TATWEEL not in text:
        return text
    pieces: list[str] = []
    prev = 0
    for m in _TATWEEL_RUN.finditer(text):
        i = m.start()
        if i == 0 or text[i - 1].isspace() or _CONTROL_RE.match(text, i - 1):
            pieces += (text[prev:i], "-" * (m.end() - i))
            prev = m.end()
    if not pieces:
        return text
    pieces.append(text[prev:])
    return "".join(pieces)


def _collapse(text: str) -> str:
    return _SPACE_RUN.sub(" ", text) if "  " in text else text


def fold(text: str) -> str:
    """Fold `text` for matching and keys; equal to `normalize(text).text`, but faster."""
    if not isinstance(text, str):
        raise TypeError(f"fold() expects str, not {type(text).__name__}")
    return _collapse(_free_tatweel(text).translate(_TABLE)).casefold()


# ---------------------------------------------------------------------------
# normalize: the same folding, with the offset map.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Normalized:
    """Folded text plus the map back to the original.

    `offsets[i]` is the index in `original` of the character that folded character `i`
    came from, and `offsets[len(text)] == len(original)`. It is a `range` when folding
    did not change the length (common in clean English), else an `OffsetMap`.
    """

    text: str
    offsets: Sequence[int]
    original: str

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the folded span `[start, end)` to the original span that produced it.

        The result covers whole original characters: the whole source of a folded
        ligature, and removed diacritics or tatweel right after the last character;
        it leaves out trailing spaces and invisible controls that were folded away.
        """
        n = len(self.text)
        if not (0 <= start <= end <= n):
            raise ValueError(f"span [{start}, {end}) is outside the folded text of length {n}")
        offsets, original = self.offsets, self.original
        begin = offsets[start]
        if start == end:
            return begin, begin
        last = offsets[end - 1]
        j = end
        while j < n and offsets[j] == last:  # the rest of an expanded character
            j += 1
        stop = offsets[j]
        while stop - 1 > last and _is_detached(original, stop - 1):
            stop -= 1
        return begin, stop

    def span_text(self, start: int, end: int) -> str:
        """The original text of the folded span `[start, end)`."""
        a, b = self.to_original(start, end)
        return self.original[a:b]


def _is_detached(original: str, i: int) -> bool:
    """True for a removed character that should not end a span (see `_DETACHED`)."""
    char = original[i]
    if char in _DETACHED:
        return True
    # A tatweel after a space leads into the next word rather than trailing this one.
    return char == TATWEEL and (i == 0 or original[i - 1].isspace())


class OffsetMap(Sequence[int]):
    """The folded-to-original index map, stored as pieces instead of one int per char.

    Piece `k` starts at folded index `starts[k]`, where the original index is
    `origins[k]`, and grows by `steps[k]` (1, or 0 inside an expanded character) per
    folded character. Folding changes the length only at a few places, so a
    document needs few pieces: building the map costs a regex scan, not a Python
    step per character, and a lookup is a binary search.
    """

    __slots__ = ("_length", "_origins", "_starts", "_steps")

    def __init__(self, starts: array, origins: array, steps: array, length: int) -> None:
        self._starts, self._origins, self._steps, self._length = starts, origins, steps, length

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("offset index out of range")
        k = bisect_right(self._starts, index) - 1
        return self._origins[k] + self._steps[k] * (index - self._starts[k])

    def __iter__(self) -> Iterator[int]:
        bounds = [*self._starts[1:], self._length]
        for start, stop, origin, step in zip(
            self._starts, bounds, self._origins, self._steps, strict=True
        ):
            yield from (range(origin, origin + stop - start) if step else [origin] * (stop - start))

    def __repr__(self) -> str:
        return f"OffsetMap({list(self)!r})" if self._length < 40 else f"OffsetMap(<{self._length}>)"


def _offset_map(source: str) -> Sequence[int]:
    """The offsets of `fold(source)`: each folded character's index in `source`."""
    if _IRREGULAR.search(source) is None:
        return range(len(source) + 1)
    starts, origins, steps = array("q", [0]), array("q", [0]), array("b", [1])

    def piece(start: int, origin: int, step: int) -> None:
        if starts[-1] == start:  # a later piece at the same place replaces an empty one
            origins[-1], steps[-1] = origin, step
        else:
            starts.append(start)
            origins.append(origin)
            steps.append(step)

    shift = 0  # folded index minus original index, so far
    for m in _IRREGULAR.finditer(source):
        i, j = m.span()
        if m.lastgroup == "space":  # one space stays, at the run's first character
            piece(i + shift + 1, j, 1)
            shift -= j - i - 1
        elif m.lastgroup == "deleted":
            piece(i + shift, j, 1)
            shift -= j - i
        else:
            k = len(_TABLE_STR[ord(source[i])])
            piece(i + shift, i, 0)
            piece(i + shift + k, j, 1)
            shift += k - 1
    length = len(source) + shift
    piece(length, len(source), 0)
    return OffsetMap(starts, origins, steps, length + 1)


def normalize(text: str) -> Normalized:
    """Fold `text` like `fold` and keep, per folded character, its original index."""
    if not isinstance(text, str):
        raise TypeError(f"normalize() expects str, not {type(text).__name__}")
    source = _free_tatweel(text)
    folded = _collapse(source.translate(_TABLE)).casefold()
    offsets = _offset_map(source)
    if len(offsets) != len(folded) + 1:  # a broken invariant of the table: never silent
        raise AssertionError("offset map does not match the folded text")
    return Normalized(folded, offsets, text)
