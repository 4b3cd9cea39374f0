"""Imported FtM entities as matcher input: linked to the bundled KB, or added beside it.

The bundled knowledge base is reviewed by hand; imported data (OpenSanctions and the
like) is large and not. So imported entities never change a bundled entry, they only
add to it:

- An imported entity is *linked* to a bundled entry when the bundled entry's
  `links.opensanctions` is its FtM id (or one of its `referents`, the ids OpenSanctions
  merged into it), or else when exactly one bundled entry of a compatible type has a
  name or alias equal to one of its strong names under `name_key` (the matcher's fold).
  Several candidates mean the name is ambiguous: no link. A bundled entry whose
  `country` is not among the imported entity's countries (when both are known) is not
  a candidate, which keeps namesakes from different countries apart. Names that the
  bundled entry lacks are offered in `extra_aliases`.
- Any other entity becomes an extra entry with id "ftm:<FtM id>". Its names that equal a
  bundled form of an *incompatible* type are dropped (a PublicBody aliased "Iran" must
  not take over the state's name; an airframe named after its model must not flag the
  model), and so are weak aliases, which OpenSanctions marks as unfit for matching.
- Entities that are sanctioned (`ImportedEntity.sanctioned`: topic "sanction" or the
  target of a Sanction record) are listed in `sanctioned` under the id they ended up
  with; every other imported entity is a plain matchable name.

Compatible types: an FtM organisation may be a bundled organisation, armed group or
media outlet; people, vessels are themselves. Imported aircraft are individual airframes
and never link to the bundled aircraft, which are models and categories; bundled
entries of subtype "category" (e.g. "cargo ship") are never linked either.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from raqib.kb.ftm import ImportedEntity, name_key
from raqib.kb.loader import KBEntry, KnowledgeBase

__all__ = ["EXTRA_PREFIX", "LINKABLE_TYPES", "Overlay", "overlay_entries", "sanctions_overlay"]

EXTRA_PREFIX = "ftm:"
LINKABLE_TYPES: dict[str, frozenset[str]] = {
    "person": frozenset({"person"}),
    "organization": frozenset({"organization", "armed_group", "media"}),
    "vessel": frozenset({"vessel"}),
    "aircraft": frozenset(),
}
UNLINKABLE_SUBTYPES = frozenset({"category"})
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f]")
_OPENSANCTIONS_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(slots=True)
class Overlay:
    """What imported entities add to the bundled knowledge base.

    `sanctioned` maps a bundled id or "ftm:<id>" to {"lists": datasets, "programs",
    "ftm_id": the first FtM id, "ftm_ids": all FtM ids linked there, "topics"}.
    `linked` maps FtM ids to the bundled id they were linked to.
    """

    extra_entries: list[KBEntry] = field(default_factory=list)
    sanctioned: dict[str, dict[str, Any]] = field(default_factory=dict)
    extra_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    linked: dict[str, str] = field(default_factory=dict)


def sanctions_overlay(kb: KnowledgeBase, imported: Iterable[ImportedEntity], *,
                      sanctioned_only: bool = False) -> Overlay:
    """Link, add and flag `imported` (e.g. `Store.iter_imported_entities()`); see the
    module docstring. `sanctioned_only` leaves unsanctioned entities out of
    `extra_entries`, for imports too large to hold (the OpenSanctions PEP data)."""
    index = _BundledIndex(kb)
    overlay = Overlay()
    for entity in imported:
        if entity.type not in LINKABLE_TYPES:
            continue  # Sanction records: their effect is already in `sanction_ids`
        kb_id = index.link(entity)
        if kb_id is not None:
            overlay.linked[entity.id] = kb_id
            _offer_aliases(overlay, index, kb_id, entity)
        elif entity.sanctioned or not sanctioned_only:
            entry = _extra_entry(entity, index)
            if entry is None:
                continue
            overlay.extra_entries.append(entry)
            kb_id = entry.id
        else:
            continue
        if entity.sanctioned:
            _mark(overlay.sanctioned, kb_id, entity)
    return overlay


def overlay_entries(kb: KnowledgeBase, overlay: Overlay) -> list[KBEntry]:
    """The entries to add to `kb` for matching: the imported extra entries, and each
    linked bundled entry again with the imported names it lacked as aliases (same id,
    so it replaces the bundled one; `RuleExtractor(kb, extra_entries=...)` takes them)."""
    entries = list(overlay.extra_entries)
    for kb_id, names in overlay.extra_aliases.items():
        entry = kb.entries[kb_id]
        aliases = dict(entry.aliases)
        for name in names:
            lang = _script_language(name)
            aliases[lang] = (*aliases.get(lang, ()), name)
        entries.append(dataclasses.replace(entry, aliases=aliases))
    return entries


class _BundledIndex:
    """The bundled entries by folded form and by OpenSanctions id."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.names: dict[str, set[str]] = {}  # key -> ids having it as name or alias
        self.forms: dict[str, set[str]] = {}  # key -> ids having it in any form
        self.keys: dict[str, set[str]] = {}  # id -> its name and alias keys
        self.opensanctions: dict[str, str] = {}
        for entry in kb:
            for form, _lang, kind in entry.surface_forms():
                key = name_key(form)
                self.forms.setdefault(key, set()).add(entry.id)
                if kind != "demonym":
                    self.names.setdefault(key, set()).add(entry.id)
                    self.keys.setdefault(entry.id, set()).add(key)
            if "opensanctions" in entry.links:
                self.opensanctions[entry.links["opensanctions"]] = entry.id

    def link(self, entity: ImportedEntity) -> str | None:
        for ftm_id in (entity.id, *entity.referents):
            if ftm_id in self.opensanctions:
                return self.opensanctions[ftm_id]
        candidates = {
            kb_id for name in entity.strong_names for kb_id in self.names.get(name_key(name), ())
            if self._linkable(self.kb.entries[kb_id], entity)
        }
        return candidates.pop() if len(candidates) == 1 else None

    def _linkable(self, entry: KBEntry, entity: ImportedEntity) -> bool:
        if entry.type not in LINKABLE_TYPES[entity.type] or entry.subtype in UNLINKABLE_SUBTYPES:
            return False
        return not (entry.country and entity.countries and entry.country not in entity.countries)

    def clashes(self, key: str, entity_type: str) -> bool:
        """True when a bundled entry of an incompatible type has this form."""
        allowed = LINKABLE_TYPES[entity_type]
        return any(self.kb.entries[i].type not in allowed for i in self.forms.get(key, ()))


