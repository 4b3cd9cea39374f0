"""Remove page chrome from plain text: the lines of a scraped page that are not the article.

A scrape of a news page keeps the article's lines but also the page around it: the
section label, photo captions (often twice: alt text and caption), the byline, rating
prompts, CAPTCHA labels, share and subscribe buttons, link rails. The patterns live in
data/chrome.yaml; this module applies them line by line, lifts the section label and
the byline into metadata, and keeps every removed line, in order, for review.

Lines are stripped at both ends but never changed inside: offsets computed later point
into the text assembled here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import regex
import yaml

__all__ = [
    "Block",
    "Dechromed",
    "dechrome",
    "is_caption",
    "is_chrome_line",
    "join_blocks",
    "load_chrome_data",
    "looks_like_headline",
    "match_byline",
    "split_blocks",
]

# Stripped from line ends besides Unicode whitespace: zero-width and direction marks that
# scrapers leave around lines, which would otherwise make an empty line look non-empty.
_EDGE_INVISIBLES = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"

Block = list[str]


@dataclass(slots=True)
class Dechromed:
    """The article's blocks (paragraphs as lists of lines) and what was lifted or removed."""

    blocks: list[Block]
    removed: list[str] = field(default_factory=list)
    section: str | None = None
    byline: str | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class _Rules:
    line: regex.Pattern[str]
    prefix: regex.Pattern[str]
    captions: tuple[regex.Pattern[str], ...]
    bylines: tuple[regex.Pattern[str], ...]
    byline_search_lines: int
    byline_max_words: int
    section_max_words: int
    section_max_chars: int
    breadcrumb: regex.Pattern[str]
    headline_max_words: int
    sentence_end: regex.Pattern[str]


