"""Load and validate the knowledge base: reviewable YAML files of states, places, groups,
bodies, outlets, people and weapons with their Arabic and English surface forms.

The bundled files live in `raqib/kb/data/*.yaml` and are parsed once per process; analysts
can add their own files (same format) through `load_kb(extra_paths)`. Everything is checked
on load, because a silent typo in a hand-edited alias list would quietly cost recall or,
worse, link a mention to the wrong actor:

- ids are unique across all files and look like `family:name` (`state:ru`, `media:afp`),
  where the family agrees with the type;
- `stands_for`, `parent`, `country` and every id quoted in a `note` exist;
- every entry has an English name and (except weapon and aircraft models, which Arabic news
  often writes in Latin letters) an Arabic name;
- no surface form collides, after the matcher's fold (`fold_key`), with a form of another entry
  unless one of the two entries' notes names the other: a shared alias must be a decision
  someone wrote down, not an accident.

Case. Matching is case-insensitive, except for the Latin forms that an entry lists under
`case_sensitive` ("Turkey" is not "turkey", "The National" is not "the national") and, by
default, short acronyms: a form of at most four letters, all capitals once dots are removed
("US", "U.S.", "AP", "RT", "CAR", "IS"), is case-sensitive without being listed, because
its lower-case twin is usually an English word. `KBEntry.is_case_sensitive(form)` answers
for a form and `case_agrees(form, text)` tells a matcher whether a span writes it right.

Extensions. A file given to `load_kb(extra_paths)` may add forms to an existing entry
instead of defining a new one: an item with `extends: <id>` and any of `aliases`,
`demonyms`, `links`, `note`, `case_sensitive`. The additions are merged into the entry and
then validated like everything else (a new alias still must not collide unexplained); an
extension cannot rename, retype or re-parent an entry.

This module does not match text; the gazetteer builds on `KBEntry.surface_forms()`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from raqib.model import ENTITY_TYPES
from raqib.text.arabic import fold

# The base loader builds only str / list / dict (no implicit int, bool or date typing): all
# our fields are strings, and skipping type resolution makes parsing markedly faster.
# libyaml is used when PyYAML was built with it.
_YamlLoader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

__all__ = [
    "KBEntry", "KBError", "KnowledgeBase", "case_agrees", "default_case_sensitive", "fold_key",
    "load_kb",
]

# Id family -> the entity types it may carry. Bodies (government and intergovernmental)
# and other organisations (companies, NGOs, research institutes) share one type.
ID_FAMILIES: dict[str, frozenset[str]] = {
    "state": frozenset({"state"}),
    "location": frozenset({"location"}),
    "armed_group": frozenset({"armed_group"}),
    "body": frozenset({"organization"}),
    "org": frozenset({"organization"}),
    "media": frozenset({"media"}),
    "person": frozenset({"person"}),
    "weapon": frozenset({"weapon"}),
    "aircraft": frozenset({"aircraft"}),
    "vessel": frozenset({"vessel"}),
}
_FAMILIES = "|".join(ID_FAMILIES)
_ID_RE = re.compile(rf"^(?:{_FAMILIES}):[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?$")
# Ids quoted inside free-text notes; a trailing full stop or bracket is not part of the id.
_NOTE_ID_RE = re.compile(rf"(?<![a-z0-9_])(?:{_FAMILIES}):[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")
_LINK_PATTERNS = {
    "wikidata": re.compile(r"^Q[1-9][0-9]*$"),
    "opensanctions": re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"),
}

# Controlled vocabulary for `subtype`, so filters and reviewers see one spelling per kind.
SUBTYPES: dict[str, frozenset[str]] = {
    "state": frozenset({"observer", "disputed"}),
    "location": frozenset({
        "capital", "seat_of_power", "city", "district", "port", "base", "island", "region",
        "territory", "mountain", "continent", "sea", "ocean", "gulf", "strait", "canal",
    }),
    "organization": frozenset({
        "intergovernmental", "government", "court", "military", "intelligence",
        "law_enforcement", "legislature", "operation", "panel", "company", "ngo", "research",
        "criminal", "political",
    }),
    "armed_group": frozenset({
        "jihadist", "militia", "rebel", "paramilitary", "pmc", "separatist", "armed_wing",
    }),
    "media": frozenset({"newspaper", "agency", "broadcaster", "website", "magazine"}),
    "person": frozenset({
        "arms_dealer", "financier", "leader", "official", "militant", "envoy", "spokesperson",
    }),
    "weapon": frozenset({
        "general", "small_arms", "machine_gun", "rifle", "pistol", "ammunition", "explosives",
        "ied", "landmine", "grenade", "bomb", "missile", "ballistic_missile", "cruise_missile",
        "anti_ship_missile", "atgm", "manpads", "air_defence", "rocket", "rocket_launcher",
        "mortar", "artillery", "drone", "loitering_munition", "tank", "armoured_vehicle",
        "military_vehicle", "naval", "components", "protective_gear", "optics", "chemical",
        "equipment",
    }),
    # `general` marks categories ("fighter jets", "helicopters"), as for weapons.
    "aircraft": frozenset({
        "general", "fighter", "attack", "bomber", "transport", "helicopter",
        "attack_helicopter",
    }),
    "vessel": frozenset({
        "category", "cargo", "bulk_carrier", "car_carrier", "tanker", "warship",
        "aircraft_carrier", "dhow", "spy_ship",
    }),
}
# Weapon and aircraft models are often written in Latin letters in Arabic text too.
_ARABIC_NAME_OPTIONAL = frozenset({"weapon", "aircraft"})
_KNOWN_KEYS = frozenset({
    "id", "type", "name", "names", "aliases", "demonyms", "stands_for", "links", "note",
    "parent", "subtype", "country", "case_sensitive",
})
# What an `extends:` item may add to an existing entry; the rest would redefine it.
_EXTENSION_KEYS = frozenset({"aliases", "demonyms", "links", "note", "case_sensitive"})
_KINDS = ("name", "alias", "demonym")


class KBError(ValueError):
    """Invalid knowledge-base data; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class KBEntry:
    """One entity of the knowledge base, as reviewed in the YAML files."""

    id: str
    type: str
    name: str
    names: dict[str, str]
    aliases: dict[str, tuple[str, ...]]
    demonyms: dict[str, tuple[str, ...]]
    stands_for: str | None
    links: dict[str, str]
    note: str | None
    parent: str | None
    subtype: str | None
    country: str | None
    # Forms that match only as written (see `is_case_sensitive`); the loader fills it with
    # the listed forms and the automatic acronyms. Last, with a default, so that code that
    # builds entries by hand (imported data) need not know about it.
    case_sensitive: frozenset[str] = field(default=frozenset())

    def __hash__(self) -> int:  # the dict fields are not hashable; the id is the identity
        return hash(self.id)

    def surface_forms(self) -> Iterator[tuple[str, str, str]]:
        """Yield `(form, lang, kind)` once per distinct form and language, names first.

        `kind` is "name" (the canonical name and the per-language display names), "alias"
        or "demonym"; a matcher may weigh demonyms lower, since "Russian" can qualify a
        person rather than stand for the state.
        """
        seen: set[tuple[str, str]] = set()
        candidates: list[tuple[str, str, str]] = [(self.name, "en", "name")]
        candidates += [(form, lang, "name") for lang, form in self.names.items()]
        for kind, table in (("alias", self.aliases), ("demonym", self.demonyms)):
            candidates += [(form, lang, kind) for lang, forms in table.items() for form in forms]
        for form, lang, kind in candidates:
            if (form, lang) not in seen:
                seen.add((form, lang))
                yield form, lang, kind

    def is_case_sensitive(self, form: str) -> bool:
        """True when `form` (one of this entry's surface forms, exactly as yielded by
        `surface_forms`) may only match text with the same capitalisation.

        The automatic acronym rule (`default_case_sensitive`) applies here too, so entries
        built in code without `case_sensitive` behave like loaded ones.
        """
        return form in self.case_sensitive or default_case_sensitive(form)