def _offer_aliases(overlay: Overlay, index: _BundledIndex, kb_id: str,
                   entity: ImportedEntity) -> None:
    known = set(index.keys.get(kb_id, ()))
    offered = list(overlay.extra_aliases.get(kb_id, ()))
    known |= {name_key(name) for name in offered}
    for name in entity.strong_names:
        key = name_key(name)
        if key not in known and not index.clashes(key, entity.type):
            known.add(key)
            offered.append(name)
    if offered:
        overlay.extra_aliases[kb_id] = tuple(offered)


def _extra_entry(entity: ImportedEntity, index: _BundledIndex) -> KBEntry | None:
    names = [n for n in entity.strong_names if not index.clashes(name_key(n), entity.type)]
    if not names:
        return None
    name = entity.name if entity.name in names else names[0]
    aliases: dict[str, list[str]] = {}
    for alias in names:
        if alias != name:
            aliases.setdefault(_script_language(alias), []).append(alias)
    countries = [c for c in entity.countries if f"state:{c}" in index.kb]
    return KBEntry(
        id=EXTRA_PREFIX + entity.id, type=entity.type, name=name,
        names={"en": name, **_arabic_name(name, aliases)},
        aliases={lang: tuple(forms) for lang, forms in aliases.items()}, demonyms={},
        stands_for=None,
        links={"opensanctions": entity.id} if _OPENSANCTIONS_ID.match(entity.id) else {},
        note=f"imported FtM {entity.schema}" + (
            f" from {', '.join(entity.datasets)}" if entity.datasets else ""),
        parent=None, subtype=None,
        country=countries[0] if len(set(countries)) == 1 else None,
    )


def _arabic_name(name: str, aliases: dict[str, list[str]]) -> dict[str, str]:
    """{"ar": display name}: the name when written in Arabic script, else its first
    Arabic-script alias, else nothing."""
    if _script_language(name) == "ar":
        return {"ar": name}
    return {"ar": aliases["ar"][0]} if aliases.get("ar") else {}


def _mark(sanctioned: dict[str, dict[str, Any]], kb_id: str, entity: ImportedEntity) -> None:
    info = sanctioned.setdefault(kb_id, {"lists": [], "programs": [], "ftm_id": entity.id,
                                         "ftm_ids": [], "topics": []})
    for key, values in (("lists", entity.datasets), ("programs", entity.programs),
                        ("ftm_ids", (entity.id,)), ("topics", entity.topics)):
        info[key] += [v for v in values if v not in info[key]]


def _script_language(text: str) -> str:
    """A language key from the script, which is all an imported name tells: "ar" for
    Arabic script (the matcher adds clitic forms for those), "en" for Latin, else "und"."""
    if _ARABIC.search(text):
        return "ar"
    if any((ch.isalpha() and ch.isascii()) or "\u00c0" <= ch <= "\u024f" for ch in text):
        return "en"
    return "und"
