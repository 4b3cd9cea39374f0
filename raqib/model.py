"""The extraction contract (../shared/contract/EXTRACTION.md) as typed dataclasses.

Every stage of the pipeline produces or consumes these. `Extraction.to_dict()` gives
exactly the public JSON object; fields that are optional in the contract are left out
when they are empty so that consumers see the same shape as the schema describes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES = (
    "person", "organization", "state", "armed_group", "media",
    "location", "weapon", "vessel", "aircraft",
)
EVENT_TYPES = (
    "arms_transfer", "seizure", "arrest", "extradition",
    "sentence", "release", "sanction", "meeting",
)
TRANSFER_STATUSES = ("proposed", "negotiating", "agreed", "delivered", "intercepted", "cancelled")
OTHER_STATUSES = ("occurred", "planned")
STANCES = ("asserted", "reported", "alleged", "assessed", "denied", "confirmed")
SOURCE_KINDS = ("outlet", "media", "official", "person", "document", "anonymous")


def text_id(text: str) -> str:
    """The contract's stable document id: hex SHA-256 of the cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Span:
    """A half-open code-point span `[start, end)` of `document.text`."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class ValueSpan:
    """A span with a resolved value: a date string, money, a quantity, a duration."""

    text: str
    start: int
    end: int
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "value": self.value}


@dataclass(slots=True)
class Document:
    id: str
    source: str
    text: str
    language: str
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    section: str | None = None
    published: str | None = None
    removed: list[str] = field(default_factory=list)
    # Not part of the contract's required set; added as optional fields.
    url: str | None = None
    duplicate_of: str | None = None

    @classmethod
    def from_text(cls, text: str, source: str, language: str, **meta: Any) -> Document:
        return cls(id=text_id(text), source=source, text=text, language=language, **meta)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "outlet": self.outlet,
            "title": self.title,
            "byline": self.byline,
            "section": self.section,
            "published": self.published,
            "language": self.language,
            "text": self.text,
            "removed": list(self.removed),
        }
        if self.url:
            out["url"] = self.url
        if self.duplicate_of:
            out["duplicate_of"] = self.duplicate_of
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(
            id=data["id"], source=data["source"], text=data["text"],
            language=data["language"], outlet=data.get("outlet"), title=data.get("title"),
            byline=data.get("byline"), section=data.get("section"),
            published=data.get("published"), removed=list(data.get("removed") or []),
            url=data.get("url"), duplicate_of=data.get("duplicate_of"),
        )


@dataclass(slots=True)
class Entity:
    id: str
    type: str
    name: str
    names: dict[str, str] = field(default_factory=dict)
    kb_id: str | None = None
    sanctioned: bool | None = None
    # Optional explanation of how the entity was found: "kb:<id>", "rule:<name>", "model:<name>".
    found_by: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type, "name": self.name}
        if self.names:
            out["names"] = dict(self.names)
        out["kb_id"] = self.kb_id
        if self.sanctioned is not None:
            out["sanctioned"] = self.sanctioned
        if self.found_by:
            out["found_by"] = list(self.found_by)
        if self.details:
            out["details"] = dict(self.details)
        return out


@dataclass(slots=True)
class Mention:
    entity: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Source:
    """One link of an attribution chain, outermost first."""

    kind: str
    name: str | None
    entity: str | None = None
    date: str | None = None
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "name": self.name, "entity": self.entity}
        if self.date:
            out["date"] = self.date
        if self.span is not None:
            out.update(self.span.to_dict())
        return out


@dataclass(slots=True)
class Attribution:
    stance: str
    chain: list[Source]

    def to_dict(self) -> dict[str, Any]:
        return {"stance": self.stance, "chain": [s.to_dict() for s in self.chain]}




@dataclass(slots=True)
class Event:
    id: str
    type: str
    status: str | None
    trigger: Span
    sentence: Span
    roles: dict[str, list[str | ValueSpan]]
    time: ValueSpan | None
    attribution: Attribution
    evidence: list[Span] = field(default_factory=list)
    # Optional explanation: which trigger/cue rules fired.
    found_by: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        roles: dict[str, list[dict[str, Any]]] = {}
        for role, values in self.roles.items():
            roles[role] = [
                {"entity": v} if isinstance(v, str) else v.to_dict() for v in values
            ]
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "status": self.status,
            "trigger": self.trigger.to_dict(),
            "sentence": self.sentence.to_dict(),
            "roles": roles,
            "time": self.time.to_dict() if self.time else None,
            "attribution": self.attribution.to_dict(),
        }
        if self.evidence:
            out["evidence"] = [s.to_dict() for s in self.evidence]
        if self.found_by:
            out["found_by"] = list(self.found_by)
        return out


@dataclass(slots=True)
class Statement:
    text: str
    start: int
    end: int
    speaker: str | None
    attribution: Attribution
    quote: bool = False
    denies: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text, "start": self.start, "end": self.end,
            "speaker": self.speaker, "attribution": self.attribution.to_dict(),
        }
        if self.quote:
            out["quote"] = True
        if self.denies:
            out["denies"] = self.denies
        return out


@dataclass(slots=True)
class Extraction:
    document: Document
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    extractor: str = "raqib-rules"
    extractor_version: str = "0"

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "mentions": [m.to_dict() for m in self.mentions],
            "events": [e.to_dict() for e in self.events],
            "statements": [s.to_dict() for s in self.statements],
        }


def _span(data: dict[str, Any]) -> Span:
    return Span(data["text"], data["start"], data["end"])


def _value_span(data: dict[str, Any]) -> ValueSpan:
    return ValueSpan(data["text"], data["start"], data["end"], data.get("value"))


def _attribution(data: dict[str, Any]) -> Attribution:
    chain = [
        Source(
            kind=s["kind"], name=s.get("name"), entity=s.get("entity"), date=s.get("date"),
            span=_span(s) if "start" in s else None,
        )
        for s in data["chain"]
    ]
    return Attribution(stance=data["stance"], chain=chain)


def extraction_from_dict(data: dict[str, Any]) -> Extraction:
    """Rebuild an Extraction from its contract JSON (e.g. as stored in the database)."""
    entities = [
        Entity(
            id=e["id"], type=e["type"], name=e["name"], names=dict(e.get("names") or {}),
            kb_id=e.get("kb_id"), sanctioned=e.get("sanctioned"),
            found_by=list(e.get("found_by") or []), details=dict(e.get("details") or {}),
        )
        for e in data.get("entities", [])
    ]
    mentions = [Mention(m["entity"], m["text"], m["start"], m["end"])
                for m in data.get("mentions", [])]
    events = [
        Event(
            id=e["id"], type=e["type"], status=e.get("status"),
            trigger=_span(e["trigger"]), sentence=_span(e["sentence"]),
            roles={
                role: [v["entity"] if "entity" in v else _value_span(v) for v in values]
                for role, values in e.get("roles", {}).items()
            },
            time=_value_span(e["time"]) if e.get("time") else None,
            attribution=_attribution(e["attribution"]),
            evidence=[_span(s) for s in e.get("evidence", [])],
            found_by=list(e.get("found_by") or []),
        )
        for e in data.get("events", [])
    ]
    statements = [
        Statement(
            text=s["text"], start=s["start"], end=s["end"], speaker=s.get("speaker"),
            attribution=_attribution(s["attribution"]), quote=bool(s.get("quote")),
            denies=s.get("denies"),
        )
        for s in data.get("statements", [])
    ]
    return Extraction(
        document=Document.from_dict(data["document"]), entities=entities,
        mentions=mentions, events=events, statements=statements,
    )
