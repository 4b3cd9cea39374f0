"""Typed events with roles, from lexicon triggers and cues, one sentence at a time.

For each sentence: triggers from the lexicon (skipping those inside blocker phrases,
negated, conditional, generic, or naming a charge); each needs its object where the
lexicon says so (تسليم needs weapons to be an arms delivery). Entities are then given
roles: first those introduced by a role cue (إلى/لـ → recipient, من → supplier,
على → the person arrested...), then by position (the actor before a trigger is its
agent; after an Arabic verb, the subject follows it). Dates, money, quantities and
durations go to the nearest trigger. Afterwards `merge_events` folds the mentions of one
real-world occurrence into a single event.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from raqib.extract.attribution import SentenceAttribution
from raqib.extract.context import DocContext, SentenceView
from raqib.extract.lexicons import EVENT_ROLES, RoleCue, Trigger
from raqib.extract.matcher import LexMatch
from raqib.extract.names import load_name_rules
from raqib.extract.rules import ExtractionRules
from raqib.model import Mention, ValueSpan
from raqib.text.arabic import fold

ACTOR_TYPES = {"person", "organization", "state", "armed_group"}
PLACE_ROLES = {"place", "origin", "destination"}
NON_ACTOR_ROLES = PLACE_ROLES | {"weapon", "vessel"}
VALUE_ROLES = {"value", "quantity", "term"}
WEAPON_TYPES = {"weapon", "aircraft", "vessel"}
PERSON_ROLES = {"person"}
# The doer of a security operation ("the operation freed hostages": by the same forces).
OPERATION_ROLES = ("agent", "seizer")
OPERATION_REACH = 2  # sentences back that "the operation" may point to
# Roles every member of a subject list fills ("X and Y met": both are participants).
SYMMETRIC_ROLES = {"participant"}
DIRECTION_ROLES = {"recipient", "destination", "to", "supplier", "origin", "from"}
ACTOR_ROLES_BY_TYPE = {"person", "target", "participant", "recipient", "seizer", "agent"}
# Who can impose a sanction: a state, or a body the knowledge base knows as a government,
# intergovernmental, UN panel or legislature ("OFAC", "the EU", "the Security Council").
# A designated company or militia never is, whatever its place in the sentence.
AUTHORITY_SUBTYPES = frozenset({"government", "intergovernmental", "panel", "legislature"})
# "Syria’s Army Supply Bureau": a possessive and the space before the owned name.
POSSESSIVE_GAP = re.compile(r"[’']s\s+")
# Dashes after a dateline ("WASHINGTON — Today, ...").
DATELINE_DASHES = frozenset({"—", "–", "-"})
NEGATION_WINDOW = 3
EXCEPTIVE_WINDOW = 4  # "did not release the two men until"
# Words between a speaker and a coordinated verbal noun: "قتل تسعة واعتقال".
COORDINATION_GAP = 3
GENERIC_WINDOW = 4
CHARGE_WINDOW = 5
STATUS_WINDOW = 6
OBJECT_WINDOW = 6
# "negotiated Houthi weapons procurements": a stage word and the deal it is a stage of.
STAGE_GAP = 3


@dataclass(slots=True)
class EventDraft:
    """An event found in one sentence, before merging."""

    type: str
    status: str | None
    trigger: LexMatch
    sentence: SentenceView
    attribution: SentenceAttribution
    roles: dict[str, list[str | ValueSpan]] = field(default_factory=dict)
    time: ValueSpan | None = None
    time_precision: int = 0  # 1 year, 2 month, 3 day
    found_by: list[str] = field(default_factory=list)
    anaphoric: bool = False  # "The designations freeze ...": refers back, starts nothing
    relative_clause: bool = False  # "Y, who was designated in 2019": describes Y
    published: str | None = None  # the document's publication date, for `merge`

    @property
    def trigger_entry(self) -> Trigger:
        return self.trigger.entry

    def add_role(self, role: str, value: str | ValueSpan) -> None:
        if isinstance(value, str) and any(value in v for r, v in self.roles.items() if r != role):
            return  # one entity, one role in an event: "OFAC (OFAC) designated ..."
        values = self.roles.setdefault(role, [])
        if isinstance(value, str):
            if value not in values:
                values.append(value)
        elif not any(isinstance(v, ValueSpan) and v.value == value.value for v in values):
            values.append(value)

    def actor_ids(self) -> set[str]:
        return {v for role, values in self.roles.items() if role not in NON_ACTOR_ROLES
                for v in values if isinstance(v, str)}


class SentenceEvents:
    """Finds the events of one sentence; roles come from the context's mentions."""

    def __init__(self, ctx: DocContext, rules: ExtractionRules) -> None:
        self.ctx = ctx
        self.rules = rules
        self.lang = "ar" if ctx.lexicon.language == "ar" else "en"
        self.distance = ClauseDistance(ctx.tokens)
        # (sentence index, doer, places) of the last arrest, release or seizure.
        self._last_operation: tuple[int, str, list[str]] | None = None
        self.place_descriptors = tuple(s.casefold() for s in
                                       load_name_rules().en_place_descriptors)

    def _words(self, key: str) -> frozenset[str]:
        """The word list `key` of rules.yaml for this document's language (folded)."""
        table: dict[str, frozenset[str]] = getattr(self.rules, key)
        return table.get(self.lang, frozenset())

    def find(self, sent: SentenceView, attribution: SentenceAttribution) -> list[EventDraft]:
        triggers = [t for t in sent.matches.get("triggers", []) if self._is_event(sent, t)]
        triggers = [t for t in triggers if not self._is_stage_of_next(sent, t, triggers)]
        triggers = self._collapse_adjacent(triggers, sent)
        drafts = []
        for match in triggers:
            entry: Trigger = match.entry
            draft = EventDraft(entry.event, self._status(sent, match), match, sent,
                               attribution.scoped(match.first),
                               found_by=[f"trigger:{entry.id}"],
                               anaphoric=self._is_anaphoric(sent, match),
                               relative_clause=self._in_relative_clause(sent, match),
                               published=self.ctx.document.published)
            drafts.append(draft)
        if not drafts:
            return []
        self._assign_roles(sent, drafts, attribution)
        self._assign_values(sent, drafts, attribution)
        self._share_frame(sent, drafts, attribution)
        self._share_cargo(drafts)
        self._designator_is_no_party(drafts)
        self._operation_anaphor(sent, drafts)
        kept = [d for d in drafts if self._keep(d, sent)]
        self._remember_operation(sent, kept)
        return kept

    def _remember_operation(self, sent: SentenceView, drafts: list[EventDraft]) -> None:
        """The last security operation's doer and place, for "the operation" later on."""
        for draft in drafts:
            doers = [v for role in OPERATION_ROLES for v in draft.roles.get(role, [])
                     if isinstance(v, str)]
            if doers:
                places = [v for v in draft.roles.get("place", []) if isinstance(v, str)]
                self._last_operation = (sent.index, doers[0], places)

    def _operation_anaphor(self, sent: SentenceView, drafts: list[EventDraft]) -> None:
        """"قوات الداخلية اعتقلت ... وأضاف أن العملية أسفرت عن تحرير مخطوفين ومصادرة
        أسلحة": an arrest, release or seizure with no actor of its own, whose sentence
        speaks of "the operation", was done by whoever carried out the operation reported
        in the last two sentences, at its place."""
        if self._last_operation is None:
            return
        index, doer, places = self._last_operation
        if sent.index - index > OPERATION_REACH:
            return
        words = self._words("operation_anaphors")
        for draft in drafts:
            role = draft.trigger_entry.agent_role
            if role not in OPERATION_ROLES or draft.actor_ids():
                continue
            if not any(self.ctx.tokens[i].stem in words
                       for i in range(sent.first, draft.trigger.first)):
                continue
            draft.add_role(role, doer)
            for place in places if not draft.roles.get("place") else []:
                draft.add_role("place", place)
            draft.found_by.append("rule:operation-anaphor")

    @staticmethod
    def _designator_is_no_party(drafts: list[EventDraft]) -> None:
        """"OFAC designated X, which has procured weapons for Y": the body imposing the
        sanction is no party to the deal or arrest the same sentence describes."""
        authorities = {v for d in drafts if d.type == "sanction"
                       for v in d.roles.get("authority", []) if isinstance(v, str)}
        if not authorities:
            return
        for draft in drafts:
            if draft.type == "sanction":
                continue
            for role in list(draft.roles):
                if role in NON_ACTOR_ROLES:
                    continue
                kept = [v for v in draft.roles[role] if v not in authorities]
                if kept:
                    draft.roles[role] = kept
                else:
                    del draft.roles[role]

    @staticmethod
    def _share_cargo(drafts: list[EventDraft]) -> None:
        """"The navy seized a shipment of Iranian missiles bound for the Houthis": the
        seizure and the transfer it intercepted carry the same cargo and route."""
        transfers = [d for d in drafts if d.type == "arms_transfer"]
        for seizure in (d for d in drafts if d.type == "seizure"):
            for transfer in transfers:
                for role in ("weapon", "quantity", "origin", "destination"):
                    source_role = "recipient" if role == "destination" and \
                        not transfer.roles.get("destination") else role
                    if seizure.roles.get(role) or source_role not in transfer.roles:
                        continue
                    for value in transfer.roles[source_role]:
                        seizure.add_role(role, value)

    @staticmethod
    def _collapse_adjacent(triggers: list[LexMatch], sent: SentenceView) -> list[LexMatch]:
        """"أرسلت شحنة صواريخ", "sold a shipment of rifles": two triggers of one type side by
        side express one event; the first one stands for both."""
        kept: list[LexMatch] = []
        for match in sorted(triggers, key=lambda m: m.first):
            previous = kept[-1] if kept else None
            cue_between = any(previous is not None and previous.last < c.first < match.first
                              for c in sent.matches.get("source_cues", []))
            if previous is not None and previous.entry.event == match.entry.event and \
                    0 <= match.first - previous.last <= 2 and not cue_between:
                continue
            kept.append(match)
        return kept

    def _is_anaphoric(self, sent: SentenceView, match: LexMatch) -> bool:
        determiners = self._words("anaphora_determiners")
        opening = [self.ctx.tokens[i] for i in range(sent.first, match.first)
                   if self.ctx.tokens[i].kind != "punct"]
        return 0 < len(opening) <= 1 and opening[0].norm in determiners

    def _in_relative_clause(self, sent: SentenceView, match: LexMatch) -> bool:
        """"Y, who is sanctioned under ...", "X, which was designated in 2011": the
        trigger follows a relative pronoun and describes Y rather than reporting."""
        before = match.first - 1
        return self.lang == "en" and before >= sent.first and \
            self.ctx.tokens[before].norm in self._words("relative_pronouns")

    def _is_stage_of_next(self, sent: SentenceView, match: LexMatch,
                          triggers: list[LexMatch]) -> bool:
        """"للتفاوض على شراء أسلحة": negotiating is the stage of the purchase, not a
        meeting of its own, when a status cue and another trigger follow closely."""
        stages = ("negotiating", "proposed", "agreed")
        if not any(c.first == match.first and c.entry.status in stages
                   for c in sent.matches.get("status_cues", [])):
            return False
        return any(t is not match and t.entry.event == "arms_transfer" and
                   t.entry.event != match.entry.event and
                   0 < t.first - match.last <= STAGE_GAP for t in triggers)

    def _share_frame(self, sent: SentenceView, drafts: list[EventDraft],
                     attribution: SentenceAttribution) -> None:
        """"عندما توجهوا إلى موسكو في آب ... للتفاوض على شراء ... التقوا": a time or place
        set before every trigger of the sentence frames all of them."""
        first_trigger = min(d.trigger.first for d in drafts)
        for draft in drafts:
            if draft.time is None:
                for other in drafts:
                    if other.time and self._token_of(other.time.start) < first_trigger:
                        draft.time, draft.time_precision = other.time, other.time_precision
                        break
        framing = {m.entity for index in range(sent.first, first_trigger)
                   if (m := self.ctx.mention_at_token.get(index)) is not None}
        places = [v for d in drafts for v in d.roles.get("place", []) if v in framing]
        for draft in drafts:
            if places and "place" in EVENT_ROLES.get(draft.type, ()) \
                    and not draft.roles.get("place"):
                for value in places:
                    draft.add_role("place", value)

    def _token_of(self, offset: int) -> int:
        return self.ctx.token_range(offset, offset + 1)[0]

    # -- is this trigger an event? -------------------------------------------------
    def _is_event(self, sent: SentenceView, match: LexMatch) -> bool:
        entry: Trigger = match.entry
        if any(b.first <= match.first and match.last <= b.last
               for b in sent.matches.get("blockers", [])):
            return False
        if self._cue_before(sent, "negation", match, NEGATION_WINDOW) and \
                not self._exception_after(sent, match):
            return False
        if any(c.last < match.first for c in sent.matches.get("conditionals", [])):
            return False
        if self._cue_before(sent, "generic", match, GENERIC_WINDOW):
            return False
        if self._charge_before(match) or self._qualifies_a_group(match):
            return False
        if entry.needs_object and not self._has_object(sent, match, entry.needs_object):
            return False
        return not (entry.requires_any and not sent.matches.get(f"requires:{entry.id}"))

    def _exception_after(self, sent: SentenceView, match: LexMatch) -> bool:
        """"لم يفرج عنهم إلا فجرا", "were not released until dawn": the negation only
        delays or limits the event, which did happen."""
        words = self._words("exceptives")
        last = min(sent.last, match.last + EXCEPTIVE_WINDOW + 1)
        for index in range(match.last + 1, last):
            token = self.ctx.tokens[index]
            if token.kind == "punct":
                return False  # "did not release him, and until now ...": another clause
            if token.norm in words:
                return True
        return False

    @staticmethod
    def _cue_before(sent: SentenceView, section: str, match: LexMatch, window: int) -> bool:
        return any(match.first - window <= c.last < match.first or
                   (c.first <= match.first <= c.last)
                   for c in sent.matches.get(section, []))

    def _qualifies_a_group(self, match: LexMatch) -> bool:
        """"شبكة تهريب", "smuggling network": the trigger word describes a group."""
        heads = self._words("descriptor_heads")
        tokens = self.ctx.tokens
        if self.lang == "ar":
            index = match.first - 1
            return index >= 0 and (tokens[index].norm in heads or tokens[index].stem in heads)
        index = match.last + 1
        return index < len(tokens) and tokens[index].norm in heads

    def _charge_before(self, match: LexMatch) -> bool:
        markers = self.rules.charge_markers[self.lang]
        lo = max(0, match.first - CHARGE_WINDOW)
        return any(self.ctx.tokens[i].norm in markers or self.ctx.tokens[i].stem in markers
                   for i in range(lo, match.first))

    def _has_object(self, sent: SentenceView, match: LexMatch, cls: str) -> bool:
        lo, hi = match.first - OBJECT_WINDOW, match.last + OBJECT_WINDOW
        for word in sent.matches.get("object_words", []):
            if word.entry.cls == cls and lo <= word.first <= hi:
                return True
        wanted = WEAPON_TYPES if cls == "weapon" else {"person"}
        for index in range(max(sent.first, lo), min(sent.last, hi + 1)):
            mention = self.ctx.mention_at_token.get(index)
            if mention and self.ctx.entity(mention.entity).type in wanted:
                return True
        if cls == "person":  # "ترحيله", "his extradition": the object is a pronoun
            possessives = self._words("possessive_pronouns")
            before = self.ctx.tokens[match.first - 1].norm if match.first > 0 else ""
            return before in possessives or \
                any(self.ctx.tokens[i].suffix for i in match.token_indices)
        return False

    # -- status ---------------------------------------------------------------------
    def _status(self, sent: SentenceView, match: LexMatch) -> str | None:
        entry: Trigger = match.entry
        best: tuple[int, int, str] | None = None
        precedence = self.ctx.lexicon.status_precedence
        for cue in sent.matches.get("status_cues", []):
            status_cue = cue.entry
            if entry.event not in status_cue.events or status_cue.attached:
                continue
            distance = _token_gap(match, cue.first, cue.last)
            if distance > STATUS_WINDOW:
                continue
            rank = precedence.index(status_cue.status) if status_cue.status in precedence else 99
            key = (distance, rank, status_cue.status)
            if best is None or key < best:
                best = key
        if best is not None:
            return best[2]
        if any("س" in stripped for stripped in match.stripped):
            return "proposed" if entry.event == "arms_transfer" else "planned"
        if entry.status:
            return entry.status
        return None if entry.event == "arms_transfer" else "occurred"

    # -- roles ------------------------------------------------------------------------
    def _assign_roles(self, sent: SentenceView, drafts: list[EventDraft],
                      attribution: SentenceAttribution) -> None:
        for draft in drafts:
            self._speaker_as_agent(draft)
        every = self.ctx.mentions_in(sent.first, sent.last)
        self._demonym_origins(sent, drafts, every)
        mentions = [m for m in every if not self._excluded(m, attribution)]
        cue_of: dict[int, RoleCue | None] = {}
        # Mentions whose preposition belongs to another verb ("توجه إلى موسكو") may still
        # be a place, but never the agent or patient of a trigger.
        cued_elsewhere: set[int] = set()
        positional: list[tuple[Mention, range]] = []
        for mention in mentions:
            tokens = self.ctx.token_range(mention.start, mention.end)
            if not tokens:
                continue
            cue = self._role_cue_before(sent, tokens[0])
            cue_of[tokens[0]] = cue
            if cue is None:
                positional.append((mention, tokens))
                continue
            if self._describes_recipient(sent, mention, tokens[0], cue_of):
                continue
            draft = min(drafts, key=lambda d: self.distance(d.trigger, tokens))
            role = self._cue_role(draft, mention, cue, tokens)
            if role:
                draft.add_role(role, self._role_value(mention, role))
            else:
                cued_elsewhere.add(id(mention))
                positional.append((mention, tokens))
        # Nearest first: the actor right before a trigger is its agent, not one further off.
        placed = sorted(
            ((min(self.distance(d.trigger, tokens) for d in drafts), mention, tokens)
             for mention, tokens in positional), key=lambda item: item[0])
        for _, mention, tokens in placed:
            draft = self._positional_owner(drafts, tokens)
            role = self._positional_role(draft, mention, tokens,
                                         place_only=id(mention) in cued_elsewhere)
            if role:
                draft.add_role(role, self._role_value(mention, role))
        for draft in drafts:
            self._share_subject(draft, mentions, drafts)
            self._resolve_pronoun(sent, draft)

    def _positional_owner(self, drafts: list[EventDraft], tokens: range) -> EventDraft:
        """The trigger a mention without a role cue belongs to: the nearest one, except
        that a trigger carrying an object pronoun after the mention ("استقباله", his
        reception) refers back to it; the mention is then the object of the trigger just
        before it ("لاستقبال توني بلير ... واعتبر أن استقباله")."""
        nearest = min(drafts, key=lambda d: self.distance(d.trigger, tokens))
        if nearest.trigger.first <= tokens[-1] or not self._has_object_pronoun(nearest.trigger):
            return nearest
        before = [d for d in drafts if d.trigger.last < tokens[0]]
        if not before:
            return nearest
        previous = max(before, key=lambda d: d.trigger.last)
        between = range(previous.trigger.last + 1, tokens[0])
        if len(between) > OBJECT_WINDOW or any(self._ends_object(i) for i in between):
            return nearest
        return previous

    def _ends_object(self, index: int) -> bool:
        """A comma or another name (not an adjective like الروسي) ends a trigger's object."""
        mention = self.ctx.mention_at_token.get(index)
        return self.ctx.tokens[index].kind == "punct" or \
            (mention is not None and not self.ctx.is_demonym(mention))

    def _speaker_as_agent(self, draft: EventDraft) -> None:
        """"the US Navy said it had intercepted", "وقالت البحرية إنها اعترضت": a pronoun
        subject right after the cue is the speaker itself."""
        agent = draft.trigger_entry.agent_role
        chain = draft.attribution.chain
        if not agent or draft.roles.get(agent) or not chain or not chain[-1].entity:
            return
        lo = max(draft.sentence.first, draft.trigger.first - 3)
        pronouns = self._words("subject_pronouns")
        openers = self._words("claim_openers")
        # "نفت إيران تزويد...", "Iran denied supplying...": the verbal noun right after
        # the speaker has the speaker as its subject.
        hit = draft.trigger.first - 1 in draft.attribution.source_tokens or \
            self._coordinated_after_speaker(draft)
        for index in range(lo, draft.trigger.first):
            token = self.ctx.tokens[index]
            if token.norm in pronouns or (token.suffix and token.norm in openers):
                hit = True
        entity = self.ctx.entity_by_id.get(chain[-1].entity)
        if hit and entity is not None and entity.type in ACTOR_TYPES and \
                (agent != "authority" or self._can_impose_entity(entity.id)):
            draft.add_role(agent, entity.id)
            draft.found_by.append("rule:speaker-pronoun")

    def _coordinated_after_speaker(self, draft: EventDraft) -> bool:
        """"أعلنت القيادة قتل تسعة واعتقال آخرين": a verbal noun joined by و to the
        one right after the speaker shares its subject, the speaker."""
        trigger = draft.trigger.first
        head = self.ctx.tokens[trigger]
        if self.lang != "ar" or "و" not in head.prefix.split("+"):
            return False
        sources = [i for i in draft.attribution.source_tokens if i < trigger]
        if not sources:
            return False
        gap = range(max(sources) + 1, trigger)
        openers = self._words("claim_openers")
        return 0 < len(gap) <= COORDINATION_GAP and not any(
            self.ctx.tokens[i].kind == "punct" or self.ctx.tokens[i].norm in openers or
            i in self.ctx.mention_at_token for i in gap)

    def _demonym_origins(self, sent: SentenceView, drafts: list[EventDraft],
                         mentions: list[Mention]) -> None:
        """"أسلحة إيرانية", "Iranian arms": the adjective on a weapon gives its origin."""
        for mention in mentions:
            if not self.ctx.is_demonym(mention):
                continue
            tokens = self.ctx.token_range(mention.start, mention.end)
            neighbour = tokens[0] - 1 if self.lang == "ar" else tokens[-1] + 1
            if not self._is_weapon_token(sent, neighbour):
                continue
            procurement = self._buyer_before_trigger(drafts, sent, neighbour)
            if procurement is not None:
                procurement.add_role("recipient", mention.entity)
                continue
            takers = [d for d in drafts if "origin" in EVENT_ROLES.get(d.type, ())]
            if takers:
                draft = min(takers, key=lambda d: self.distance(d.trigger, tokens))
                draft.add_role("origin", mention.entity)

    def _buyer_before_trigger(self, drafts: list[EventDraft], sent: SentenceView,
                              weapon: int) -> EventDraft | None:
        """"Houthi weapons procurement": an English demonym before the weapon word of a
        buying noun names who buys, not where the weapons come from."""
        if self.lang != "en":
            return None
        after = weapon + 1
        while after <= sent.last and self._is_weapon_token(sent, after):
            after += 1  # "Houthi weapons and component procurement" is not handled
        for draft in drafts:
            if draft.trigger.first == after and draft.type == "arms_transfer" and \
                    draft.trigger_entry.agent_role == "recipient":
                return draft
        return None

    def _is_weapon_token(self, sent: SentenceView, index: int) -> bool:
        mention = self.ctx.mention_at_token.get(index)
        if mention is not None and self.ctx.entity(mention.entity).type in WEAPON_TYPES:
            return True
        return any(w.entry.cls == "weapon" and w.first <= index <= w.last
                   for w in sent.matches.get("object_words", []))

    def _share_subject(self, draft: EventDraft, mentions: list[Mention],
                       drafts: list[EventDraft]) -> None:
        """"ويحاول فيكتور بوت ... بيع أسلحة": a verbal noun with no actor of its own takes
        the sentence's first actor, the subject of the verb that governs it."""
        entry = draft.trigger_entry
        if not entry.agent_role:
            return
        symmetric = entry.agent_role == entry.patient_role  # "they met": both sides meet
        if draft.actor_ids() and not (symmetric and len(draft.roles.get(entry.agent_role, [])) < 2):
            return
        for mention in mentions:
            tokens = self.ctx.token_range(mention.start, mention.end)
            if tokens[-1] >= draft.trigger.first:
                return
            taken = mention.entity in draft.roles.get(entry.agent_role, [])
            if self._cue_between(draft.sentence, tokens[-1], draft.trigger.first):
                return  # "فرضت الولايات المتحدة عقوبات على شبكة تتهمها بنقل": a new clause
            if self.lang == "en" and draft.type == "sanction" and \
                    self._role_cue_before(draft.sentence, tokens[0]):
                continue  # "a network in Lebanon", "the Government of Syria": no designator
            if self._noun_clause_apart(draft, entry, tokens[-1]):
                continue  # "... in Lebanon and Iraq, among numerous other designations"
            if self._is_actor(mention) and self._fits(entry.agent_role, mention) and \
                    not self._descriptor(tokens[0]) and not taken:
                draft.add_role(entry.agent_role, self._role_value(mention, entry.agent_role))
                draft.found_by.append("rule:shared-subject")
                return

    @staticmethod
    def _cue_between(sent: SentenceView, lo: int, hi: int) -> bool:
        return any(lo < cue.first < hi for cue in sent.matches.get("source_cues", []))

    def _role_value(self, mention: Mention, role: str) -> str:
        """An actor role filled by a seat of power or a capital ("the Kremlin") names the
        state it stands for, when the document mentions that state too."""
        if role in PLACE_ROLES:
            return mention.entity
        entry = self.ctx.entities.kb_entries.get(mention.entity)
        if entry is not None and entry.stands_for:
            for entity in self.ctx.entities.entities:
                if entity.kb_id == entry.stands_for:
                    return entity.id
        return mention.entity

    def _excluded(self, mention: Mention, attribution: SentenceAttribution) -> bool:
        tokens = self.ctx.token_range(mention.start, mention.end)
        if any(i in attribution.source_tokens for i in tokens) or \
                self._qualifies_source(tokens, attribution):
            return True
        if self.ctx.is_demonym(mention) and not self._demonym_as_actor(tokens[0]):
            return True
        entity = self.ctx.entity(mention.entity)
        return entity.type == "media" or self._is_dateline(tokens)

    def _qualifies_source(self, tokens: range, attribution: SentenceAttribution) -> bool:
        """"وحسب مصادر بوزارة الداخلية", "sources in the ministry": a name right after
        unnamed source words says where the source sits; it is no party to the event."""
        before = tokens[0] - 1
        if before < 0 or before not in attribution.source_tokens or \
                not any(link.kind == "anonymous" for link in attribution.chain):
            return False  # "الأمين العام للأمم المتحدة": a named speaker's own office
        token = self.ctx.tokens[before]
        return token.kind != "punct" and token.norm not in self._words("claim_openers") \
            and before not in self.ctx.mention_at_token

    def _is_dateline(self, tokens: range) -> bool:
        """"WASHINGTON — Today, ...": the place a report was filed from, not an actor."""
        if self.lang != "en" or not tokens:
            return False
        after = tokens[-1] + 1
        starts_line = tokens[0] == 0 or "\n" in self.ctx.document.text[
            self.ctx.tokens[tokens[0] - 1].end:self.ctx.tokens[tokens[0]].start]
        return starts_line and after < len(self.ctx.tokens) and \
            self.ctx.tokens[after].norm in DATELINE_DASHES

    def _demonym_as_actor(self, first: int) -> bool:
        """"مسؤولين روسيين", "Russian officials": the adjective names the acting state."""
        sent_matches = [m for s in self.ctx.sentences if s.first <= first < s.last
                        for m in s.matches.get("anon_heads", [])]
        if self.lang == "ar":
            return any(m.last == first - 1 for m in sent_matches)
        if any(m.first == first + 1 for m in sent_matches):
            return True
        # "Spanish police arrested ...", "Turkish customs seized ...": a service of the
        # state acts for it; "Iranian military equipment" is a weapon's origin.
        sent = next(s for s in self.ctx.sentences if s.first <= first <= s.last)
        services = self._words("state_services")
        return any(m.first == first + 1 and fold(m.entry.en or "") in services and
                   not self._is_weapon_token(sent, m.last + 1)
                   for m in sent.matches.get("anon_modifiers", []))

    def _role_cue_before(self, sent: SentenceView, first: int) -> RoleCue | None:
        token = self.ctx.tokens[first]
        gap_words = self._words("cue_gap_words")
        reach = first - 1
        while reach > sent.first and self.ctx.tokens[reach].norm in gap_words:
            reach -= 1  # "to the Houthis", "in western Libya"
        for cue in sent.matches.get("role_cues", []):
            if cue.last in (first - 1, reach) and not cue.entry.attached:
                return cue.entry
        attached = [c for c in self.ctx.lexicon.role_cues if c.attached]
        prefix = token.prefix.split("+") if token.prefix else []
        for role_cue in attached:
            if any(f.words and f.words[0] in prefix for f in role_cue.forms):
                return role_cue
        return None

    def _describes_recipient(self, sent: SentenceView, mention: Mention, first: int,
                             cue_of: dict[int, RoleCue | None]) -> bool:
        """"يبيع أسلحة للحوثيين في اليمن": a place right after a recipient locates the
        recipient, not the deal."""
        if self.ctx.entity(mention.entity).type not in ("state", "location"):
            return False
        before = self.ctx.mention_at_token.get(first - 2)
        if before is None or before is mention:
            return False
        before_first = self.ctx.token_range(before.start, before.end)[0]
        previous_cue = cue_of.get(before_first)
        return previous_cue is not None and any(
            "recipient" in roles or "to" in roles or "destination" in roles
            for roles in previous_cue.roles.values())

    def _cue_role(self, draft: EventDraft, mention: Mention, cue: RoleCue,
                  tokens: range) -> str | None:
        allowed = EVENT_ROLES.get(draft.type, ())
        candidates = list(cue.roles.get(draft.type, ())) + list(cue.roles.get("any", ()))
        before_trigger = tokens[-1] < draft.trigger.first
        limit = self.rules.cue_max_distance.get(cue.id, {}).get(draft.type)
        if limit is not None and (before_trigger or tokens[0] - draft.trigger.last > limit + 1):
            return None
        for role in candidates:
            # "توجه إلى موسكو للتفاوض على شراء": إلى before the trigger belongs to
            # another verb; direction roles are read after the trigger only.
            if before_trigger and role in DIRECTION_ROLES:
                continue
            if role in allowed and self._fits(role, mention):
                return role
        return None

    def _positional_role(self, draft: EventDraft, mention: Mention, tokens: range,
                         place_only: bool = False) -> str | None:
        entity = self.ctx.entity(mention.entity)
        allowed = EVENT_ROLES.get(draft.type, ())
        if entity.type in WEAPON_TYPES:
            if entity.type == "vessel" and "vessel" in allowed:
                return "vessel"
            return "weapon" if "weapon" in allowed else None
        # "the Paris meeting", "talks in Moscow": for a meeting a capital is its place.
        if draft.type == "meeting" and entity.type == "location":
            place_only = True
        if not self._is_actor(mention) or place_only:
            if entity.type == "location" and "place" in allowed and not draft.roles.get("place"):
                return "place"
            return None
        if self._descriptor(tokens[0]):
            return None
        entry = draft.trigger_entry
        agent, patient = entry.agent_role, entry.patient_role
        before = tokens[-1] < draft.trigger.first
        # "أطلق سراحه", "ترحيله": an object pronoun on the trigger means the actor named
        # before it is what the action was done to, as in a passive.
        passive = entry.voice == "passive" or (
            self._has_object_pronoun(draft.trigger) and patient in ACTOR_ROLES_BY_TYPE) or \
            (before and self._verb_without_object(draft, patient))
        if before:
            if self._noun_clause_apart(draft, entry, tokens[-1]):
                return None  # "... in Lebanon and Iraq, among numerous other designations"
            role = patient if passive else agent
            # "X, Y and Z are being designated": every name of the list is the subject.
            # "X and Y met", "جورج بوش وفلاديمير بوتين أجريا اتصالا": both sides meet.
            listed = (passive and role == patient) or role in SYMMETRIC_ROLES
            if listed and role in draft.roles and role in allowed and \
                    self._fits(role, mention) and self._listed_before(draft, role, tokens):
                return role
        elif self.lang == "ar" and entry.voice not in ("noun", "passive") and \
                tokens[0] - draft.trigger.last <= 2 \
                and agent not in draft.roles and not self._subject_before(draft):
            role = agent  # Arabic verb-subject order, unless the subject came first
        else:
            # After the trigger: its objects ("designated X, Y and Z" — all targets).
            if self._needs_cue_after(draft, entry, tokens[0]):
                return None
            # An Arabic passive has no "by" doer: the name after it is its subject, the
            # one acted upon ("أدين أحمد منصور بتهمة ...").
            role = patient if not passive or (self.lang == "ar" and entry.voice == "passive") \
                else agent
            if role == patient and role in ACTOR_ROLES_BY_TYPE and self._fits(role, mention) \
                    and self._object_list_ended(draft, tokens[0]):
                return None  # "designated X pursuant to ... for supporting Y": Y is no target
            if role and not self._fits(role, mention):
                role = agent if agent not in draft.roles else None
            if role == agent and agent != patient and self.lang == "ar" and \
                    tokens[0] - draft.trigger.last > OBJECT_WINDOW:
                # "لم يفرج عنهم إلا فجرا واعتبر إيفانوف ... لاستفزاز روسيا": an actor
                # far after the trigger belongs to a later clause, not its doer.
                role = None
            if role and role in allowed and self._fits(role, mention) and \
                    (role == patient or role not in draft.roles):
                return role
            return None
        # "استقبل X Y", "X met Y": with one role for both sides, the subject before the
        # trigger joins the object already placed after it.
        both_sides = agent == patient and before and len(draft.roles.get(role or "", [])) < 2
        if role and role in allowed and (role not in draft.roles or both_sides) and \
                self._fits(role, mention):
            return role
        if role == "recipient" and "broker" in allowed and "broker" not in draft.roles and \
                self.lang == "en" and self._fits("broker", mention) and \
                self.ctx.entity(mention.entity).type in ("person", "organization"):
            return "broker"  # "Al-Hadi financed Houthi weapons procurement": for a buyer
        return None

    def _subject_before(self, draft: EventDraft) -> bool:
        """"وكان الجيش قد اعتقل X", "قالت الشرطة إنها اعتقلت X": the verb's subject stands
        before it (a name, or a pronoun on إن), so the name after it is its object."""
        skip = self._words("verb_particles")
        index = draft.trigger.first - 1
        while index >= draft.sentence.first and self.ctx.tokens[index].norm in skip:
            index -= 1
        if index < draft.sentence.first:
            return False
        token = self.ctx.tokens[index]
        if token.norm in self._words("subject_pronouns") or \
                (token.suffix and token.norm in self._words("claim_openers")):
            return True
        mention = self.ctx.mention_at_token.get(index)
        return mention is not None and self._is_actor(mention) and \
            not self.ctx.is_demonym(mention)

    def _verb_without_object(self, draft: EventDraft, patient: str | None) -> bool:
        """"وكان حمدان اعتقل في أفغانستان", "الدويك قد اعتقل في الخامس": an unvocalised
        Arabic verb after its subject, with no object but a preposition or date after it,
        reads as a passive (اعتُقل): the subject is the one arrested."""
        if self.lang != "ar" or draft.trigger_entry.voice is not None or \
                patient not in PERSON_ROLES:
            return False
        if self.ctx.tokens[draft.trigger.first].stem.endswith("ت"):
            # "قوات الداخلية قتلت اثنين واعتقلت إثر ...": a feminine verb after forces or
            # police (grammatically feminine) is their action with its object dropped.
            return False
        after = draft.trigger.last + 1
        if after >= draft.sentence.last or after >= len(self.ctx.tokens):
            return True
        token = self.ctx.tokens[after]
        return token.kind == "punct" or token.norm in self._words("objectless_followers")

    def _noun_clause_apart(self, draft: EventDraft, entry: Trigger, last: int) -> bool:
        """The doer of an English designation noun stands right before it ("OFAC's
        designation", "EU designations"), not beyond a comma."""
        if self.lang != "en" or entry.voice != "noun" or draft.type != "sanction":
            return False
        tokens = self.ctx.tokens
        # A comma inside a date ("OFAC's October 17, 2022 designations") separates nothing.
        return any(tokens[i].norm in ",;:" and tokens[i + 1].kind != "number"
                   for i in range(last + 1, draft.trigger.first))

    def _needs_cue_after(self, draft: EventDraft, entry: Trigger, first: int) -> bool:
        """An English passive names its doer only with "by" ("was designated by the EU"),
        and a designation noun its targets after "of"/"on"/"against" ("the designation
        of the leader of the RSF, Hemedti"): an actor standing bare after them belongs to
        another clause ("Today's designations highlight the U.S. government's ...", "was
        designated ... for supporting Iran's ministry")."""
        if self.lang != "en":
            return False
        if entry.voice == "passive":
            return True
        if entry.voice != "noun" or draft.type != "sanction":
            return False
        patient = entry.patient_role
        return not any(draft.trigger.last < cue.first < first and
                       patient in cue.entry.roles.get(draft.type, ())
                       for cue in draft.sentence.matches.get("role_cues", []))

    def _listed_before(self, draft: EventDraft, role: str, tokens: range) -> bool:
        """Is the mention at `tokens` joined to a mention already in `role` only by list
        words ("X, Y and Z", "X as well as Y")?"""
        taken = {v for v in draft.roles.get(role, []) if isinstance(v, str)}
        index = tokens[-1] + 1
        joined = self.lang != "ar"  # Arabic joins with the clitic و on the next word
        while index < draft.trigger.first:
            token = self.ctx.tokens[index]
            joined = joined or "و" in token.prefix.split("+")
            mention = self.ctx.mention_at_token.get(index)
            if mention is not None:
                if self.lang == "ar" and self.ctx.is_demonym(mention):
                    # "الرئيسين الأميركي جورج بوش والروسي فلاديمير بوتين": the
                    # adjective of the next name stands inside the list.
                    index = self.ctx.token_range(mention.start, mention.end)[-1] + 1
                    continue
                return joined and mention.entity in taken
            if token.norm not in self._words("list_glue"):
                return False
            index += 1
        return False

    def _object_list_ended(self, draft: EventDraft, first: int) -> bool:
        """After a trigger its objects run until a role cue that gives this event another
        role: "pursuant to", "for", "in", "with" open a phrase of their own."""
        patient = draft.trigger_entry.patient_role
        if self.lang != "en" or draft.type != "sanction":
            # Arabic objects follow the verb-subject order and clitic cues; the long
            # "for having ... support to Y" reason clause is the designation notice's.
            return False
        # "designating members of a network that helps fund X": X is in a clause of its own.
        pronouns = self._words("relative_pronouns")
        if any(self.ctx.tokens[i].norm in pronouns
               for i in range(draft.trigger.last + 1, first)):
            return True
        for cue in draft.sentence.matches.get("role_cues", []):
            if not draft.trigger.last < cue.first < first or cue.entry.attached:
                continue
            roles = (*cue.entry.roles.get(draft.type, ()), *cue.entry.roles.get("any", ()))
            if patient not in roles:
                return True
        return False

    def _has_object_pronoun(self, match: LexMatch) -> bool:
        if self.lang != "ar":
            return False
        bound = self._words("object_pronoun_words")  # "أفرج عنه": the pronoun on عن
        return any(self.ctx.tokens[i].suffix or self.ctx.tokens[i].norm in bound
                   for i in match.token_indices)

    def _fits(self, role: str, mention: Mention) -> bool:
        entity = self.ctx.entity(mention.entity)
        if role in PLACE_ROLES:
            return entity.type in ("location", "state")
        if self._locates_something(mention) or self._possessor_of_actor(mention):
            # "Iran-based Hasan al-Kuhlani": Iran is where he is; "Syria's Army Supply
            # Bureau": the bureau is the party (the most specific entity named).
            return False
        if role == "weapon":
            return entity.type in WEAPON_TYPES
        if role == "vessel":
            return entity.type in ("vessel", "aircraft")
        if role in VALUE_ROLES or role in ("charge", "program", "topic"):
            return False
        if role in PERSON_ROLES:
            return entity.type == "person"
        if role == "authority":
            return self._can_impose(mention)
        return self._is_actor(mention)

    def _locates_something(self, mention: Mention) -> bool:
        if self.lang != "en":
            return False
        text = self.ctx.document.text
        after = text[mention.end:mention.end + 16].replace("–", "-").casefold()
        return after.startswith(self.place_descriptors)

    def _possessor_of_actor(self, mention: Mention) -> bool:
        if self.lang != "en":
            return False
        text = self.ctx.document.text
        match = POSSESSIVE_GAP.match(text, mention.end)
        if match is None:
            return False
        tokens = self.ctx.token_range(match.end(), match.end() + 1)
        owned = self.ctx.mention_at_token.get(tokens[0]) if tokens else None
        return owned is not None and owned is not mention and \
            self.ctx.entity(owned.entity).type in ACTOR_TYPES

    def _can_impose(self, mention: Mention) -> bool:
        return self._can_impose_entity(mention.entity)

    def _can_impose_entity(self, entity_id: str) -> bool:
        entity = self.ctx.entity(entity_id)
        if entity.type == "state":
            return True
        entry = self.ctx.entities.kb_entries.get(entity.id)
        if entry is None:
            return False
        return entry.subtype in AUTHORITY_SUBTYPES or \
            (entity.type == "location" and entry.stands_for is not None)

    def _is_actor(self, mention: Mention) -> bool:
        entity = self.ctx.entity(mention.entity)
        if entity.type in ACTOR_TYPES:
            return True
        entry = self.ctx.entities.kb_entries.get(entity.id)
        return entity.type == "location" and entry is not None and entry.stands_for is not None

    def _descriptor(self, first: int) -> bool:
        """"تاجر أسلحة روسيا": a state right after a person noun qualifies that person."""
        lo = max(0, first - 2)
        for index in range(lo, first):
            token = self.ctx.tokens[index]
            if token.norm in ("تاجر", "تجار") or token.stem in ("تاجر", "تجار"):
                return True
        return False

    def _resolve_pronoun(self, sent: SentenceView, draft: EventDraft) -> None:
        """Fill an empty person role from a pronoun on the trigger or a dropped subject."""
        allowed = EVENT_ROLES.get(draft.type, ())
        role = "person" if "person" in allowed else None
        if role is None or draft.roles.get(role):
            return
        person = self._recent_person(draft.trigger.first, sent)
        if person is not None:
            draft.add_role(role, person)
            draft.found_by.append("rule:pronoun-or-dropped-subject")

    def _recent_person(self, before: int, sent: SentenceView) -> str | None:
        lowest = self.ctx.sentences[max(0, sent.index - 2)].first
        for index in range(before - 1, lowest - 1, -1):
            mention = self.ctx.mention_at_token.get(index)
            if mention and self.ctx.entity(mention.entity).type == "person":
                return mention.entity
        return None

    # -- dates and amounts -------------------------------------------------------------
    def _assign_values(self, sent: SentenceView, drafts: list[EventDraft],
                       attribution: SentenceAttribution) -> None:
        start, end = sent.span.start, sent.span.end
        for date in self.ctx.dates:
            if not (start <= date.start < end) or date.value is None:
                continue
            tokens = self.ctx.token_range(date.start, date.end)
            if not tokens or any(i in attribution.source_tokens for i in tokens):
                continue
            draft = min(drafts, key=lambda d: self.distance(d.trigger, tokens))
            precision = {"year": 1, "month": 2, "day": 3}.get(date.precision, 0)
            if draft.time is None or precision > draft.time_precision:
                draft.time = ValueSpan(date.text, date.start, date.end, date.value)
                draft.time_precision = precision
        self._assign_amounts(sent, drafts, self.ctx.money, "value",
                             lambda m: {"amount": m.amount, "currency": m.currency})
        quantities = [q for q in self.ctx.quantities if self._counts_weapons(sent, q)]
        self._assign_amounts(sent, drafts, quantities, "quantity",
                             lambda q: {"amount": q.amount, "unit": q.unit})
        self._assign_amounts(sent, drafts, self.ctx.durations, "term", lambda d: dict(d.value))

    def _counts_weapons(self, sent: SentenceView, quantity) -> bool:
        """"2,000 AK-47 rifles", "ثلاث شحنات" count weapons or cargo; "four people" not."""
        if quantity.unit in self.rules.cargo_units:
            return True
        tokens = self.ctx.token_range(quantity.start, quantity.end)
        for index in tokens:
            mention = self.ctx.mention_at_token.get(index)
            if mention and self.ctx.entity(mention.entity).type in WEAPON_TYPES:
                return True
        return any(w.entry.cls == "weapon" and w.first in tokens
                   for w in sent.matches.get("object_words", []))

    def _assign_amounts(self, sent: SentenceView, drafts: list[EventDraft], found: list,
                        role: str, value_of) -> None:
        start, end = sent.span.start, sent.span.end
        for item in found:
            if not (start <= item.start < end):
                continue
            takers = [d for d in drafts if role in EVENT_ROLES.get(d.type, ())]
            if not takers:
                continue
            tokens = self.ctx.token_range(item.start, item.end)
            draft = min(takers, key=lambda d: self.distance(d.trigger, tokens))
            draft.add_role(role, ValueSpan(item.text, item.start, item.end, value_of(item)))

    # -- keep or drop -----------------------------------------------------------------
    def _keep(self, draft: EventDraft, sent: SentenceView) -> bool:
        if draft.trigger_entry.confidence == "low" and len(draft.actor_ids()) < 2:
            return False
        auxiliaries = self._words("present_auxiliaries")
        if draft.relative_clause and any(w in auxiliaries for w in draft.trigger.form.words):
            return False  # "Y, who is sanctioned under ...": Y's standing, no event
        if draft.type == "seizure" and self._seized_by_armed_group(draft):
            return False  # a capture in fighting, not authorities seizing a shipment
        self._future_is_planned(draft)
        generic = draft.type == "arms_transfer" and not draft.roles.get("recipient") and \
            self._generic_recipient(sent, draft)
        return not generic

    def _seized_by_armed_group(self, draft: EventDraft) -> bool:
        seizers = [v for v in draft.roles.get("seizer", []) if isinstance(v, str)]
        return bool(seizers) and all(self.ctx.entity(v).type == "armed_group" for v in seizers)

    def _future_is_planned(self, draft: EventDraft) -> None:
        """An event dated after publication has not happened yet."""
        published = self.ctx.document.published
        if not (draft.time and draft.time.value and published):
            return
        value = draft.time.value
        if "-W" in value:  # an ISO week ("2024-W40") is after publication if its Monday is
            year, _, week = value.partition("-W")
            try:
                value = dt.date.fromisocalendar(int(year), int(week[:2]), 1).isoformat()
            except ValueError:
                return
        # Compare at the precision both have: "2015-10-06" is not after "2015-10".
        shared = min(len(value), len(published[:10]))
        if value[:1].isdigit() and value[:shared] > published[:shared]:
            if draft.type == "arms_transfer":
                if draft.status in (None, "delivered"):
                    draft.status = "proposed"
            elif draft.status in (None, "occurred"):
                draft.status = "planned"

    def _generic_recipient(self, sent: SentenceView, draft: EventDraft) -> bool:
        words = self.rules.generic_recipients[self.lang]
        for index in range(draft.trigger.last + 1, min(sent.last, draft.trigger.last + 6)):
            token = self.ctx.tokens[index]
            if token.norm in words or token.stem in words:
                return True
        return False


def _token_gap(match: LexMatch, first: int, last: int) -> int:
    """Token distance from `match` to the token span `first..last` (inclusive), in either
    direction: the difference of the facing ends (1 for neighbours), 0 when they overlap."""
    return max(first - match.last, match.first - last, 0)


class ClauseDistance:
    """Token distance that counts a comma or semicolon between two words as a clause
    boundary: "أطلق سراحه ... قبل عامين، بيع أسلحة" — the date belongs to the release."""

    PENALTY = 6

    def __init__(self, tokens) -> None:
        self.breaks = [i for i, t in enumerate(tokens) if t.kind == "punct" and t.norm in ",;:"]

    def __call__(self, trigger: LexMatch, tokens: range) -> int:
        distance = _token_gap(trigger, tokens[0], tokens[-1])
        lo, hi = sorted((trigger.first, tokens[0]))
        crossings = bisect.bisect_left(self.breaks, hi) - bisect.bisect_left(self.breaks, lo)
        return distance + self.PENALTY * crossings

