"""Who says it: attribution chains and stances, sentence by sentence, with carry-over.

News text rarely states a claim in its own voice. For every sentence we find the source
cues of the lexicon (ذكرت، بحسب، قال، according to, said, denied...), the source each
cue names (a media outlet, a named person or body, an unnamed source described by its
head noun and adjectives, a document), and how that source relates to the sources
already in play:

* a new named source starts a new chain: "ذكرت صحيفة وول ستريت جورنال" → [WSJ];
* an unnamed source cited while a medium's report is running extends it: the next
  sentence's "بحسب مصدر أمني أوروبي لم يكشف عن اسمه" → [WSJ, European security source];
* a continuation cue with no source of its own ("وأضاف", "ورجحوا", "he added")
  inherits the running chain;
* "قال X لوكالة الصحافة الفرنسية" / "X told AFP": the outlet spoken to stands
  between our outlet and the speaker.

The document's own outlet is always the first link; it is added by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from raqib.extract.context import DocContext, SentenceView
from raqib.extract.lexicons import Modifier, SourceCue, Term
from raqib.extract.matcher import LexMatch
from raqib.extract.rules import load_rules
from raqib.model import Mention, Source, Span
from raqib.text.arabic import fold

ACTOR_SOURCE_TYPES = {"person", "media", "organization", "state", "armed_group"}
WINDOW = 14  # tokens to look at for a cue's source ("said Under Secretary of ... X")
QUOTED = re.compile(r"“[^”]{2,}?”|«[^»]{2,}?»|\"[^\"]{2,}?\"")


@dataclass(slots=True)
class FoundSource:
    """A source named in a sentence: its chain link and the tokens it occupies."""

    link: Source
    first: int
    last: int  # inclusive


@dataclass(slots=True)
class SentenceAttribution:
    stance: str
    chain: list[Source]  # without the outlet
    source_tokens: set[int] = field(default_factory=set)  # cue and source tokens
    cue: LexMatch | None = None
    denial: bool = False
    explicit: bool = False  # the sentence names a source or carries a cue
    claims: list[tuple[int, int, str]] = field(default_factory=list)  # token range, stance

    def scoped(self, token: int) -> SentenceAttribution:
        """The attribution of a claim at `token`: "فرضت عقوبات على شبكة تتهمها بنقل
        أسلحة" alleges the transfer, not the sanctions before the cue."""
        if not self.claims:
            return self
        for lo, hi, stance in self.claims:
            if lo <= token < hi:
                if stance == self.stance:
                    return self
                return SentenceAttribution(stance, self.chain, self.source_tokens, self.cue,
                                           stance == "denied", self.explicit, self.claims)
        return SentenceAttribution("asserted", [], self.source_tokens, None, False, False,
                                   self.claims)


