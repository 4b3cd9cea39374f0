"""Paragraphs and sentences as spans of the original text.

A sentence ends at . ! ? ؟ … ۔ followed by a space or the end of the text, at a
paragraph break (a blank line), and at a single line break unless the line was
visibly wrapped mid-sentence (it ends with a comma or a word such as "of" / "في", or
the next line starts in lower case): headlines and captions have no full stop.

It does not end at the Arabic comma, inside a quotation (وقال إنه "... . ..." ends
after the closing quote), after an abbreviation from `data/abbreviations.yaml` or a
single initial ("J. R."), nor inside a number ("2.5", where no space follows the dot).
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from importlib import resources
from typing import NamedTuple

import yaml

from raqib.model import Span
from raqib.text.arabic import fold

__all__ = ["paragraphs", "sentences"]

_LINE_BREAK = r"(?:\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028])"
_INLINE_SPACE = r"[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]"
_PARAGRAPH_BREAK = re.compile(rf"{_LINE_BREAK}(?:{_INLINE_SPACE}*{_LINE_BREAK})+|\u2029")
_LINE_BREAK_RE = re.compile(_LINE_BREAK)
_CLOSERS = "\"'”’»›)\\]\u201b\u201c"
_TERMINATOR = re.compile(
    # punctuation, closing quotes or brackets, Wikipedia-style notes "[1]", then a space
    rf"[.!?؟…۔]+[{_CLOSERS}]*(?:\[\d+\])*(?=\s|$)"
    # or a full stop typed without its space: "in need.And" (not "U.S.", "2.5")
    r"|(?<=[a-z]{2})\.(?=[A-Z][a-z])"
)
_QUOTES = re.compile("[\"“”„‟«»‘’‚‛‹›']")
_QUOTE_FAMILY = {
    **dict.fromkeys("\"“”„‟", "double"), **dict.fromkeys("«»", "guillemet"),
    **dict.fromkeys("‹›", "single-guillemet"), **dict.fromkeys("'‘’‚‛", "single"),
}
_OPENING_CONTEXT = "([{—–-:/" + "".join(_QUOTE_FAMILY)
_SENTENCE_PUNCT = ".,;:!?،؛؟…)]}"
_CLOSING_CONTEXT = _SENTENCE_PUNCT + "".join(_QUOTE_FAMILY)
_INITIAL = re.compile(r"[A-Z]\.")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.){2,}")
_LEADING_PUNCT = "\"'“”‘’«»‹›([{"
_NEXT_WORD = re.compile(r"\s*(\S*)")


class _Rules(NamedTuple):
    never_final: frozenset[str]
    maybe_final: frozenset[str]
    starters: frozenset[str]
    continuation_marks: frozenset[str]
    continuation_words: frozenset[str]
    max_quote: int


@cache
def _rules() -> _Rules:
    path = resources.files("raqib.text").joinpath("data", "abbreviations.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return _Rules(
        never_final=frozenset(data["never_final"]),
        maybe_final=frozenset(data["maybe_final"]),
        starters=frozenset(data["sentence_starters"]),
        continuation_marks=frozenset(data["continuation_marks"]),
        continuation_words=frozenset(fold(w) for w in data["continuation_words"]),
        max_quote=int(data["max_quote_chars"]),
    )


def _stripped(text: str, start: int, end: int) -> Span | None:
    """The span `[start, end)` without surrounding whitespace; None if nothing is left."""
    piece = text[start:end]
    core = piece.strip()
    if not core:
        return None
    begin = start + len(piece) - len(piece.lstrip())
    return Span(core, begin, begin + len(core))


def paragraphs(text: str) -> list[Span]:
    """Paragraph spans of `text`: the pieces between blank lines, stripped."""
    if not isinstance(text, str):
        raise TypeError(f"paragraphs() expects str, not {type(text).__name__}")
    spans, prev = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        spans.append(_stripped(text, prev, m.start()))
        prev = m.end()
    spans.append(_stripped(text, prev, len(text)))
    return [s for s in spans if s is not None]


def sentences(text: str) -> list[Span]:
    """Sentence spans of `text`, in order, stripped, covering all its non-space text."""
    if not isinstance(text, str):
        raise TypeError(f"sentences() expects str, not {type(text).__name__}")
    out: list[Span] = []
    for para in paragraphs(text):
        cuts = sorted({*_line_cuts(para.text), *_punctuation_cuts(para.text)})
        bounds = [0, *cuts, len(para.text)]
        pieces = [s for a, b in itertools.pairwise(bounds) if (s := _stripped(para.text, a, b))]
        for piece in _attach_punctuation(para.text, pieces):
            out.append(Span(piece.text, para.start + piece.start, para.start + piece.end))
    return out


def _attach_punctuation(para: str, pieces: list[Span]) -> list[Span]:
    """Join pieces that are only punctuation to a neighbour.

    A lone closing quote on its own line belongs to the sentence before it; a "." or
    "-" that opens a line is a bullet and belongs to the text after it on that line.
    """
    out: list[Span] = []
    pending: Span | None = None  # a bullet waiting for the rest of its line
    for piece in pieces:
        if pending is not None:
            piece = _join(para, pending, piece)
            pending = None
        if any(c.isalnum() for c in piece.text):
            out.append(piece)
        elif _opens_line(para, piece) and not _ends_line(para, piece):
            pending = piece
        elif out:
            out[-1] = _join(para, out[-1], piece)
        else:
            out.append(piece)
    if pending is not None:
        out.append(pending)
    return out


def _join(para: str, first: Span, second: Span) -> Span:
    return Span(para[first.start:second.end], first.start, second.end)


def _opens_line(para: str, piece: Span) -> bool:
    line_start = max(para.rfind("\n", 0, piece.start), para.rfind("\r", 0, piece.start)) + 1
    return not para[line_start:piece.start].strip()


def _ends_line(para: str, piece: Span) -> bool:
    m = _LINE_BREAK_RE.search(para, piece.end)
    return not para[piece.end:m.start() if m else len(para)].strip()


# ---------------------------------------------------------------------------
# Line breaks
# ---------------------------------------------------------------------------


def _line_cuts(para: str) -> list[int]:
    """Line breaks that end a sentence: all but those inside a wrapped sentence."""
    rules = _rules()
    return [
        m.start() for m in _LINE_BREAK_RE.finditer(para)
        if not _is_wrapped(_word_before(para, m.start(), strip=False),
                           _next_word(para, m.end()), rules)
    ]


def _is_wrapped(last_word: str, next_word: str, rules: _Rules) -> bool:
    """True when a line ending in `last_word` goes on in the next line."""
    if last_word[-1:] in rules.continuation_marks or next_word[:1].islower():
        return True
    return fold(last_word) in rules.continuation_words


# ---------------------------------------------------------------------------
# Punctuation
# ---------------------------------------------------------------------------


def _punctuation_cuts(para: str) -> list[int]:
    """Ends of sentence-final punctuation (with closing quotes) that end a sentence."""
    if not any(c in para for c in ".!?؟…۔"):
        return []
    rules = _rules()
    quotes = [(a, b) for a, b in _quotations(para) if b - a <= rules.max_quote]
    cuts = []
    for m in _TERMINATOR.finditer(para):
        if _inside_quote(quotes, m.start(), m.end()):
            continue
        if _continues(para, m.start(), m.end(), rules):
            continue
        cuts.append(m.end())
    return cuts


def _continues(para: str, start: int, end: int, rules: _Rules) -> bool:
    """True when the punctuation at [start, end) does not end the sentence."""
    term = para[start:end].rstrip(_CLOSERS + "[]0123456789")
    next_word = _next_word(para, end)
    if next_word[:1].islower() and term in (".", "...", "…"):
        return True  # "approx. five", "e.g. the", an unknown abbreviation
    if term != ".":
        return False
    word = _word_before(para, start) + "."
    if word in rules.never_final or _INITIAL.fullmatch(word):
        return True
    if word in rules.maybe_final or _ACRONYM.fullmatch(word):
        return bool(next_word) and next_word not in rules.starters
    return False


def _word_before(para: str, index: int, *, strip: bool = True) -> str:
    """The word that ends at `index` (after any spaces), without opening punctuation."""
    end = index
    while end > 0 and para[end - 1].isspace():
        end -= 1
    begin = end
    while begin > 0 and not para[begin - 1].isspace():
        begin -= 1
    return para[begin:end].lstrip(_LEADING_PUNCT) if strip else para[begin:end]


def _next_word(para: str, index: int) -> str:
    """The next word after `index`, without opening punctuation."""
    m = _NEXT_WORD.match(para, index)
    return m.group(1).lstrip(_LEADING_PUNCT) if m else ""


# ---------------------------------------------------------------------------
# Quotations
# ---------------------------------------------------------------------------


def _quotations(para: str) -> list[tuple[int, int]]:
    """(opening, closing) index pairs of the quotations in a paragraph.

    Straight and typographic quotes are told apart by context, not by shape (Arabic
    pages often type them reversed, as in ’تاجر الموت‛): a quote opens after a space
    and before a letter, and closes after a letter and before a space or punctuation.
    An apostrophe between two letters is neither. Unclosed quotes are ignored.
    """
    pairs: list[tuple[int, int]] = []
    open_at: dict[str, int] = {}
    for m in _QUOTES.finditer(para):
        i, family = m.start(), _QUOTE_FAMILY[m.group()]
        before = para[i - 1] if i else " "
        after = para[i + 1] if i + 1 < len(para) else " "
        if family == "single" and before.isalnum() and after.isalnum():
            continue  # an apostrophe: Lebanon’s, O'Brien
        can_open = (before.isspace() or before in _OPENING_CONTEXT) and not (
            after.isspace() or after in _SENTENCE_PUNCT
        )
        can_close = not before.isspace() and (after.isspace() or after in _CLOSING_CONTEXT)
        if family in open_at and (can_close or not can_open):
            if can_close or family == "double":
                pairs.append((open_at.pop(family), i))
        elif family not in open_at and (can_open or (family == "double" and not can_close)):
            open_at[family] = i
    return pairs


def _inside_quote(quotes: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when punctuation at [start, end) is inside a quotation it does not close."""
    return any(open_ < start and close >= end for open_, close in quotes)