# --- case -------------------------------------------------------------------------------

_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)


def default_case_sensitive(form: str) -> bool:
    """The automatic rule: 1-4 letters, all capitals, once dots are removed ("US", "U.K.",
    "CAR"). Such acronyms are English words in lower case ("us", "car"), and news writes
    them in capitals; longer ones ("NATO") rarely collide and are left case-insensitive
    unless listed."""
    letters = form.replace(".", "")
    return 0 < len(letters) <= 4 and all(ch.isalpha() and ch.isupper() for ch in letters)


def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isalpha())


def case_agrees(form: str, text: str) -> bool:
    """True when `text`, a span of a document that matched `form` case-insensitively,
    writes its letters with the same capitalisation.

    Only letters are compared: spaces, dots, hyphens, apostrophes and accents are the
    matcher's business ("U.S" agrees with "U.S."). A leading English article may differ
    ("the Times" agrees with "The Times"), since running text lowers it.
    """
    if _ARTICLE.match(form) and _ARTICLE.match(text):
        form, text = _ARTICLE.sub("", form), _ARTICLE.sub("", text)
    return _letters(form) == _letters(text)


def _is_cased(form: str) -> bool:
    return any(ch.lower() != ch.upper() for ch in form)


# --- folding used to detect colliding aliases -------------------------------------------


