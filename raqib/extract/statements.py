"""Statements: direct quotations and reported speech, with their speaker and chain.

A quotation belongs to the speaker the sentence attributes it to: the source its cue
names ("وأضاف ليندركينغ"), or, for a continuation with no subject ("وتابع", "he added"),
the speaker already talking. Quotations attributed to a medium are the medium's
reporting (their content is extracted as events), so they are not statements. A denial
("نفى", "denied") is a statement with stance `denied`, linked to the event it denies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from raqib.extract.attribution import SentenceAttribution
from raqib.extract.context import DocContext, SentenceView
from raqib.extract.rules import load_rules
from raqib.model import Attribution, Event, Source, Statement

QUOTE_PAIRS = re.compile(r"“([^”]{2,}?)”|«([^»]{2,}?)»|\"([^\"]{2,}?)\"|„([^“”]{2,}?)[“”]")
SPEAKER_KINDS = ("official", "person")
MIN_QUOTE_WORDS = 2


@dataclass(frozen=True, slots=True)
class SentenceRecord:
    sentence: SentenceView
    attribution: SentenceAttribution
    event_ids: tuple[str, ...]


def build_statements(ctx: DocContext, records: list[SentenceRecord], outlet: Source,
                     events: list[Event]) -> list[Statement]:
    statements: list[Statement] = []
    previous: tuple[Source, Attribution] | None = None
    for record in records:
        chain = record.attribution.chain
        speaker = chain[-1] if chain else None
        if speaker is None or not record.attribution.explicit:
            # A quotation standing alone right after a quoted speaker continues them.
            if previous is not None and _opens_with_quote(ctx, record.sentence):
                speaker_link, attribution = previous
                for start, end in _quotes(ctx, record.sentence):
                    statements.append(Statement(ctx.document.text[start:end], start, end,
                                                speaker_link.entity, attribution, quote=True))
                continue
            previous = None
            continue
        attribution = Attribution(record.attribution.stance, [outlet, *chain])
        if record.attribution.denial:
            statements.append(_denial(ctx, record, speaker, attribution, events))
            continue
        quotes = list(_quotes(ctx, record.sentence))
        if speaker.kind == "anonymous" and quotes:
            # an unnamed source's own words: a statement with no speaker entity
            for start, end in quotes:
                statements.append(Statement(ctx.document.text[start:end], start, end, None,
                                            attribution, quote=True))
            continue
        if speaker.kind not in SPEAKER_KINDS:
            continue
        previous = (speaker, attribution) if quotes else None
        for start, end in quotes:
            statements.append(Statement(ctx.document.text[start:end], start, end,
                                        speaker.entity, attribution, quote=True))
        if not quotes:
            reported = _reported_speech(ctx, record)
            if reported is not None:
                start, end = reported
                statements.append(Statement(ctx.document.text[start:end], start, end,
                                            speaker.entity, attribution))
    return statements


def _opens_with_quote(ctx: DocContext, sent: SentenceView) -> bool:
    return ctx.document.text[sent.span.start:sent.span.start + 1] in "“«\"„"


def _quotes(ctx: DocContext, sent: SentenceView):
    text = ctx.document.text
    for match in QUOTE_PAIRS.finditer(text, sent.span.start, sent.span.end):
        group = next(i for i in range(1, 5) if match.group(i) is not None)
        start, end = match.start(group), match.end(group)
        if len(text[start:end].split()) >= MIN_QUOTE_WORDS:
            yield start, end


def _reported_speech(ctx: DocContext, record: SentenceRecord) -> tuple[int, int] | None:
    """The claim after "إن/أن/that" following the cue, up to the sentence end."""
    cue = record.attribution.cue
    if cue is None:
        return None
    lang = "ar" if ctx.lexicon.language == "ar" else "en"
    openers = load_rules().claim_openers[lang]
    for index in range(cue.last + 1, record.sentence.last):
        token = ctx.tokens[index]
        if token.norm in openers or token.stem in openers:
            start = ctx.tokens[index + 1].start if index + 1 < record.sentence.last else None
            if start is None:
                return None
            end = record.sentence.span.end
            while end > start and not ctx.document.text[end - 1].isalnum():
                end -= 1
            return (start, end) if end - start > 10 else None
    return None


def _denial(ctx: DocContext, record: SentenceRecord, speaker: Source,
            attribution: Attribution, events: list[Event]) -> Statement:
    sent = record.sentence
    cue = record.attribution.cue
    start = ctx.tokens[cue.first].start if cue is not None else sent.span.start
    end = sent.span.end
    while end > start and not ctx.document.text[end - 1].isalnum():
        end -= 1
    denied = record.event_ids[0] if record.event_ids else _denied_event(speaker, sent, events)
    return Statement(ctx.document.text[start:end], start, end, speaker.entity, attribution,
                     denies=denied)


def _denied_event(speaker: Source, sent: SentenceView, events: list[Event]) -> str | None:
    """The most recent earlier event the speaker takes part in, else the most recent one."""
    earlier = [e for e in events if e.sentence.start < sent.span.start]
    for event in reversed(earlier):
        if speaker.entity and any(speaker.entity in values for values in event.roles.values()):
            return event.id
    return earlier[-1].id if earlier else None
