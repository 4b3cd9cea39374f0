"""Event and attribution lexicons: per-language YAML data, expanded, validated, loaded once.

The word lists live in `lexicon/<lang>.yaml` (see `lexicon/README.md` for the format and
how the matcher is meant to use each section). This module turns a file into typed,
frozen dataclasses and refuses anything that would make the rules silently wrong: an
unknown event type, role, status or stance, an empty or vocalised form, a role that the
event type does not have, or one surface form that means two different things without
being marked `ambiguous` (and, across event types, without saying how to tell them apart).

Forms may use a small pattern syntax, expanded here so the matcher only sees plain words:
`{a|b|}` is a choice (the empty choice makes it optional; no nesting), and a word `*` or
`*N` is a gap of up to 3 (or N) other words between two words of a phrase.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml

from raqib.model import EVENT_TYPES, OTHER_STATUSES, STANCES, TRANSFER_STATUSES
from raqib.text.arabic import fold as _text_fold
from raqib.text.tokens import tokenize

__all__ = [
    "EVENT_ROLES",
    "Anonymity",
    "Cue",
    "Form",
    "Lexicon",
    "LexiconError",
    "Modifier",
    "Morphology",
    "RoleCue",
    "SourceCue",
    "StatusCue",
    "Term",
    "Trigger",
    "build_index",
    "expand_pattern",
    "fold",
    "form_key",
    "load_lexicon",
    "load_lexicon_file",
]

# The contract's role table (EXTRACTION.md, "Event types and roles").
EVENT_ROLES: dict[str, tuple[str, ...]] = {
    "arms_transfer": ("supplier", "recipient", "broker", "weapon", "value", "quantity",
                      "origin", "destination", "place"),
    "seizure": ("seizer", "weapon", "quantity", "origin", "destination", "vessel", "place"),
    "arrest": ("person", "agent", "place"),
    "extradition": ("person", "from", "to"),
    "sentence": ("person", "court", "term", "charge", "place"),
    "release": ("person", "exchanged_for", "agent", "place"),
    "sanction": ("target", "authority", "program"),
    "meeting": ("participant", "place", "topic"),
}
OBJECT_CLASSES = ("weapon", "person")
VOICES = ("active", "passive", "noun")
CONFIDENCES = ("high", "low")
SIDES = ("before", "after", "either", "none")
MODIFIER_SLOTS = ("quality", "nationality", "role")
ALL_STATUSES = TRANSFER_STATUSES + OTHER_STATUSES

DEFAULT_MAX_GAP = 3
MAX_GAP = 8
MAX_EXPANSIONS = 256
# Lexicons hold words and short general phrases, never sentences copied from a text.
MAX_WORDS = 6

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_GAP = re.compile(r"\*([1-9])?")
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u0671-\u06d3]")
_LATIN_LETTER = re.compile("[A-Za-z]")
_FORM_PUNCT = set("'’-.&$%")


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the entry."""


# --------------------------------------------------------------------------- forms


def fold(text: str) -> str:
    """The key under which the matcher compares forms with text.

    This is the project's text folding (`raqib.text.arabic.fold`: case, diacritics,
    tatweel, أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ → و, ئ → ي, quotes, ...) with the ends trimmed,
    so two forms the matcher cannot tell apart are one form here too.
    """
    # Trimmed on purpose: `fold` keeps edge spaces (it must, to keep its offset map),
    # but a lexicon form written with a stray space in YAML is still the same form.
    return _text_fold(text).strip()


def form_key(text: str) -> str:
    """The lookup key of a piece of text: its tokens, folded, joined by single spaces.

    Words are the project tokenizer's tokens, so punctuation is a word of its own
    ("u.s." is u . s .) exactly as it will be in the text being matched.
    """
    return " ".join(fold(token.text) for token in tokenize(text))


@dataclass(frozen=True, slots=True)
class Form:
    """One expanded surface form: words (tokens) to match in order, with optional gaps."""

    text: str  # as written after expansion, gaps shown as "*" / "*N"
    words: tuple[str, ...]
    gaps: tuple[int, ...]  # gaps[i]: other words allowed between words[i] and words[i + 1]

    @property
    def key(self) -> str:
        """The folded words, joined by spaces: what the matcher indexes."""
        return " ".join(fold(word) for word in self.words)