@cache
def load_chrome_data() -> dict[str, Any]:
    """The contents of data/chrome.yaml with <<definitions>> expanded in every pattern."""
    text = resources.files("raqib.ingest").joinpath("data/chrome.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    definitions: dict[str, str] = data.pop("definitions", {})
    for kind in ("lines", "prefixes"):
        data[kind] = {
            language: [_expand(pattern, definitions) for pattern in patterns]
            for language, patterns in data[kind].items()
        }
    return data


def _expand(pattern: str, definitions: dict[str, str]) -> str:
    for name, value in definitions.items():
        pattern = pattern.replace(f"<<{name}>>", f"(?:{value})")
    return pattern


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@cache
def _rules() -> _Rules:
    data = load_chrome_data()
    flags = regex.IGNORECASE
    every = [p for patterns in data["lines"].values() for p in patterns]
    prefixes = [p for patterns in data["prefixes"].values() for p in patterns]
    pad = data["padding"]
    sep = data["bylines"]["separator"]
    return _Rules(
        line=regex.compile(rf"{pad['before']}(?:{_alternation(every)}){pad['after']}", flags),
        prefix=regex.compile(rf"{pad['before']}(?:{_alternation(prefixes)})", flags),
        captions=tuple(regex.compile(p, flags) for p in data["captions"]),
        # Case-sensitive: English name patterns rely on capital letters.
        bylines=tuple(regex.compile(rf"(?:{p})(?:{sep}.*)?") for p in data["bylines"]["patterns"]),
        byline_search_lines=int(data["bylines"]["search_lines"]),
        byline_max_words=int(data["bylines"]["max_words"]),
        section_max_words=int(data["section"]["max_words"]),
        section_max_chars=int(data["section"]["max_chars"]),
        breadcrumb=regex.compile(data["section"]["breadcrumb_separators"]),
        headline_max_words=int(data["headline"]["max_words"]),
        sentence_end=regex.compile(data["headline"]["sentence_end"]),
    )


def split_blocks(text: str) -> list[Block]:
    """Blank-line separated blocks of stripped, non-empty lines."""
    blocks: list[Block] = []
    current: Block = []
    for raw in text.splitlines():
        line = raw.strip().strip(_EDGE_INVISIBLES).strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def join_blocks(blocks: list[Block]) -> str:
    """Lines of a block joined by a newline, blocks (paragraphs) by a blank line."""
    return "\n\n".join("\n".join(block) for block in blocks if block)


def is_chrome_line(line: str) -> bool:
    """A line of page furniture: rating prompt, CAPTCHA, share button, link rail, ad."""
    rules = _rules()
    return bool(rules.line.fullmatch(line) or rules.prefix.match(line))


def is_caption(line: str) -> bool:
    """A photo caption: a line carrying a photo credit."""
    return any(pattern.search(line) for pattern in _rules().captions)


def match_byline(line: str) -> tuple[str, str | None] | None:
    """(byline, outlet or None) when the whole line is a byline, else None."""
    rules = _rules()
    if len(line.split()) > rules.byline_max_words:
        return None
    for pattern in rules.bylines:
        match = pattern.fullmatch(line)
        if match:
            outlet = match.groupdict().get("outlet")
            return match.group("byline").strip(), outlet.strip() if outlet else None
    return None


def looks_like_headline(line: str) -> bool:
    """One line, not too long, not ending like a sentence."""
    rules = _rules()
    words = len(line.split())
    return 0 < words <= rules.headline_max_words and not rules.sentence_end.search(line)


def dechrome(
    blocks: list[Block], *, find_section: bool = True, find_byline: bool = True
) -> Dechromed:
    """Remove chrome lines from `blocks`; lift the section label and byline if asked."""
    removed: list[tuple[int, str]] = []
    kept = _drop_chrome(blocks, removed)
    result = Dechromed(blocks=[])
    if find_section:
        result.section = _lift_section(kept, removed)
    if find_byline:
        result.byline, result.outlet = _lift_byline(kept, removed)
    result.blocks = _regroup(kept)
    result.removed = [line for _, line in sorted(removed, key=lambda item: item[0])]
    return result


# Kept lines carry (position in the input, block number, line) so that removals can be
# reported in input order and blocks rebuilt afterwards.
_Line = tuple[int, int, str]


def _drop_chrome(blocks: list[Block], removed: list[tuple[int, str]]) -> list[_Line]:
    kept: list[_Line] = []
    previous: str | None = None
    position = 0
    for number, block in enumerate(blocks):
        for line in block:
            if is_chrome_line(line) or is_caption(line):
                removed.append((position, line))
            elif line == previous:
                # The second copy of a line: alt text and caption, or a scraper's echo.
                removed.append((position, line))
            else:
                kept.append((position, number, line))
            previous = line
            position += 1
    return kept


def _lift_section(kept: list[_Line], removed: list[tuple[int, str]]) -> str | None:
    """The first line, when it is a short label (or breadcrumb) above a headline."""
    if len(kept) < 3:
        return None
    position, _, first = kept[0]
    label = _section_label(first)
    if label is None or not looks_like_headline(kept[1][2]) or len(kept[1][2]) <= len(first):
        return None
    if match_byline(first):
        return None
    removed.append((position, first))
    del kept[0]
    return label


def _section_label(line: str) -> str | None:
    rules = _rules()
    parts = [part.strip() for part in rules.breadcrumb.split(line) if part.strip()]
    if not parts:
        return None
    for part in parts:
        if (
            len(part.split()) > rules.section_max_words
            or len(part) > rules.section_max_chars
            or any(ch.isdigit() for ch in part)
            or regex.search(r"[.!?؟:،,;]$", part)
        ):
            return None
    return parts[-1]


def _lift_byline(
    kept: list[_Line], removed: list[tuple[int, str]]
) -> tuple[str | None, str | None]:
    limit = _rules().byline_search_lines
    for index, (position, _, line) in enumerate(kept[:limit]):
        found = match_byline(line)
        if found:
            removed.append((position, line))
            del kept[index]
            return found
    return None, None


def _regroup(kept: list[_Line]) -> list[Block]:
    blocks: list[Block] = []
    last_block = -1
    for _, number, line in kept:
        if number != last_block:
            blocks.append([])
            last_block = number
        blocks[-1].append(line)
    return blocks