def fold_key(text: str) -> str:
    """The key under which two surface forms collide: the matcher's fold
    (`raqib.text.arabic.fold`: case, diacritics, tatweel, letter variants, digits ...),
    spaces collapsed and trimmed, and one leading "the " or attached "ال" removed.

    Dropping the article on purpose makes it coarser than what the matcher compares, so
    that two entries which a matcher might confuse are flagged here; being built on the
    matcher's own fold, it never tells apart two forms the matcher would confuse.
    """
    folded = " ".join(fold(text).split())
    if folded.startswith("the "):
        return folded[4:]
    # "ال" is an article only when attached: "ال سعود" (the family) keeps its first word.
    if folded.startswith("ال") and len(folded) > 2 and folded[2] != " ":
        return folded[2:]
    return folded


# --- the knowledge base -------------------------------------------------------------------


class KnowledgeBase:
    """Validated entries by id, with lookups by type and by folded surface form.

    Treat it as read-only: the bundled instance is shared within the process.
    """

    def __init__(self, entries: Mapping[str, KBEntry],
                 fold_index: Mapping[str, list[str]] | None = None) -> None:
        self.entries: dict[str, KBEntry] = dict(entries)
        by_type: dict[str, list[KBEntry]] = defaultdict(list)
        for entry in self.entries.values():
            by_type[entry.type].append(entry)
        self._by_type = dict(by_type)
        self._by_key = dict(fold_index) if fold_index is not None else _fold_index(
            self.entries.values())

    def get(self, entry_id: str) -> KBEntry | None:
        return self.entries.get(entry_id)

    def by_type(self, entity_type: str) -> list[KBEntry]:
        return list(self._by_type.get(entity_type, ()))

    def find(self, form: str) -> list[KBEntry]:
        """Entries with a surface form equal to `form` under `fold_key`, leaving out those
        whose only such forms are case-sensitive and written otherwise ("us" does not find
        the United States, "US" does). For tests and debugging; real matching is the
        gazetteer's job."""
        key = fold_key(form)
        found = []
        for entry_id in self._by_key.get(key, ()):
            entry = self.entries[entry_id]
            if any(fold_key(own) == key
                   and (not entry.is_case_sensitive(own) or case_agrees(own, form))
                   for own, _, _ in entry.surface_forms()):
                found.append(entry)
        return found

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[KBEntry]:
        return iter(self.entries.values())

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.entries