def expand_pattern(pattern: str) -> list[str]:
    """Expand `{a|b|}` choices into plain strings (whitespace collapsed, order kept)."""
    parts = re.split(r"(\{[^{}]*\})", pattern)
    options: list[list[str]] = []
    for part in parts:
        if part.startswith("{") and part.endswith("}"):
            options.append(part[1:-1].split("|"))
        elif "{" in part or "}" in part:
            raise ValueError(f"unbalanced or nested braces in {pattern!r}")
        else:
            options.append([part])
    count = 1
    for choice in options:
        count *= len(choice)
    if count > MAX_EXPANSIONS:
        raise ValueError(f"{pattern!r} expands to {count} forms (at most {MAX_EXPANSIONS})")
    out: list[str] = []
    for combo in itertools.product(*options):
        text = " ".join("".join(combo).split())
        if text not in out:
            out.append(text)
    return out


def _parse_form(text: str, max_gap: int) -> Form:
    """Split an expanded form into tokens, reading `*`/`*N` between them as gaps."""
    words: list[str] = []
    gaps: list[int] = []
    pending: int | None = None
    for chunk in text.split():
        gap = _GAP.fullmatch(chunk)
        if gap:
            if not words or pending is not None:
                raise ValueError(f"a gap must stand between two words: {text!r}")
            pending = int(gap.group(1)) if gap.group(1) else max_gap
            continue
        pieces = [token.text for token in tokenize(chunk)]
        if not pieces:
            raise ValueError(f"{chunk!r} in {text!r} holds no word")
        for i, piece in enumerate(pieces):
            if words:
                gaps.append((pending or 0) if i == 0 else 0)
            words.append(piece)
        pending = None
    if not words:
        raise ValueError("empty form")
    if pending is not None:
        raise ValueError(f"a gap must stand between two words: {text!r}")
    return Form(text=text, words=tuple(words), gaps=tuple(gaps))


def _check_script(form: Form, language: str) -> None:
    text = " ".join(w for w in form.text.split() if not _GAP.fullmatch(w))
    if _DIACRITICS.search(text) or "\u0640" in text:
        raise ValueError(f"{form.text!r}: write forms unvocalised, without diacritics or tatweel")
    for char in text:
        if not (char.isalnum() or char == " " or char in _FORM_PUNCT):
            raise ValueError(f"{form.text!r}: unexpected character {char!r}")
    if language == "ar" and (_LATIN_LETTER.search(text) or not _ARABIC_LETTER.search(text)):
        raise ValueError(f"{form.text!r}: an Arabic form must be written in Arabic letters")
    if language == "en" and _ARABIC_LETTER.search(text):
        raise ValueError(f"{form.text!r}: Arabic letters in the English lexicon")
    if len([w for w in form.text.split() if not _GAP.fullmatch(w)]) > MAX_WORDS:
        raise ValueError(f"{form.text!r}: more than {MAX_WORDS} words; lexicons hold phrases")


# --------------------------------------------------------------------------- entries


