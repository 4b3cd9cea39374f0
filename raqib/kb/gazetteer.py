"""Find knowledge-base names in text: Aho-Corasick over folded aliases, clitic-aware.

Matching runs on the folded text (`raqib.text.arabic.normalize`), so orthographic
variants (أ/ا, ى/ي, ة/ه, diacritics, Arabic-Indic digits, case) all meet; every hit is
mapped back to code-point offsets of the original text.

Arabic attaches proclitics to names ("للحوثيين", "وبموسكو", "والكرملين"). Rather than
stemming every token of every document, each Arabic alias is indexed together with its
clitic-prefixed forms; the hit records how many folded characters belong to the clitic
so that the reported span starts at the name itself. "لل" is ل + the article with its
alef elided, so "للحوثيين" is indexed from the alias "الحوثيين" as well.

pyahocorasick was chosen over ahocorasick-rs: both are permissively licensed and fast,
but pyahocorasick stores an arbitrary Python value per key (we need the entry ids and
the clitic length) and iterates matches with their end offsets in one C loop; see
docs/benchmarks.md for the measurement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from raqib.text.arabic import Normalized, fold, normalize

# Proclitic sequences that may stand before a name; "ال" variants are handled apart.
PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك")
ARTICLE_PROCLITICS = ("و", "ف", "ب", "ك", "وب", "فب", "وك")  # before a name with "ال"
ELIDING_PROCLITICS = ("ل", "ول", "فل")  # ل + ال → لل: the alef drops


@dataclass(frozen=True, slots=True)
class Target:
    """One knowledge-base entry a folded key can stand for."""

    entry_id: str
    kind: str  # "name" | "alias" | "demonym"
    form: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A name found in a text: original offsets, and the entries it may refer to."""

    start: int
    end: int
    text: str
    targets: tuple[Target, ...]


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def _keys_for(key: str) -> Iterable[tuple[str, int]]:
    """The folded key and its clitic-prefixed variants, with the clitic's length."""
    yield key, 0
    if not _is_arabic(key):
        return
    if key.startswith("ال"):
        for prefix in ARTICLE_PROCLITICS:
            yield prefix + key, len(prefix)
        for prefix in ELIDING_PROCLITICS:
            # "لل" + rest: the span starts after both lāms, i.e. at the name proper.
            yield prefix + "ل" + key[2:], len(prefix) + 1
    else:
        for prefix in PROCLITICS:
            yield prefix + key, len(prefix)


def _is_boundary(text: str, index: int) -> bool:
    """True when `index` in folded text does not fall inside a word."""
    if index <= 0 or index >= len(text):
        return True
    return not (text[index - 1].isalnum() and text[index].isalnum())


class Gazetteer:
    """An immutable automaton over folded surface forms; build once, share read-only."""

    def __init__(self, forms: Iterable[tuple[str, str, str]]) -> None:
        table: dict[str, dict[Target, int]] = {}
        for form, entry_id, kind in forms:
            key = " ".join(fold(form).split())
            if len(key) < 2:
                continue
            target = Target(entry_id, kind, form)
            for variant, clitic in _keys_for(key):
                table.setdefault(variant, {})
                # An exact (clitic-free) reading wins over a clitic reading of the same key.
                previous = table[variant].get(target)
                table[variant][target] = clitic if previous is None else min(previous, clitic)
        self._automaton = ahocorasick.Automaton()
        for variant, targets in table.items():
            best = min(targets.values())
            chosen = tuple(t for t, c in targets.items() if c == best)
            self._automaton.add_word(variant, (len(variant), best, chosen))
        self.size = len(table)
        if self.size:
            self._automaton.make_automaton()

    def find(self, text: str, normalized: Normalized | None = None) -> list[Hit]:
        """Longest, leftmost, non-overlapping matches on word boundaries."""
        if not self.size:
            return []
        norm = normalized or normalize(text)
        folded = norm.text
        candidates = []
        for end_index, (length, clitic, targets) in self._automaton.iter(folded):
            start, end = end_index + 1 - length, end_index + 1
            if _is_boundary(folded, start) and _is_boundary(folded, end):
                candidates.append((start, end, clitic, targets))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        occupied = bytearray(len(folded))
        hits = []
        for start, end, clitic, targets in candidates:
            if any(occupied[start:end]):
                continue
            occupied[start:end] = b"\x01" * (end - start)
            o_start, o_end = norm.to_original(start + clitic, end)
            hits.append(Hit(o_start, o_end, text[o_start:o_end], targets))
        hits.sort(key=lambda h: h.start)
        return hits