class AttributionTracker:
    """Walks the sentences in order, keeping the running chain for carry-over."""

    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.lang = "ar" if ctx.lexicon.language == "ar" else "en"
        self.rules = load_rules()
        self.current: list[Source] = []
        self.document_chain: list[Source] = []

    def attribute(self, sent: SentenceView) -> SentenceAttribution:
        qualifiers = sent.matches.get("qualifiers", [])
        # "لم يكشف عن اسمه" holds the verb كشف: a cue inside a qualifier is not a cue.
        # "United States" holds "States" (a form of "state"): a cue inside a name is none.
        quoted = self._quoted_ranges(sent)
        cues = sorted((m for m in sent.matches.get("source_cues", [])
                       if not any(q.first <= m.first <= q.last for q in qualifiers)
                       and not any(i in self.ctx.mention_at_token for i in m.token_indices)
                       and not any(lo <= m.start < hi for lo, hi in quoted)),
                      key=lambda m: m.first)
        if not cues:
            if self.document_chain:
                return SentenceAttribution("reported", list(self.document_chain))
            return SentenceAttribution("asserted", [])
        result = SentenceAttribution(cues[0].entry.stance, [], cue=cues[0], explicit=True)
        found: list[FoundSource] = []
        inherited = False
        for cue in cues:
            entry: SourceCue = cue.entry
            result.source_tokens.update(range(cue.first, cue.last + 1))
            result.claims.append((*self._claim_range(sent, cue, entry), entry.stance))
            if entry.stance == "denied":
                result.denial = True
                result.stance = "denied"
            sources = self._sources_of(sent, cue, entry)
            if not sources and (entry.continuation or entry.source == "none"):
                inherited = inherited or entry.continuation
                continue
            for source in sources:
                result.source_tokens.update(range(source.first, source.last + 1))
            found.extend(sources)
        if found:
            result.chain = self._combine(found, sent)
        elif inherited:
            result.chain = list(self.current)
        if result.chain:
            self.current = list(result.chain)
            if self._is_attribution_line(sent, result):
                self.document_chain = list(result.chain)
        return result

    def _quoted_ranges(self, sent: SentenceView) -> list[tuple[int, int]]:
        """Character ranges inside quotation marks: the quoted words are the speaker's,
        so a verb there ("the Houthis' continued attacks") attributes nothing."""
        text = self.ctx.document.text
        return [match.span() for match in
                QUOTED.finditer(text, sent.span.start, sent.span.end)]

    @staticmethod
    def _claim_range(sent: SentenceView, cue: LexMatch, entry: SourceCue) -> tuple[int, int]:
        if entry.claim == "after":
            return cue.last + 1, sent.last
        if entry.claim == "before":
            return sent.first, cue.first
        return sent.first, sent.last

    def _is_attribution_line(self, sent: SentenceView, result: SentenceAttribution) -> bool:
        """"Attribution is on-the-record from Spokesperson John Kirby." at the top of a
        document: a short sentence that names a source and claims nothing speaks for
        every later sentence that has no source of its own."""
        if sent.index > 2 or sent.matches.get("triggers"):
            return False
        claim_words = [i for i in range(sent.first, sent.last)
                       if i not in result.source_tokens and self.ctx.tokens[i].kind == "word"
                       and i not in self.ctx.mention_at_token]
        return len(claim_words) <= 3

    # -- chain composition ------------------------------------------------------------
    def _combine(self, found: list[FoundSource], sent: SentenceView) -> list[Source]:
        links = self._dedupe([f.link for f in found])
        first = links[0]
        current = self.current
        same = [i for i, link in enumerate(current) if _same_source(link, first)]
        if same:
            chain = current[: same[-1] + 1] + links[1:]
        elif first.kind == "anonymous" and current and current[-1].kind == "anonymous" \
                and len(current) > 1:
            chain = current[:-1] + links  # the medium's unnamed sources, described anew
        elif first.kind == "anonymous" and current and current[-1].kind == "media":
            chain = current + links
        else:
            chain = links
        return self._with_told_outlet(chain, found, sent)

    @staticmethod
    def _dedupe(links: list[Source]) -> list[Source]:
        out: list[Source] = []
        for link in links:
            if not any(_same_source(link, seen) for seen in out):
                out.append(link)
        return out

    def _with_told_outlet(self, chain: list[Source], found: list[FoundSource],
                          sent: SentenceView) -> list[Source]:
        """Insert the outlet a speaker talked to ("told AFP") before that speaker."""
        speakers = [f for f in found if f.link.kind in ("official", "person")]
        if not speakers or any(link.kind == "media" for link in chain):
            return chain
        speaker = speakers[0]
        for index in range(speaker.last + 1, min(speaker.last + 4, sent.last)):
            mention = self.ctx.mention_at_token.get(index)
            if mention is None:
                continue
            entity = self.ctx.entity(mention.entity)
            if entity.type != "media":
                continue
            token = self.ctx.tokens[index]
            previous = self.ctx.tokens[index - 1].norm if index > 0 else ""
            told = token.prefix.startswith("ل") or token.prefix.endswith("+ل") or \
                fold(token.text).startswith("ل") or previous in self.rules.told_markers[self.lang]
            if told:
                media = Source("media", entity.name, entity=entity.id)
                position = chain.index(speaker.link) if speaker.link in chain else len(chain) - 1
                return [*chain[:position], media, *chain[position:]]
        return chain

    # -- finding the source of one cue ----------------------------------------------
    def _sources_of(self, sent: SentenceView, cue: LexMatch, entry: SourceCue) -> list[FoundSource]:
        if entry.source == "none":
            return []
        found: list[FoundSource] = []
        if entry.cites:
            inner = self._source_in(sent, cue.first + 1, cue.last, forward=True)
            if inner:
                found.append(inner)
        after = entry.source in ("after", "either")
        before = entry.source == "before" or (entry.source == "either" and self.lang == "en")
        source = None
        if before and self.lang == "en":
            source = self._source_before(sent, cue)  # English is subject-first: "X said"
        if source is None and after:
            source = self._source_in(sent, cue.last + 1, min(cue.last + 1 + WINDOW, sent.last),
                                     forward=True)
        if source is None and before and self.lang != "en":
            source = self._source_before(sent, cue)
        if source is not None:
            self._attach_date(sent, source)
            found.append(source)
        return found

    def _source_before(self, sent: SentenceView, cue: LexMatch) -> FoundSource | None:
        if self.lang == "ar":
            # Arabic participles (ذاكرين، مضيفة) refer to the subject near the start.
            head = self._source_in(sent, sent.first, min(sent.first + 5, cue.first), forward=True)
            if head is not None:
                return head
        return self._source_in(sent, max(sent.first, cue.first - WINDOW), cue.first,
                               forward=False)

    def _source_in(self, sent: SentenceView, lo: int, hi: int, forward: bool) -> FoundSource | None:
        """The best source candidate in tokens [lo, hi): a named actor or an unnamed source."""
        indices = range(lo, hi) if forward else range(hi - 1, lo - 1, -1)
        fallback: FoundSource | None = None
        for index in indices:
            token = self.ctx.tokens[index]
            if forward and token.norm in self.rules.claim_openers[self.lang]:
                break
            if token.kind == "punct" and token.text in ":\"“”«»":
                break
            anonymous = self._anonymous_at(sent, index)
            if anonymous is not None:
                return anonymous
            document = self._document_at(index)
            if document is not None:
                # "قال فريق خبراء الأمم المتحدة ... في تقرير": the body speaks, in a report
                return fallback or document
            mention = self.ctx.mention_at_token.get(index)
            if mention is None or self.ctx.is_demonym(mention):
                continue
            entity = self.ctx.entity(mention.entity)
            if entity.type not in ACTOR_SOURCE_TYPES:
                continue
            tokens = self.ctx.token_range(mention.start, mention.end)
            candidate = FoundSource(self._link_for(mention, sent), tokens[0], tokens[-1])
            if entity.type in ("person", "media"):
                return candidate
            if fallback is None and not self._after_preposition(tokens[0]):
                fallback = candidate
        return fallback

    def _after_preposition(self, index: int) -> bool:
        if index == 0:
            return False
        previous = self.ctx.tokens[index - 1].norm
        return previous in {"الي", "في", "من", "علي", "to", "in", "of", "from", "for"}

    def _link_for(self, mention: Mention, sent: SentenceView) -> Source:
        entity = self.ctx.entity(mention.entity)
        if entity.type == "media":
            kind = "media"
        elif entity.type == "person":
            kind = "official" if self._titled(mention, sent) else "person"
        else:
            kind = "official"
        return Source(kind, entity.name, entity=entity.id)

    def _titled(self, mention: Mention, sent: SentenceView) -> bool:
        """A person is speaking officially when a title stands shortly before the name."""
        first = self.ctx.token_range(mention.start, mention.end)[0]
        return any(first - 8 <= m.last < first for m in sent.matches.get("titles", []))

    def _document_at(self, index: int) -> FoundSource | None:
        token = self.ctx.tokens[index]
        nouns = self.rules.document_nouns[self.lang]
        word = token.norm if token.norm in nouns else token.stem
        if word not in nouns:
            return None
        return FoundSource(Source("document", token.text), index, index)

    def _anonymous_at(self, sent: SentenceView, index: int) -> FoundSource | None:
        """An unnamed source starting at token `index`: a set phrase or head + modifiers."""
        for phrase in sent.matches.get("anon_phrases", []):
            if phrase.first == index:
                return self._anonymous(phrase.first, phrase.last, phrase.entry.en)
        heads = [m for m in sent.matches.get("anon_heads", []) if m.first == index]
        if not heads:
            return None
        head = heads[0]
        head_term: Term = head.entry
        modifiers: list[Modifier] = []
        last = head.last
        by_start = {m.first: m for m in sent.matches.get("anon_modifiers", [])}
        while last + 1 in by_start:
            modifier = by_start[last + 1]
            modifiers.append(modifier.entry)
            last = modifier.last
        # an English modifier may stand before the head: "a senior European official"
        if self.lang == "en":
            ends = {m.last: m for m in sent.matches.get("anon_modifiers", [])}
            first = head.first
            while first - 1 in ends:
                modifier = ends[first - 1]
                modifiers.append(modifier.entry)
                first = modifier.first
        else:
            first = head.first
        qualifiers = [q for q in sent.matches.get("qualifiers", [])
                      if last < q.first <= last + 4]
        if qualifiers:
            last = qualifiers[0].last
        name = self.ctx.lexicon.anonymity.describe([head_term.en], modifiers)
        return self._anonymous(first, last, name)

    def _anonymous(self, first: int, last: int, name: str) -> FoundSource:
        start, end = self.ctx.tokens[first].start, self.ctx.tokens[last].end
        span = Span(self.ctx.document.text[start:end], start, end)
        return FoundSource(Source("anonymous", name, span=span), first, last)

    def _attach_date(self, sent: SentenceView, source: FoundSource) -> None:
        """A date right after a medium's name is the date of its report."""
        if source.link.kind != "media":
            return
        end = self.ctx.tokens[source.last].end
        limit = self.ctx.tokens[min(source.last + 4, sent.last - 1)].end
        for date in self.ctx.dates:
            if end <= date.start <= limit and date.value:
                source.link.date = date.value
                source.last = max(source.last, self.ctx.token_range(date.start, date.end)[-1])
                return


def _same_source(a: Source, b: Source) -> bool:
    if a.entity and b.entity:
        return a.entity == b.entity
    return a.kind == b.kind and (a.name or "") == (b.name or "")