def load_kb(extra_paths: Sequence[Path | str] = ()) -> KnowledgeBase:
    """The bundled knowledge base, plus analyst-provided YAML files or directories.

    Without extras the result is parsed and validated once and then shared. Extra entries
    obey the same rules as bundled ones (new ids, no unexplained alias collisions).
    """
    if isinstance(extra_paths, (str, Path)):  # one path given bare, not a list of characters
        extra_paths = [extra_paths]
    if not extra_paths:
        return _bundled_kb()
    records = list(_bundled_records())
    for path in _expand_paths(extra_paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise KBError(f"{path}: cannot read: {exc.strerror or exc}") from None
        records += _parse_file(data, str(path))
    return _assemble(records)


@functools.cache
def _bundled_kb() -> KnowledgeBase:
    return _assemble(_bundled_records())


@functools.cache
def _bundled_records() -> tuple[tuple[str, dict[str, Any]], ...]:
    data_dir = resources.files("raqib.kb").joinpath("data")
    records: list[tuple[str, dict[str, Any]]] = []
    files = sorted((f for f in data_dir.iterdir() if f.name.endswith((".yaml", ".yml"))),
                   key=lambda f: f.name)
    for item in files:
        records += _parse_file(item.read_bytes(), f"raqib/kb/data/{item.name}")
    return tuple(records)


def _expand_paths(paths: Iterable[Path | str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
        elif path.is_file():
            yield path
        else:
            raise KBError(f"{path}: knowledge-base path does not exist")


def _parse_file(data: bytes, source: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        loaded = yaml.load(data, Loader=_YamlLoader)  # base loader: builds no objects
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise KBError(f"{source}{where}: not valid YAML: {first}") from None
    except UnicodeDecodeError as exc:
        raise KBError(f"{source}: not UTF-8 text: {exc.reason}") from None
    if _is_null(loaded):
        return []
    if not isinstance(loaded, list):
        raise KBError(f"{source}: the top level must be a list of entries")
    out = []
    for index, item in enumerate(loaded):
        if not isinstance(item, dict):
            raise KBError(f"{source}: entry #{index + 1} is not a mapping")
        out.append((source, item))
    return out


# --- validation ---------------------------------------------------------------------------


def _assemble(records: Iterable[tuple[str, dict[str, Any]]]) -> KnowledgeBase:
    entries: dict[str, KBEntry] = {}
    sources: dict[str, str] = {}
    extensions: list[tuple[str, dict[str, Any]]] = []
    for source, raw in records:
        if "extends" in raw:  # applied once every entry exists, whatever the file order
            extensions.append((source, raw))
            continue
        entry = _build_entry(raw, source)
        if entry.id in entries:
            raise KBError(f"{source}: entry {entry.id}: duplicate id "
                          f"(first defined in {sources[entry.id]})")
        entries[entry.id] = entry
        sources[entry.id] = source
    for source, raw in extensions:
        entry = _extend(entries, raw, source)
        entries[entry.id] = entry
        sources[entry.id] = f"{sources[entry.id]} (extended in {source})"
    for entry in entries.values():
        _check_references(entry, entries, sources[entry.id])
    index = _fold_index(entries.values())
    _check_collisions(entries, sources, index)
    return KnowledgeBase(entries, index)


def _build_entry(raw: dict[str, Any], source: str) -> KBEntry:
    label = raw.get("id") if isinstance(raw.get("id"), str) else "<no id>"

    def fail(problem: str) -> KBError:
        return KBError(f"{source}: entry {label}: {problem}")

    unknown = sorted(set(map(str, raw)) - _KNOWN_KEYS)
    if unknown:
        raise fail(f"unknown field(s) {', '.join(unknown)}")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not _ID_RE.match(entry_id):
        raise fail("id must look like 'family:name' in lower-case ascii "
                   f"with family one of {', '.join(ID_FAMILIES)}")
    entity_type = raw.get("type")
    if entity_type not in ENTITY_TYPES:
        raise fail(f"type must be one of {', '.join(ENTITY_TYPES)}")
    family = entry_id.split(":", 1)[0]
    if entity_type not in ID_FAMILIES[family]:
        raise fail(f"id family '{family}' does not fit type '{entity_type}'")
    name = _text(raw.get("name"), "name", fail)
    names = _names(raw.get("names"), fail)
    names.setdefault("en", name)
    if "ar" not in names and entity_type not in _ARABIC_NAME_OPTIONAL:
        raise fail("names.ar (the Arabic name) is required")
    subtype = _optional_text(raw.get("subtype"), "subtype", fail)
    if subtype is not None and subtype not in SUBTYPES[entity_type]:
        raise fail(f"subtype '{subtype}' is not one of "
                   f"{', '.join(sorted(SUBTYPES[entity_type]))}")
    entry = KBEntry(
        id=entry_id, type=entity_type, name=name, names=names,
        aliases=_form_table(raw.get("aliases"), "aliases", fail),
        demonyms=_form_table(raw.get("demonyms"), "demonyms", fail),
        stands_for=_optional_text(raw.get("stands_for"), "stands_for", fail),
        links=_links(raw.get("links"), fail),
        note=_optional_text(raw.get("note"), "note", fail),
        parent=_optional_text(raw.get("parent"), "parent", fail),
        subtype=subtype,
        country=_optional_text(raw.get("country"), "country", fail),
    )
    return _with_case(entry, raw.get("case_sensitive"), fail)


def _with_case(entry: KBEntry, listed: Any, fail: Any) -> KBEntry:
    """`entry` with `case_sensitive` = what it had, the forms `listed`, and the automatic
    acronyms among all its forms. A listed form must be one of the entry's own forms and
    have letters with case: a typo here would otherwise silently do nothing."""
    chosen = set(entry.case_sensitive)
    if not _is_null(listed):
        if not isinstance(listed, list):
            raise fail("case_sensitive must be a list of the entry's forms")
        own = {form for form, _, _ in entry.surface_forms()}
        for form in listed:
            text = _text(form, "case_sensitive item", fail)
            if text not in own:
                raise fail(f"case_sensitive: {text!r} is not one of the entry's forms")
            if not _is_cased(text):
                raise fail(f"case_sensitive: {text!r} has no upper- or lower-case letters")
            chosen.add(text)
    chosen |= {form for form, _, _ in entry.surface_forms() if default_case_sensitive(form)}
    return replace(entry, case_sensitive=frozenset(chosen))


def _extend(entries: Mapping[str, KBEntry], raw: dict[str, Any], source: str) -> KBEntry:
    """Merge an `extends:` item into the entry it names. Forms the entry already has are
    skipped rather than refused, so that an analyst's file keeps loading after the bundled
    data gains the same alias."""
    target = raw.get("extends")
    label = f"extends {target}" if isinstance(target, str) else "extends <not an id>"

    def fail(problem: str) -> KBError:
        return KBError(f"{source}: {label}: {problem}")

    keys = set(map(str, raw)) - {"extends"}
    unknown = sorted(keys - _KNOWN_KEYS)
    if unknown:
        raise fail(f"unknown field(s) {', '.join(unknown)}")
    fixed = sorted(keys - _EXTENSION_KEYS)
    if fixed:
        raise fail(f"an extension cannot set {', '.join(fixed)}; it may only add "
                   f"{', '.join(sorted(_EXTENSION_KEYS))}")
    if not isinstance(target, str) or target not in entries:
        raise fail("extends must name an existing entry id")
    if not keys:
        raise fail("adds nothing")
    entry = entries[target]
    links = dict(entry.links)
    for kind, value in _links(raw.get("links"), fail).items():
        if links.setdefault(kind, value) != value:
            raise fail(f"links.{kind}: {value!r} conflicts with {links[kind]!r} already set")
    note = _optional_text(raw.get("note"), "note", fail)
    merged = replace(
        entry,
        aliases=_merge_forms(entry.aliases, _form_table(raw.get("aliases"), "aliases", fail)),
        demonyms=_merge_forms(entry.demonyms,
                              _form_table(raw.get("demonyms"), "demonyms", fail)),
        links=links,
        note=" ".join(n for n in (entry.note, note) if n) or None,
    )
    return _with_case(merged, raw.get("case_sensitive"), fail)


def _merge_forms(old: Mapping[str, tuple[str, ...]],
                 new: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    merged = dict(old)
    for lang, forms in new.items():
        have = merged.get(lang, ())
        merged[lang] = have + tuple(f for f in forms if f not in have)
    return merged


def _text(value: Any, field_name: str, fail: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(f"{field_name} must be a non-empty string")
    if value != value.strip() or "\n" in value:
        raise fail(f"{field_name} {value!r} has surrounding white space or a line break")
    return value


def _optional_text(value: Any, field_name: str, fail: Any) -> str | None:
    if _is_null(value):
        return None
    if field_name == "note":  # free prose: only needs to be a string
        if not isinstance(value, str) or not value.strip():
            raise fail("note must be a non-empty string")
        return value.strip()
    return _text(value, field_name, fail)


def _is_null(value: Any) -> bool:
    """YAML null as the base loader reports it (it does not type scalars)."""
    return value is None or (isinstance(value, str) and value.strip() in _NULLS)


def _lang(value: Any, field_name: str, fail: Any) -> str:
    if not isinstance(value, str) or not _LANG_RE.match(value):
        raise fail(f"{field_name}: language key {value!r} is not an ISO 639 code like 'ar'")
    return value


def _names(value: Any, fail: Any) -> dict[str, str]:
    if _is_null(value):
        return {}
    if not isinstance(value, dict):
        raise fail("names must be a mapping of language to name")
    return {_lang(k, "names", fail): _text(v, f"names.{k}", fail) for k, v in value.items()}


def _form_table(value: Any, field_name: str, fail: Any) -> dict[str, tuple[str, ...]]:
    if _is_null(value):
        return {}
    if not isinstance(value, dict):
        raise fail(f"{field_name} must be a mapping of language to a list of forms")
    table: dict[str, tuple[str, ...]] = {}
    for lang, forms in value.items():
        key = _lang(lang, field_name, fail)
        if _is_null(forms):
            continue
        if not isinstance(forms, list):
            raise fail(f"{field_name}.{key} must be a list")
        checked = tuple(_text(f, f"{field_name}.{key} item", fail) for f in forms)
        duplicates = sorted({f for f in checked if checked.count(f) > 1})
        if duplicates:
            raise fail(f"{field_name}.{key} lists {duplicates[0]!r} twice")
        if checked:
            table[key] = checked
    return table


def _links(value: Any, fail: Any) -> dict[str, str]:
    if _is_null(value):
        return {}
    if not isinstance(value, dict):
        raise fail("links must be a mapping")
    links: dict[str, str] = {}
    for key, link in value.items():
        pattern = _LINK_PATTERNS.get(key)
        if pattern is None:
            raise fail(f"links.{key}: unknown link kind (known: {', '.join(_LINK_PATTERNS)})")
        if not isinstance(link, str) or not pattern.match(link):
            raise fail(f"links.{key}: {link!r} is not a valid {key} id")
        links[key] = link
    return links


def _check_references(entry: KBEntry, entries: Mapping[str, KBEntry], source: str) -> None:
    def fail(problem: str) -> KBError:
        return KBError(f"{source}: entry {entry.id}: {problem}")

    if entry.stands_for is not None:
        target = entries.get(entry.stands_for)
        if target is None or target.type != "state":
            raise fail(f"stands_for {entry.stands_for!r} is not the id of a state")
    if entry.parent is not None:
        if entry.parent == entry.id:
            raise fail("parent is the entry itself")
        if entry.parent not in entries:
            raise fail(f"parent {entry.parent!r} does not exist")
    if entry.country is not None and entries.get(f"state:{entry.country}") is None:
        raise fail(f"country {entry.country!r} is not the code of a state entry (state:<code>)")
    for quoted in _NOTE_ID_RE.findall(entry.note or ""):
        if quoted not in entries:
            raise fail(f"note mentions {quoted!r}, which does not exist")


def _fold_index(entries: Iterable[KBEntry]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        for key in sorted({fold_key(form) for form, _, _ in entry.surface_forms()}):
            index[key].append(entry.id)
    return dict(index)


def _check_collisions(entries: Mapping[str, KBEntry], sources: Mapping[str, str],
                      index: Mapping[str, list[str]]) -> None:
    noted = {e.id: set(_NOTE_ID_RE.findall(e.note or "")) for e in entries.values()}
    for key, ids in index.items():
        if len(ids) < 2:
            continue
        for i, first in enumerate(ids):
            for second in ids[i + 1:]:
                if second in noted[first] or first in noted[second]:
                    continue
                raise KBError(
                    f"{sources[second]}: entry {second}: surface form {key!r} collides with "
                    f"{first} ({sources[first]}); add a note naming the other id to one of "
                    "them if the sharing is intended")
