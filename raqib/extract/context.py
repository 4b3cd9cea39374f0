"""Everything the extraction rules look at for one document, computed once.

The text layer runs here (normalisation, tokens, sentences, dates, money, quantities,
durations) together with entity extraction, so that the event, attribution and statement
rules only read indexes: which tokens a sentence holds, which entity a token belongs to,
which date or amount stands where.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from raqib.extract.entities import EntityResult
from raqib.extract.lexicons import Lexicon
from raqib.extract.matcher import LexMatch
from raqib.model import Document, Entity, Mention, Span
from raqib.text.dates import DateMatch
from raqib.text.numbers import DurationMatch, MoneyMatch, QuantityMatch
from raqib.text.tokens import Token


@dataclass(frozen=True, slots=True)
class SentenceView:
    """One sentence: its span, its token range and the lexicon matches inside it."""

    index: int
    span: Span
    first: int  # index of its first token in the document's token list
    last: int  # index one past its last token
    is_title: bool
    matches: dict[str, list[LexMatch]]  # section name -> longest non-overlapping matches


@dataclass(slots=True)
class DocContext:
    document: Document
    lexicon: Lexicon
    tokens: list[Token]
    sentences: list[SentenceView]
    entities: EntityResult
    dates: list[DateMatch]
    money: list[MoneyMatch]
    quantities: list[QuantityMatch]
    durations: list[DurationMatch]
    token_starts: list[int] = field(default_factory=list)
    mention_at_token: dict[int, Mention] = field(default_factory=dict)
    demonym_spans: set[tuple[int, int]] = field(default_factory=set)
    entity_by_id: dict[str, Entity] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.token_starts = [t.start for t in self.tokens]
        self.entity_by_id = {e.id: e for e in self.entities.entities}
        for mention in self.entities.mentions:
            for index in self.token_range(mention.start, mention.end):
                self.mention_at_token.setdefault(index, mention)

    # -- lookups ---------------------------------------------------------------------
    def token_range(self, start: int, end: int) -> range:
        """Indices of the tokens that overlap the character span [start, end)."""
        first = bisect.bisect_right(self.token_starts, start) - 1
        first = max(first, 0)
        while first < len(self.tokens) and self.tokens[first].end <= start:
            first += 1
        last = bisect.bisect_left(self.token_starts, end)
        return range(first, max(first, last))

    def entity(self, entity_id: str) -> Entity:
        return self.entity_by_id[entity_id]

    def mentions_in(self, first: int, last: int) -> list[Mention]:
        """Mentions whose first token lies in the token range [first, last)."""
        seen: list[Mention] = []
        for index in range(first, last):
            mention = self.mention_at_token.get(index)
            if mention is not None and all(m is not mention for m in seen):
                seen.append(mention)
        return seen

    def is_demonym(self, mention: Mention) -> bool:
        return (mention.start, mention.end) in self.demonym_spans
