"""The rule-based extractor: Document -> Extraction, built once, then pure per document.

Loading the knowledge base, the gazetteer and the lexicons takes a moment; it happens
once per process (`default_extractor()`), after which `extract(document)` touches no
I/O and no mutable global state, so it can run in a process pool or a Ray stage.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from raqib import __version__
from raqib.extract.attribution import AttributionTracker, SentenceAttribution
from raqib.extract.context import DocContext, SentenceView
from raqib.extract.entities import EntityExtractor, EntityResult
from raqib.extract.events import EventDraft, SentenceEvents
from raqib.extract.lexicons import Lexicon, load_lexicon
from raqib.extract.matcher import (
    LexiconMatchers,
    LexMatch,
    PhraseMatcher,
    TokenReadings,
    matchers_for,
)
from raqib.extract.merge import build_event, group_drafts
from raqib.extract.names import load_name_rules
from raqib.extract.rules import load_rules
from raqib.extract.statements import SentenceRecord, build_statements
from raqib.kb.gazetteer import Gazetteer
from raqib.kb.loader import KBEntry, KnowledgeBase, load_kb
from raqib.model import Document, Event, Extraction, Source
from raqib.text.arabic import fold, normalize
from raqib.text.dates import find_dates, publication_precision
from raqib.text.numbers import find_durations, find_money, find_quantities
from raqib.text.segment import sentences
from raqib.text.tokens import Token, tokenize

EXTRACTOR_NAME = "raqib-rules"
EXTRACTOR_VERSION = __version__
SECTIONS = ("triggers", "role_cues", "status_cues", "source_cues", "qualifiers",
            "anon_phrases", "anon_heads", "anon_modifiers", "negation", "denial", "hedges",
            "conditionals", "generic", "blockers", "media_nouns", "titles", "object_words")
EVENT_LANGUAGES = {"ar": "ar", "en": "en"}


@dataclass(frozen=True, slots=True)
class _Requirement:
    """Adapter so a trigger's `requires_any` forms can run through a PhraseMatcher."""

    forms: tuple