@dataclass(frozen=True, slots=True)
class Trigger:
    """Words that express an event of one type, with what the matcher must check."""

    id: str
    event: str
    forms: tuple[Form, ...]
    status: str | None = None  # default status when no status cue applies
    needs_object: str | None = None  # "weapon" | "person": such a word must be nearby
    requires_any: tuple[Form, ...] = ()  # one of these must occur in the sentence
    voice: str | None = None  # "active" | "passive" | "noun"
    agent_role: str | None = None  # role of the doer (grammatical subject when active)
    patient_role: str | None = None  # role of what the action is done to
    ambiguous: bool = False
    confidence: str = "high"  # "low": fire only with further evidence (two named parties)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RoleCue:
    """A preposition or phrase before an argument, and the role it signals per event type.

    Roles are in order of preference; the matcher takes the first that fits the
    argument (a location fits place/origin/destination, money fits value, ...).
    """

    id: str
    forms: tuple[Form, ...]
    roles: Mapping[str, tuple[str, ...]] = field(hash=False)  # read-only
    attached: bool = False  # a clitic glued to the next word (ل، ب)
    ambiguous: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class StatusCue:
    id: str
    forms: tuple[Form, ...]
    status: str
    events: tuple[str, ...]
    attached: bool = False  # a prefix glued to the verb (the future سـ)
    ambiguous: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SourceCue:
    """A reporting verb or phrase: the stance it gives and where source and claim are."""

    id: str
    forms: tuple[Form, ...]
    stance: str
    source: str  # where the source stands relative to the cue: before/after/either/none
    claim: str  # where the claim stands relative to the cue: before/after/either
    continuation: bool = False  # with no source of its own it inherits the current chain
    cites: bool = False  # the source after it is cited by the source before it
    ambiguous: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Cue:
    """A plain word or phrase of a list (negation, hedges, blockers, ...)."""

    id: str
    forms: tuple[Form, ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """A word with its English rendering (a media noun, a title, an anonymous source)."""

    id: str
    forms: tuple[Form, ...]
    en: str
    ambiguous: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Modifier:
    """An adjective in an anonymous-source description and its place in the English one."""

    id: str
    forms: tuple[Form, ...]
    en: str
    slot: str  # "quality" | "nationality" | "role": English order is quality nationality role
    ambiguous: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Anonymity:
    qualifiers: tuple[Cue, ...] = ()  # "who asked not to be named", لم يكشف عن اسمه
    phrases: tuple[Term, ...] = ()  # complete descriptions: "people familiar with the matter"
    heads: tuple[Term, ...] = ()  # مصدر → source, مسؤولون → officials
    modifiers: tuple[Modifier, ...] = ()  # أمني → security, أوروبي → European

    def describe(self, heads: Iterable[str], modifiers: Iterable[Modifier]) -> str:
        """English description from head words and modifiers: quality nationality role head."""
        order = {slot: i for i, slot in enumerate(MODIFIER_SLOTS)}
        mods = sorted(modifiers, key=lambda m: order[m.slot])
        return " ".join([*(m.en for m in mods), *heads])


@dataclass(frozen=True, slots=True)
class Morphology:
    """Clitics the matcher may strip from text words before comparing them with forms."""

    conjunctions: tuple[str, ...] = ()
    prepositions: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    enclitics: tuple[str, ...] = ()
    future_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Lexicon:
    language: str
    source: str  # the file it was read from, for messages
    max_gap: int
    morphology: Morphology
    triggers: tuple[Trigger, ...]
    role_cues: tuple[RoleCue, ...] = ()
    status_cues: tuple[StatusCue, ...] = ()
    status_precedence: tuple[str, ...] = ()
    source_cues: tuple[SourceCue, ...] = ()
    anonymity: Anonymity = field(default_factory=Anonymity)
    negation: tuple[Cue, ...] = ()
    denial: tuple[Cue, ...] = ()
    hedges: tuple[Cue, ...] = ()
    conditionals: tuple[Cue, ...] = ()
    generic: tuple[Cue, ...] = ()
    blockers: tuple[Cue, ...] = ()
    object_words: Mapping[str, tuple[Form, ...]] = field(default_factory=dict, hash=False)
    media_nouns: tuple[Term, ...] = ()
    titles: tuple[Term, ...] = ()

    def triggers_for(self, event: str) -> tuple[Trigger, ...]:
        return tuple(t for t in self.triggers if t.event == event)


E = TypeVar("E")


def build_index(entries: Iterable[E]) -> dict[str, tuple[E, ...]]:
    """Map each folded form key to the entries that list it (for the matcher's lookup)."""
    index: dict[str, list[E]] = {}
    for entry in entries:
        for form in entry.forms:  # type: ignore[attr-defined]
            bucket = index.setdefault(form.key, [])
            if entry not in bucket:
                bucket.append(entry)
    return {key: tuple(values) for key, values in index.items()}


# --------------------------------------------------------------------------- parsing


class _Reader:
    """Reads one YAML document into dataclasses; every error names file and entry."""

    def __init__(self, source: str, language: str, max_gap: int) -> None:
        self.source = source
        self.language = language
        self.max_gap = max_gap
        self.ids: set[str] = set()

    def fail(self, where: str, message: str) -> LexiconError:
        return LexiconError(f"{self.source}: {where}: {message}")

    def entries(self, data: Any, section: str) -> list[tuple[str, dict[str, Any]]]:
        """A section's list items as (where, mapping); a bare string means one form."""
        if data is None:
            return []
        if not isinstance(data, list):
            raise self.fail(section, "must be a list")
        out = []
        for i, item in enumerate(data):
            where = f"{section}[{i}]"
            if isinstance(item, str):
                item = {"forms": [item]}
            if not isinstance(item, dict):
                raise self.fail(where, "must be a mapping or a string")
            if "id" in item:
                where += f" ({item['id']})"
            elif isinstance(item.get("forms"), list) and item["forms"]:
                where += f" ({item['forms'][0]})"
            out.append((where, item))
        return out

    def keys(self, item: dict[str, Any], where: str, required: set[str], optional: set[str]
             ) -> None:
        missing = required - item.keys()
        if missing:
            raise self.fail(where, f"missing {', '.join(sorted(missing))}")
        unknown = item.keys() - required - optional - {"id", "note", "forms"}
        if unknown:
            raise self.fail(where, f"unknown key(s) {', '.join(sorted(unknown))}")

    def entry_id(self, item: dict[str, Any], where: str, section: str, index: int) -> str:
        ident = item.get("id") or f"{self.language}.{section}.{index}"
        if not isinstance(ident, str):
            raise self.fail(where, "id must be a string")
        if ident in self.ids:
            raise self.fail(where, f"duplicate id {ident!r}")
        self.ids.add(ident)
        return ident

    def forms(self, patterns: Any, where: str, attached: bool = False) -> tuple[Form, ...]:
        if not isinstance(patterns, list) or not patterns:
            raise self.fail(where, "forms must be a non-empty list")
        forms: list[Form] = []
        seen: set[str] = set()
        for pattern in patterns:
            if not isinstance(pattern, str) or not pattern.strip():
                raise self.fail(where, f"empty or non-text form {pattern!r}")
            try:
                for text in expand_pattern(pattern):
                    form = _parse_form(text, self.max_gap)
                    _check_script(form, self.language)
                    if attached and (len(form.words) != 1 or len(form.words[0]) > 3):
                        raise ValueError(f"{text!r}: an attached cue is one short clitic")
                    if form.key not in seen:  # variants that fold alike are one form
                        seen.add(form.key)
                        forms.append(form)
            except ValueError as exc:
                raise self.fail(where, str(exc)) from None
        return tuple(forms)

    def choice(self, item: dict[str, Any], key: str, allowed: Iterable[str | None], where: str,
               default: Any = None) -> Any:
        value = item.get(key, default)
        if value not in tuple(allowed):
            raise self.fail(where, f"{key} {value!r} is not one of {sorted(map(str, allowed))}")
        return value

    def flag(self, item: dict[str, Any], key: str, where: str) -> bool:
        value = item.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(where, f"{key} must be true or false")
        return value

    def text(self, item: dict[str, Any], key: str, where: str) -> str:
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"{key} must be a non-empty string")
        return value.strip()

    def note(self, item: dict[str, Any], where: str) -> str | None:
        value = item.get("note")
        if value is not None and not isinstance(value, str):
            raise self.fail(where, "note must be a string")
        return value


