"""Entities and mentions: knowledge-base names first, then rules for unknown names.

Order of work, each step only where the earlier ones left the text free:
1. the gazetteer (bundled knowledge base + imported sanctions names);
2. titles before names ("المبعوث الأميركي الخاص إلى اليمن تيم ليندركينغ",
   "Attorney General Pamela Bondi") and organisation heads ("Ministry of ...",
   "... Trading LLC", "شركة ...") for names the knowledge base does not know;
3. in-document coreference: a later bare surname ("بوت", "Bout") joins the person
   whose full name appeared earlier.
Every entity lists how it was found in `found_by` so an analyst can see why.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from raqib.extract.names import NameRules
from raqib.kb.gazetteer import Gazetteer, Hit, Target
from raqib.kb.loader import KBEntry, KnowledgeBase
from raqib.model import Entity, Mention
from raqib.text.arabic import Normalized, fold
from raqib.text.tokens import Token, tokenize

ARABIC_WORD = re.compile(r"^[\u0621-\u064A\u0660-\u0669\u066E-\u06D3\u06FA-\u06FF]+$")
EN_NAME = re.compile(
    r"\b(?:[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*|[A-Z]{2,})"
    r"(?:\s+(?:(?:al|bin|ibn|de|van|von|der|du|la|abu|el)[- ])?"
    r"(?:[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*|[A-Z]{2,}|[A-Z]\.))*"
)
SAYING_AFTER = re.compile(r"^,?\s*(?:\d{1,3},\s*)?(?:said|says|told|added|stated|wrote)\b")
KIND_RANK = {"name": 0, "alias": 0, "demonym": 1}


@dataclass(slots=True)
class _Draft:
    """An entity being assembled: key, type, display name and its mentions."""

    key: str
    type: str
    name: str
    kb: KBEntry | None = None
    found_by: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    demonym_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EntityResult:
    entities: list[Entity]
    mentions: list[Mention]
    kb_entries: dict[str, KBEntry]  # entity id -> its knowledge-base entry, when linked
    demonym_spans: frozenset[tuple[int, int]] = frozenset()  # mentions that are adjectives


class EntityExtractor:
    """Finds entities in one document; built once with read-only data, then pure."""

    def __init__(self, kb: KnowledgeBase, gazetteer: Gazetteer, rules: NameRules,
                 sanctioned: dict[str, dict] | None = None) -> None:
        self.kb = kb
        self.gazetteer = gazetteer
        self.rules = rules
        self.sanctioned = sanctioned or {}
        self.titles = Gazetteer(
            (title, f"title:{lang}", "name")
            for lang, titles in rules.person_titles.items() for title in titles
        )

    def extract(self, text: str, norm: Normalized, language: str) -> EntityResult:
        drafts: dict[str, _Draft] = {}
        occupied = bytearray(len(text))
        for hit in self.gazetteer.find(text, norm):
            self._add_kb_hit(drafts, hit, occupied)
        tokens = tokenize(text)
        self._add_titled_persons(drafts, text, norm, tokens, occupied)
        if language != "ar":
            self._add_english_names(drafts, text, occupied)
        self._add_surnames(drafts, text, norm, occupied)
        return self._finish(drafts, text)

    # -- knowledge base -------------------------------------------------------------
    def _add_kb_hit(self, drafts: dict[str, _Draft], hit: Hit, occupied: bytearray) -> None:
        target = self._choose(hit.targets)
        entry = self.kb.get(target.entry_id) if target else None
        if entry is None:
            return
        draft = drafts.setdefault(entry.id, _Draft(entry.id, entry.type, entry.name, kb=entry,
                                                   found_by=[f"kb:{entry.id}"]))
        if target.kind == "demonym":
            draft.demonym_spans.append((hit.start, hit.end))
            if f"demonym:{target.form}" not in draft.found_by:
                draft.found_by.append(f"demonym:{target.form}")
        draft.spans.append((hit.start, hit.end))
        occupied[hit.start:hit.end] = b"\x01" * (hit.end - hit.start)

    def _choose(self, targets: tuple[Target, ...]) -> Target | None:
        """Prefer a full name or alias over a demonym; then a stable order by id."""
        ranked = sorted(targets, key=lambda t: (KIND_RANK.get(t.kind, 2), t.entry_id))
        return ranked[0] if ranked else None

    # -- titles -------------------------------------------------------------------
    def _add_titled_persons(self, drafts: dict[str, _Draft], text: str, norm: Normalized,
                            tokens: list[Token], occupied: bytearray) -> None:
        starts = [tok.start for tok in tokens]
        for hit in self.titles.find(text, norm):
            index = self._token_after(tokens, starts, hit.end)
            if index is None:
                continue
            arabic = hit.targets[0].entry_id == "title:ar"
            span = (self._arabic_name_after(tokens, index, occupied) if arabic
                    else self._english_name_after(tokens, index, occupied))
            if span is None:
                continue
            start, end = span
            name = text[start:end]
            key = f"person:{fold(name)}"
            draft = drafts.setdefault(key, _Draft(key, "person", name,
                                                  found_by=["rule:title-before-name"]))
            draft.spans.append(span)
            occupied[start:end] = b"\x01" * (end - start)

    @staticmethod
    def _token_after(tokens: list[Token], starts: list[int], offset: int) -> int | None:
        index = bisect.bisect_left(starts, offset)
        return index if index < len(tokens) else None

    def _arabic_name_after(self, tokens: list[Token], index: int,
                           occupied: bytearray) -> tuple[int, int] | None:
        """Skip the title's modifiers, then take two or three name words."""
        stop = self.rules.ar_stopwords
        position = index
        # Modifiers: definite adjectives (الأميركي، الخاص) and "إلى X" / "لـX" phrases.
        # A known name met anywhere else is what the title describes: no new name.
        while position < len(tokens):
            tok = tokens[position]
            if tok.norm in ("الي", "في", "لدي") and position + 1 < len(tokens):
                position += 2
                continue
            if any(occupied[tok.start:tok.end]):
                if not tok.norm.startswith("ال") or not self._is_adjective(tok):
                    return None
                position += 1
                continue
            if tok.norm.startswith("ال") or tok.norm in ("لشوون",):
                position += 1
                continue
            break
        words: list[Token] = []
        while position < len(tokens) and len(words) < 3:
            tok = tokens[position]
            # A family name may carry the article (سامر الحداد), a first name may not.
            if (not ARABIC_WORD.match(tok.text) or tok.norm in stop
                    or (not words and tok.norm.startswith("ال"))
                    or any(occupied[tok.start:tok.end])):
                break
            words.append(tok)
            position += 1
        if len(words) < 2:
            return None
        return words[0].start, words[-1].end

    @staticmethod
    def _is_adjective(token: Token) -> bool:
        """A nisba adjective (الأميركي، الروسية) rather than a noun phrase (الولايات)."""
        return token.norm.endswith(("ي", "يه", "يون", "يين"))

    def _english_name_after(self, tokens: list[Token], index: int,
                            occupied: bytearray) -> tuple[int, int] | None:
        words: list[Token] = []
        position = index
        while position < len(tokens) and len(words) < 4:
            tok = tokens[position]
            if (not tok.text[:1].isupper() or tok.text in self.rules.en_stopwords
                    or any(occupied[tok.start:tok.end])):
                break
            words.append(tok)
            position += 1
        if not words:
            return None
        return words[0].start, words[-1].end

    # -- English capitalised names ---------------------------------------------------
    def _add_english_names(self, drafts: dict[str, _Draft], text: str,
                           occupied: bytearray) -> None:
        for match in EN_NAME.finditer(text):
            start, end = match.span()
            words = match.group().split()
            while words and words[0] in self.rules.en_stopwords:
                start += len(words[0]) + 1
                words = words[1:]
            if not words or any(occupied[start:end]):
                continue
            kind = self._english_kind(text, start, end, words)
            if kind is None:
                continue
            name = text[start:end]
            key = f"{kind}:{name.casefold()}"
            draft = drafts.setdefault(key, _Draft(key, kind, name,
                                                  found_by=[f"rule:english-{kind}-name"]))
            draft.spans.append((start, end))
            occupied[start:end] = b"\x01" * (end - start)

    def _english_kind(self, text: str, start: int, end: int, words: list[str]) -> str | None:
        if words[-1] in self.rules.en_org_tail and len(words) >= 2:
            return "organization"
        if any(text[start:end].startswith(lead) for lead in self.rules.en_org_lead):
            return "organization"
        if len(words) >= 2 and all(w[:1].isupper() and not w.isupper() for w in words) and \
                SAYING_AFTER.match(text[end:end + 30]):
            return "person"
        return None

    # -- coreference ----------------------------------------------------------------
    def _add_surnames(self, drafts: dict[str, _Draft], text: str, norm: Normalized,
                      occupied: bytearray) -> None:
        forms = []
        for draft in drafts.values():
            if draft.type != "person":
                continue
            for start, end in draft.spans:
                words = text[start:end].split()
                if len(words) >= 2 and len(words[-1]) >= 3:
                    forms.append((words[-1], draft.key, "alias"))
        if not forms:
            return
        surnames = Gazetteer(forms)
        for hit in surnames.find(text, norm):
            if any(occupied[hit.start:hit.end]):
                continue
            keys = {t.entry_id for t in hit.targets}
            if len(keys) != 1:
                continue  # two people share the surname: do not guess
            draft = drafts[keys.pop()]
            draft.spans.append((hit.start, hit.end))
            if "rule:surname-coreference" not in draft.found_by:
                draft.found_by.append("rule:surname-coreference")
            occupied[hit.start:hit.end] = b"\x01" * (hit.end - hit.start)

    # -- output -----------------------------------------------------------------------
    def _finish(self, drafts: dict[str, _Draft], text: str) -> EntityResult:
        ordered = sorted((d for d in drafts.values() if d.spans), key=lambda d: min(d.spans))
        entities, mentions, linked = [], [], {}
        demonyms = frozenset(span for d in ordered for span in d.demonym_spans)
        for number, draft in enumerate(ordered, start=1):
            entity_id = f"e{number}"
            entry = draft.kb
            names = dict(entry.names) if entry else {}
            sanction = self.sanctioned.get(entry.id) if entry else None
            entities.append(Entity(
                id=entity_id, type=draft.type, name=draft.name, names=names,
                kb_id=entry.id if entry else None,
                sanctioned=True if sanction else None,
                found_by=list(draft.found_by), details={"sanctions": sanction} if sanction else {},
            ))
            if entry:
                linked[entity_id] = entry
            for start, end in sorted(set(draft.spans)):
                mentions.append(Mention(entity_id, text[start:end], start, end))
        mentions.sort(key=lambda m: (m.start, m.end))
        return EntityResult(entities, mentions, linked, demonyms)