class RuleExtractor:
    """Entities, events, attribution and statements from lexicons and a knowledge base."""

    name = EXTRACTOR_NAME
    version = EXTRACTOR_VERSION

    def __init__(self, kb: KnowledgeBase, extra_entries: Iterable[KBEntry] = (),
                 sanctioned: dict[str, dict] | None = None) -> None:
        extra = list(extra_entries)
        if extra:
            kb = KnowledgeBase({**kb.entries, **{e.id: e for e in extra}})
        self.kb = kb
        self.gazetteer = Gazetteer(
            (form, entry.id, kind) for entry in kb for form, _lang, kind in entry.surface_forms()
        )
        self.media_keys: dict[str, KBEntry] = {}
        for entry in kb.by_type("media"):
            for form, _lang, kind in entry.surface_forms():
                if kind != "demonym":
                    self.media_keys.setdefault(_outlet_key(form), entry)
        self.entities = EntityExtractor(kb, self.gazetteer, load_name_rules(), sanctioned)
        self.lexicons = {lang: load_lexicon(lang) for lang in EVENT_LANGUAGES.values()}
        self.matchers = {lang: matchers_for(lex) for lang, lex in self.lexicons.items()}
        self.requirements = {
            lang: {t.id: PhraseMatcher([_Requirement(t.requires_any)], lex.morphology)
                   for t in lex.triggers if t.requires_any}
            for lang, lex in self.lexicons.items()
        }

    def extract(self, document: Document) -> Extraction:
        text = document.text
        norm = normalize(text)
        language = EVENT_LANGUAGES.get(document.language)
        entity_result = self.entities.extract(text, norm, document.language)
        extraction = Extraction(document=document, entities=entity_result.entities,
                                mentions=entity_result.mentions, extractor=self.name,
                                extractor_version=self.version)
        if language is None:
            return extraction
        ctx = self._context(document, entity_result, self.lexicons[language],
                            self.matchers[language], self.requirements[language])
        events, statements = self._events_and_statements(ctx)
        extraction.events = events
        extraction.statements = statements
        return extraction

    # -- building the context -----------------------------------------------------------
    def _context(self, document: Document, result: EntityResult, lexicon: Lexicon,
                 matchers: LexiconMatchers, requirements: dict[str, PhraseMatcher]) -> DocContext:
        text = document.text
        tokens = list(result.tokens) if result.tokens else tokenize(text)  # tokenised once
        # Each token is read (clitics, article, pronoun) once for all 17 sections.
        readings = matchers.readings(tokens)
        found = matchers.find_longest_all(tokens, SECTIONS, readings)
        # One phrase may be a status cue of several entries for different events ("من
        # المقرر": proposed for a deal, planned for a meeting); the longest-match pass keeps
        # only the first, so every entry on the chosen spans is kept for the event to pick.
        spans = {m.token_indices for m in found["status_cues"]}
        found["status_cues"] = [m for m in matchers.status_cues.find(tokens, readings)
                                if m.token_indices in spans]
        views = self._sentences(document, tokens, found, requirements, readings)
        ctx = DocContext(
            document=document, lexicon=lexicon, tokens=tokens,
            sentences=views, entities=result,
            dates=find_dates(text, _published_for_dates(document.published),
                             document.language),
            money=find_money(text), quantities=find_quantities(text),
            durations=find_durations(text),
        )
        ctx.demonym_spans = set(result.demonym_spans)
        return ctx

    def _sentences(self, document: Document, tokens: list[Token],
                   found: dict[str, list[LexMatch]],
                   requirements: dict[str, PhraseMatcher],
                   readings: TokenReadings) -> list[SentenceView]:
        """One view per sentence, holding the matches that start inside it (in the order
        `find_longest` lists them: by increasing first token)."""
        views = []
        starts = [t.start for t in tokens]
        spans = sentences(document.text)
        firsts = [bisect.bisect_left(starts, span.start) for span in spans]
        lasts = [bisect.bisect_left(starts, span.end) for span in spans]
        # Each match goes to the sentence holding its first token; a section with no
        # match in a sentence has no key there (readers use .get(section, [])), which
        # spares a slice per section and sentence.
        by_sentence: list[dict[str, list[LexMatch]]] = [{} for _ in spans]
        for section, items in found.items():
            for match in items:
                at = bisect.bisect_right(firsts, match.first) - 1
                if at >= 0 and match.first < lasts[at]:
                    by_sentence[at].setdefault(section, []).append(match)
        title = (document.title or "").strip()
        for index, span in enumerate(spans):
            first, last, matches = firsts[index], lasts[index], by_sentence[index]
            piece = None
            for trigger in matches.get("triggers", []):
                matcher = requirements.get(trigger.entry.id)
                if matcher is not None:
                    if piece is None:  # the sentence's tokens, as already read
                        piece = readings.slice(first, last)
                    matches[f"requires:{trigger.entry.id}"] = matcher.find(piece.tokens, piece)
            is_title = index == 0 and bool(title) and span.text.strip() == title
            views.append(SentenceView(index, span, first, last, is_title, matches))
        return views

    # -- the sentence walk ----------------------------------------------------------------
    def _events_and_statements(self, ctx: DocContext):
        tracker = AttributionTracker(ctx)
        finder = SentenceEvents(ctx, load_rules())
        drafts: list[EventDraft] = []
        walked: list[tuple[SentenceView, SentenceAttribution, list[EventDraft]]] = []
        for sent in ctx.sentences:
            attribution = tracker.attribute(sent)
            found = finder.find(sent, attribution)
            drafts += found
            walked.append((sent, attribution, found))
        outlet = self._outlet(ctx.document)
        groups = [g for g in group_drafts(drafts) if any(d.actor_ids() for d in g)]
        events: list[Event] = []
        event_of: dict[int, str] = {}
        general = self._general_categories(ctx)
        for number, group in enumerate(groups, start=1):
            event = build_event(f"ev{number}", group, outlet, ctx.document.text, general)
            events.append(event)
            for draft in group:
                event_of[id(draft)] = event.id
        records = [
            SentenceRecord(sent, attribution,
                           tuple(event_of[id(d)] for d in found if id(d) in event_of))
            for sent, attribution, found in walked
        ]
        statements = build_statements(ctx, records, outlet, events)
        return events, statements

    def _general_categories(self, ctx: DocContext) -> dict[str, frozenset[str]]:
        """Entity id -> ids of the document's general weapon categories it falls under:
        every weapon falls under "weapons" (weapon:arms); a model falls under the
        categories among its knowledge-base parents ("Shahed-136" under "drones")."""
        by_kb = {e.kb_id: e.id for e in ctx.entities.entities if e.kb_id}
        catch_all = by_kb.get("weapon:arms")
        covered: dict[str, frozenset[str]] = {}
        for entity in ctx.entities.entities:
            if entity.type not in ("weapon", "aircraft", "vessel"):
                continue
            under: set[str] = set()
            entry = ctx.entities.kb_entries.get(entity.id)
            seen: set[str] = set()
            while entry is not None and entry.parent and entry.parent not in seen:
                seen.add(entry.parent)
                parent = self.kb.get(entry.parent)
                if entry.parent in by_kb and parent is not None and parent.subtype == "general":
                    under.add(by_kb[entry.parent])
                entry = parent
            if catch_all and entity.id != catch_all:
                under.add(catch_all)
            covered[entity.id] = frozenset(under)
        return covered

    def _outlet(self, document: Document) -> Source:
        """The document's outlet as the first chain link, named as the KB knows it."""
        return Source("outlet", self.canonical_outlet(document.outlet))

    def canonical_outlet(self, name: str | None) -> str | None:
        """"الفاصل", "موقع الفاصل", "reuters.com" -> the knowledge base's outlet name.

        An outlet string from a byline or site name is known to name a medium, so it is
        compared with media names stripped of their head noun (صحيفة، موقع، وكالة...),
        which the gazetteer alone would not allow for ambiguous bare words."""
        if not name:
            return name
        key = _outlet_key(name)
        entry = self.media_keys.get(key)
        return entry.name if entry is not None else name


@cache
def default_extractor() -> RuleExtractor:
    """The extractor over the bundled knowledge base, built once per process."""
    return RuleExtractor(load_kb())


MEDIA_HEADS = ("صحيفه", "جريده", "موقع", "وكاله", "قناه", "شبكه", "مجله", "فريق عمل", "اذاعه")


def _outlet_key(name: str) -> str:
    key = " ".join(fold(name).split())
    for suffix in (".com", ".net", ".org", ".co.uk"):
        key = key.removesuffix(suffix)
    key = key.removeprefix("www.")
    for head in MEDIA_HEADS:
        if key.startswith(head + " "):
            key = key[len(head) + 1:]
            break
    return key.removeprefix("the ")


def _published_for_dates(published: str | None) -> str | None:
    """The publication date as the document gives it, a day, a datetime, a month or a
    year: `find_dates` resolves each expression only as far as that precision supports.
    None when it is not an ISO 8601 date (a feed passes on a date it could not read), so
    that such a document is extracted as if its date were unknown rather than failing."""
    return published if publication_precision(published) is not None else None