def _read_trigger(r: _Reader, item: dict[str, Any], where: str, i: int) -> Trigger:
    r.keys(item, where, {"event", "forms"},
           {"status", "needs_object", "requires_any", "voice", "agent_role", "patient_role",
            "ambiguous", "confidence"})
    event = r.choice(item, "event", EVENT_TYPES, where)
    statuses = TRANSFER_STATUSES if event == "arms_transfer" else OTHER_STATUSES
    default_status = None if event == "arms_transfer" else "occurred"
    status = r.choice(item, "status", (*statuses, None), where, default_status)
    roles = (*EVENT_ROLES[event], None)
    requires = item.get("requires_any")
    return Trigger(
        id=r.entry_id(item, where, "triggers", i),
        event=event,
        forms=r.forms(item["forms"], where),
        status=status,
        needs_object=r.choice(item, "needs_object", (*OBJECT_CLASSES, None), where),
        requires_any=r.forms(requires, where + " requires_any") if requires is not None else (),
        voice=r.choice(item, "voice", (*VOICES, None), where),
        agent_role=r.choice(item, "agent_role", roles, where),
        patient_role=r.choice(item, "patient_role", roles, where),
        ambiguous=r.flag(item, "ambiguous", where),
        confidence=r.choice(item, "confidence", CONFIDENCES, where, "high"),
        note=r.note(item, where),
    )


def _role_map(r: _Reader, raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    """`{event: role | [roles]}`; the key `any` applies to every event type with that role."""
    if not isinstance(raw, dict) or not raw:
        raise r.fail(where, "roles must map event types to roles")
    out: dict[str, tuple[str, ...]] = {}
    for event, value in sorted(raw.items(), key=lambda kv: kv[0] != "any"):
        names = (value,) if isinstance(value, str) else value
        if not isinstance(names, list | tuple) or not names or not all(
            isinstance(n, str) for n in names
        ):
            raise r.fail(where, f"roles of {event!r} must be a role or a list of roles")
        if event == "any":
            for name in names:
                targets = [e for e, roles in EVENT_ROLES.items() if name in roles]
                if not targets:
                    raise r.fail(where, f"no event type has the role {name!r}")
                for target in targets:
                    out[target] = (*out.get(target, ()), name)
            continue
        if event not in EVENT_ROLES:
            raise r.fail(where, f"unknown event type {event!r}")
        for name in names:
            if name not in EVENT_ROLES[event]:
                raise r.fail(where, f"{event} has no role {name!r}")
        out[event] = tuple(names)
    return out


def _read_role_cue(r: _Reader, item: dict[str, Any], where: str, i: int) -> RoleCue:
    r.keys(item, where, {"forms", "roles"}, {"attached", "ambiguous"})
    attached = r.flag(item, "attached", where)
    return RoleCue(
        id=r.entry_id(item, where, "role_cues", i),
        forms=r.forms(item["forms"], where, attached),
        roles=MappingProxyType(_role_map(r, item["roles"], where)),
        attached=attached,
        ambiguous=r.flag(item, "ambiguous", where),
        note=r.note(item, where),
    )


def _read_status_cue(r: _Reader, item: dict[str, Any], where: str, i: int) -> StatusCue:
    r.keys(item, where, {"forms", "status"}, {"events", "attached", "ambiguous"})
    status = r.choice(item, "status", ALL_STATUSES, where)
    valid = ("arms_transfer",) if status in TRANSFER_STATUSES else tuple(
        e for e in EVENT_TYPES if e != "arms_transfer"
    )
    events = item.get("events", list(valid))
    if not isinstance(events, list) or not events:
        raise r.fail(where, "events must be a non-empty list")
    for event in events:
        if event not in valid:
            raise r.fail(where, f"status {status!r} does not apply to {event!r}")
    attached = r.flag(item, "attached", where)
    return StatusCue(
        id=r.entry_id(item, where, "status_cues", i),
        forms=r.forms(item["forms"], where, attached),
        status=status,
        events=tuple(events),
        attached=attached,
        ambiguous=r.flag(item, "ambiguous", where),
        note=r.note(item, where),
    )


def _read_source_cue(r: _Reader, item: dict[str, Any], where: str, i: int) -> SourceCue:
    r.keys(item, where, {"forms", "stance", "source"},
           {"claim", "continuation", "cites", "ambiguous"})
    return SourceCue(
        id=r.entry_id(item, where, "source_cues", i),
        forms=r.forms(item["forms"], where),
        stance=r.choice(item, "stance", STANCES, where),
        source=r.choice(item, "source", SIDES, where),
        claim=r.choice(item, "claim", SIDES[:3], where, "either"),
        continuation=r.flag(item, "continuation", where),
        cites=r.flag(item, "cites", where),
        ambiguous=r.flag(item, "ambiguous", where),
        note=r.note(item, where),
    )


def _read_cue(r: _Reader, item: dict[str, Any], where: str, section: str, i: int) -> Cue:
    r.keys(item, where, {"forms"}, set())
    return Cue(r.entry_id(item, where, section, i), r.forms(item["forms"], where),
               r.note(item, where))


def _read_term(r: _Reader, item: dict[str, Any], where: str, section: str, i: int) -> Term:
    r.keys(item, where, {"forms", "en"}, {"ambiguous"})
    return Term(r.entry_id(item, where, section, i), r.forms(item["forms"], where),
                r.text(item, "en", where), r.flag(item, "ambiguous", where), r.note(item, where))


def _read_modifier(r: _Reader, item: dict[str, Any], where: str, i: int) -> Modifier:
    r.keys(item, where, {"forms", "en", "slot"}, {"ambiguous"})
    return Modifier(
        r.entry_id(item, where, "anonymity.modifiers", i), r.forms(item["forms"], where),
        r.text(item, "en", where), r.choice(item, "slot", MODIFIER_SLOTS, where),
        r.flag(item, "ambiguous", where), r.note(item, where),
    )


def _section(r: _Reader, data: Any, name: str, read: Any, *extra: str) -> tuple[Any, ...]:
    return tuple(read(r, item, where, *extra, i)
                 for i, (where, item) in enumerate(r.entries(data, name)))


def _read_anonymity(r: _Reader, data: Any) -> Anonymity:
    if data is None:
        return Anonymity()
    if not isinstance(data, dict):
        raise r.fail("anonymity", "must be a mapping")
    unknown = data.keys() - {"qualifiers", "phrases", "heads", "modifiers"}
    if unknown:
        raise r.fail("anonymity", f"unknown key(s) {', '.join(sorted(unknown))}")
    return Anonymity(
        qualifiers=_section(r, data.get("qualifiers"), "anonymity.qualifiers", _read_cue,
                            "anonymity.qualifiers"),
        phrases=_section(r, data.get("phrases"), "anonymity.phrases", _read_term,
                         "anonymity.phrases"),
        heads=_section(r, data.get("heads"), "anonymity.heads", _read_term, "anonymity.heads"),
        modifiers=_section(r, data.get("modifiers"), "anonymity.modifiers", _read_modifier),
    )


def _read_morphology(r: _Reader, data: Any) -> Morphology:
    if data is None:
        return Morphology()
    if not isinstance(data, dict):
        raise r.fail("morphology", "must be a mapping")
    names = {"conjunctions", "prepositions", "articles", "enclitics", "future_prefixes"}
    unknown = data.keys() - names
    if unknown:
        raise r.fail("morphology", f"unknown key(s) {', '.join(sorted(unknown))}")
    values: dict[str, tuple[str, ...]] = {}
    for name in names:
        items = data.get(name) or []
        if not isinstance(items, list) or not all(
            isinstance(x, str) and x.strip() and len(x.split()) == 1 and len(x) <= 3
            for x in items
        ):
            raise r.fail(f"morphology.{name}", "must be a list of short clitics")
        values[name] = tuple(fold(x) for x in items)
    return Morphology(**values)


def _read_object_words(r: _Reader, data: Any) -> dict[str, tuple[Form, ...]]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise r.fail("object_words", "must map weapon/person to lists of forms")
    out = {}
    for name, forms in data.items():
        if name not in OBJECT_CLASSES:
            raise r.fail("object_words", f"unknown class {name!r} (use {OBJECT_CLASSES})")
        out[name] = r.forms(forms, f"object_words.{name}")
    return out


def _read_precedence(r: _Reader, data: Any) -> tuple[str, ...]:
    if data is None:
        return ()
    if not isinstance(data, list) or len(set(data)) != len(data):
        raise r.fail("status_precedence", "must be a list of distinct statuses")
    for status in data:
        if status not in ALL_STATUSES:
            raise r.fail("status_precedence", f"unknown status {status!r}")
    return tuple(data)


TOP_LEVEL = {
    "language", "max_gap", "morphology", "triggers", "role_cues", "status_cues",
    "status_precedence", "source_cues", "anonymity", "negation", "denial", "hedges",
    "conditionals", "generic", "blockers", "object_words", "media_nouns", "titles",
}


def _parse(data: Any, source: str, language: str | None) -> Lexicon:
    if not isinstance(data, dict):
        raise LexiconError(f"{source}: the file must hold a mapping")
    unknown = data.keys() - TOP_LEVEL
    if unknown:
        raise LexiconError(f"{source}: unknown section(s) {', '.join(sorted(unknown))}")
    lang = data.get("language")
    if not isinstance(lang, str) or (language is not None and lang != language):
        raise LexiconError(f"{source}: language must be {language or 'a language code'!r}")
    max_gap = data.get("max_gap", DEFAULT_MAX_GAP)
    if not isinstance(max_gap, int) or not 1 <= max_gap <= MAX_GAP:
        raise LexiconError(f"{source}: max_gap must be an integer from 1 to {MAX_GAP}")
    if not data.get("triggers"):
        raise LexiconError(f"{source}: triggers: at least one trigger is required")
    r = _Reader(source, lang, max_gap)
    cue_lists = {
        name: _section(r, data.get(name), name, _read_cue, name)
        for name in ("negation", "denial", "hedges", "conditionals", "generic", "blockers")
    }
    lexicon = Lexicon(
        language=lang,
        source=source,
        max_gap=max_gap,
        morphology=_read_morphology(r, data.get("morphology")),
        triggers=_section(r, data["triggers"], "triggers", _read_trigger),
        role_cues=_section(r, data.get("role_cues"), "role_cues", _read_role_cue),
        status_cues=_section(r, data.get("status_cues"), "status_cues", _read_status_cue),
        status_precedence=_read_precedence(r, data.get("status_precedence")),
        source_cues=_section(r, data.get("source_cues"), "source_cues", _read_source_cue),
        anonymity=_read_anonymity(r, data.get("anonymity")),
        object_words=MappingProxyType(_read_object_words(r, data.get("object_words"))),
        media_nouns=_section(r, data.get("media_nouns"), "media_nouns", _read_term,
                             "media_nouns"),
        titles=_section(r, data.get("titles"), "titles", _read_term, "titles"),
        **cue_lists,
    )
    _check_conflicts(lexicon)
    return lexicon


# --------------------------------------------------------------------------- conflicts


def _trigger_meaning(t: Trigger) -> tuple[Any, ...]:
    return (t.event, t.status, t.needs_object, t.agent_role, t.patient_role, t.requires_any)


def _conflicts(source: str, section: str, entries: Iterable[Any], differ: Any) -> None:
    """Entries sharing a folded form must mean the same, or all be marked ambiguous."""
    for key, group in build_index(entries).items():
        for a, b in itertools.combinations(group, 2):
            if not differ(a, b):
                continue
            if not (a.ambiguous and b.ambiguous):
                raise LexiconError(
                    f"{source}: {section}: form {key!r} means different things in {a.id!r} "
                    f"and {b.id!r}; mark both `ambiguous: true` or remove one"
                )
            if section == "triggers" and a.event != b.event and not all(
                t.needs_object or t.requires_any for t in (a, b)
            ):
                raise LexiconError(
                    f"{source}: triggers: ambiguous form {key!r} in {a.id!r} and {b.id!r} "
                    "needs needs_object or requires_any on both to tell the events apart"
                )


def _by(meaning: Any) -> Any:
    return lambda a, b: meaning(a) != meaning(b)


def _check_conflicts(lex: Lexicon) -> None:
    src = lex.source
    _conflicts(src, "triggers", lex.triggers, _by(_trigger_meaning))
    _conflicts(src, "role_cues", lex.role_cues,
               lambda a, b: any(a.roles[e] != b.roles[e] for e in a.roles.keys() & b.roles.keys()))
    _conflicts(src, "status_cues", lex.status_cues,
               lambda a, b: a.status != b.status and bool(set(a.events) & set(b.events)))
    _conflicts(src, "source_cues", lex.source_cues,
               _by(lambda c: (c.stance, c.source, c.claim, c.continuation, c.cites)))
    anon = lex.anonymity
    _conflicts(src, "anonymity", (*anon.phrases, *anon.heads), _by(lambda t: t.en))
    _conflicts(src, "anonymity.modifiers", anon.modifiers, _by(lambda m: (m.en, m.slot)))
    _conflicts(src, "media_nouns", lex.media_nouns, _by(lambda t: t.en))
    _conflicts(src, "titles", lex.titles, _by(lambda t: t.en))


# --------------------------------------------------------------------------- loading


def load_lexicon_file(path: Path | str, language: str | None = None) -> Lexicon:
    """Read and validate one lexicon file (not cached: for tests and analysts' drafts)."""
    path = Path(path)
    try:
        # The C loader when PyYAML has it (several times faster); same safe semantics.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: invalid YAML: {exc}") from exc
    return _parse(data, str(path), language)


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The bundled lexicon for a language code ("ar", "en"), read and validated once."""
    if not re.fullmatch(r"[a-z]{2,3}", lang or ""):
        raise LexiconError(f"not a language code: {lang!r}")
    resource = resources.files("raqib.extract").joinpath("lexicon", f"{lang}.yaml")
    if not resource.is_file():
        raise LexiconError(f"no lexicon for language {lang!r}")
    with resources.as_file(resource) as path:
        return load_lexicon_file(path, lang)
