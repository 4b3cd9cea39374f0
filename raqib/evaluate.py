"""Score extraction output against gold annotations (`shared/corpus/gold/*.jsonl`).

This module is the executable form of the scoring rules in `shared/corpus/README.md`.
It deliberately shares no code with the extractor (not even the Arabic normaliser), so
that changing the extractor can never silently change how it is measured.

Interpretation, rule by rule
============================

Name normalisation (`normalize_name`)
    NFKC; Arabic diacritics (U+0610-061A, U+064B-065F, U+0670, U+06D6-06ED) and tatweel
    removed; أ إ آ ٱ → ا, ى → ي, ة → ه; casefold; whitespace collapsed; punctuation
    stripped from both ends (so «"تاجر الموت"» and "U.S." compare as words); then one
    leading "the " or attached "ال" removed (the article only when two letters remain).
    Statement text is compared with `fold_text`: the same minus the end-punctuation and
    article rules, with `text_contains` required to be a substring.

Entity matching
    A system entity's *keys* are its normalised `name`, every value of `names` and every
    mention text pointing at it; a gold entity's keys are its normalised `name` and
    `aliases`. They match (untyped) when the key sets intersect, and typed when the
    types are also equal. When a system entity has to stand for a gold entity (role
    values, speakers, chain links) it maps to the gold entities it matches *typed*, or,
    if there are none, to those it matches untyped. This settles the gold's deliberate
    overlaps (موسكو is an alias of both the state Russia and the city Moscow) by the
    type the system gave. A gold role/speaker name that is not a listed gold entity is
    treated as an implicit gold entity whose only key is that name.

Entities
    Recall (untyped and typed) = listed gold entities matched by at least one system
    entity / listed gold entities, over all documents. Where a gold line says
    `"entities_complete": true`, precision = system entities that match some gold
    entity / system entities, counting only the types the completeness promise covers
    (all but `vessel` and `aircraft`, see ANNOTATION.md); F1 combines that precision
    with the recall over the same complete documents. Matching is not one-to-one: a
    gold entity split into two system entities is still found, and both count as correct.

Events
    Candidate pairs are (gold, system) events of the same type whose role entities
    overlap, role names ignored (gold role names vs. the union of the gold entities the
    system's entity-valued role values map to). Pairs are taken greedily, one-to-one, by
    (most shared entities, then most shared under the same role name, then document
    order). P = matched / system events, R = matched / gold events, F1 = 2TP / (2TP +
    FP + FN) (so 0, not undefined, when one side is empty), per type and
    micro-averaged overall (counts summed over documents and types). A system event of
    the wrong type is a false positive of its type and leaves the gold event unmatched.

Roles
    Over matched pairs only, for every role name present on either side: the gold
    entities of that role vs. the system's entity-valued values of that role (value
    spans such as money, quantities, durations are skipped here). System values that map
    to the same gold entities are counted once (two unmerged mentions of one person are
    one triple); values mapping to nothing count one per system entity id. True
    positives are a maximum one-to-one matching of system values to gold entities they
    map to; the rest are false positives and false negatives.

Status, time, stance
    Accuracy over matched pairs whose gold event has the field (non-null): system
    `status` equal; system `time.value` equal to the gold ISO string; system
    `attribution.stance` equal.

Chain
    Over matched pairs whose gold event has a `chain` list (possibly empty). Gold
    `chain` names the intermediate sources without the outlet; a system chain link
    matches a gold name when its `entity` maps to that gold entity, or its normalised
    `name` or `text` is one of the gold entity's keys. The chain is correct when the gold
    list matches system `chain[1:]` link by link, or — when the gold event also gives an
    `origin` — system `chain[1:-1]` (the innermost link being the origin, scored
    separately). Accepting `chain[1:]` in that case too means a system chain that misses
    the origin but has the intermediate sources right still counts here: a missed origin
    is penalised once, under origin.

Origin
    Over matched pairs whose gold event has `origin`. The system's origin is its
    innermost link `chain[-1]`, provided the chain has more than the outlet; it is
    correct when `kind` is equal and the normalised gold name equals or is contained in
    the link's normalised `name` or `text`, or the link's `entity` maps to a gold entity
    of that name.

Value, term
    Over matched pairs whose gold event has `value` (money) / `term` (duration): correct
    when some system `value` / `term` role value carries an equal `value` object —
    amount equal as a number and currency equal ignoring case; durations equal with
    zero-valued units ignored.

Statements
    Recall of gold statements under a maximum one-to-one matching to system statements
    where the speaker agrees (system speaker entity maps to the gold speaker; a null gold
    speaker needs a null system speaker) and the folded `text_contains`, when given, is a
    substring of the folded system text. Quote agreement (`quote` equal, a missing
    system `quote` meaning false) is an accuracy over matched gold statements that state
    `quote`; the matching prefers quote-agreeing partners.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from raqib.model import ENTITY_TYPES, EVENT_TYPES

__all__ = [
    "PRF",
    "DocScore",
    "EntityScore",
    "EvalError",
    "Ratio",
    "Report",
    "StatementScore",
    "TypeScore",
    "fold_text",
    "format_report",
    "load_gold",
    "normalize_name",
    "report_to_dict",
    "run_eval",
    "score_corpus",
    "score_document",
    "summary_line",
]

ATTRIBUTES = ("status", "time", "stance", "chain", "origin", "value", "term")
# Types that `"entities_complete": true` promises to list (ANNOTATION.md, "Entities").
COMPLETE_TYPES = frozenset(ENTITY_TYPES) - {"vessel", "aircraft"}


class EvalError(ValueError):
    """Bad gold file or system output; the message names the file and line."""


# --------------------------------------------------------------------------- normalising

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def fold_text(text: str) -> str:
    """Case, Arabic letter variants, diacritics and tatweel folded; whitespace collapsed."""
    text = _DIACRITICS.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.translate(_LETTERS).casefold().split())


def _strip_punctuation(text: str) -> str:
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(text[end - 1])[0] in "PS":
        end -= 1
    return text[start:end].strip()


def normalize_name(name: str) -> str:
    """The key under which two names are considered equal (see the module docstring)."""
    text = _strip_punctuation(fold_text(name))
    if text.startswith("the "):
        text = text[4:].lstrip()
    elif text.startswith("ال") and len(text) >= 4 and not text[2].isspace():
        text = text[2:]
    return text


# --------------------------------------------------------------------------- score types


@dataclass(slots=True)
class Ratio:
    """hits out of total; `value` is None when nothing was scored."""

    hits: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hits += int(ok)
        self.total += 1

    def merge(self, other: Ratio) -> None:
        self.hits += other.hits
        self.total += other.total

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass(slots=True)
class PRF:
    """True positives, false positives, false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def merge(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2TP / (2TP + FP + FN): 0.0, not None, when gold exists but nothing was found."""
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _new_attributes() -> dict[str, Ratio]:
    return {name: Ratio() for name in ATTRIBUTES}


@dataclass(slots=True)
class TypeScore:
    """Scores of one event type (or all types, for `overall`)."""

    events: PRF = field(default_factory=PRF)
    roles: PRF = field(default_factory=PRF)
    attributes: dict[str, Ratio] = field(default_factory=_new_attributes)

    def merge(self, other: TypeScore) -> None:
        self.events.merge(other.events)
        self.roles.merge(other.roles)
        for name, ratio in other.attributes.items():
            self.attributes[name].merge(ratio)


@dataclass(slots=True)
class EntityScore:
    recall: Ratio = field(default_factory=Ratio)
    recall_typed: Ratio = field(default_factory=Ratio)
    # Only over documents whose gold says "entities_complete": true.
    precision: Ratio = field(default_factory=Ratio)
    precision_typed: Ratio = field(default_factory=Ratio)
    complete_recall: Ratio = field(default_factory=Ratio)
    complete_recall_typed: Ratio = field(default_factory=Ratio)

    def merge(self, other: EntityScore) -> None:
        for item in fields(self):
            getattr(self, item.name).merge(getattr(other, item.name))

    @property
    def f1(self) -> float | None:
        return _f1(self.precision.value, self.complete_recall.value)

    @property
    def f1_typed(self) -> float | None:
        return _f1(self.precision_typed.value, self.complete_recall_typed.value)


@dataclass(slots=True)
class StatementScore:
    recall: Ratio = field(default_factory=Ratio)
    quote: Ratio = field(default_factory=Ratio)

    def merge(self, other: StatementScore) -> None:
        self.recall.merge(other.recall)
        self.quote.merge(other.quote)


@dataclass(slots=True)
class DocScore:
    """One document's scores plus which events matched, for reading the misses."""

    file: str
    by_type: dict[str, TypeScore]
    entities: EntityScore
    statements: StatementScore
    matches: list[tuple[int, int]] = field(default_factory=list)  # (gold idx, system idx)
    missed: list[str] = field(default_factory=list)  # unmatched gold events, described
    spurious: list[str] = field(default_factory=list)  # unmatched system events, described

    @property
    def overall(self) -> TypeScore:
        return _sum_types(self.by_type.values())


@dataclass(slots=True)
class Report:
    documents: list[DocScore]
    by_type: dict[str, TypeScore]
    overall: TypeScore
    entities: EntityScore
    statements: StatementScore


def _sum_types(scores: Iterable[TypeScore]) -> TypeScore:
    total = TypeScore()
    for score in scores:
        total.merge(score)
    return total


# --------------------------------------------------------------------------- loading


def _fail(where: str, message: str) -> EvalError:
    return EvalError(f"{where}: {message}")


def _check_gold_line(obj: Any, where: str) -> None:
    """Reject gold lines the scorer would otherwise misread silently."""
    if not isinstance(obj, dict):
        raise _fail(where, "a gold line must be a JSON object")
    if not isinstance(obj.get("file"), str) or not obj["file"]:
        raise _fail(where, "'file' must be a non-empty string")
    for key in ("entities", "events", "statements"):
        items = obj.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise _fail(where, f"'{key}' must be a list of objects")
    for ent in obj.get("entities", []):
        if not isinstance(ent.get("name"), str) or ent.get("type") not in ENTITY_TYPES:
            raise _fail(where, f"entity {ent!r} needs a string 'name' and a known 'type'")
        aliases = ent.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise _fail(where, f"entity {ent['name']!r}: 'aliases' must be a list of strings")
    for event in obj.get("events", []):
        if event.get("type") not in EVENT_TYPES:
            raise _fail(where, f"unknown event type {event.get('type')!r}")
        roles = event.get("roles", {})
        if not isinstance(roles, dict) or not all(
            isinstance(v, list) and all(isinstance(n, str) for n in v) for v in roles.values()
        ):
            raise _fail(where, f"{event['type']} event: 'roles' must map role -> list of names")
        chain = event.get("chain", [])
        if not isinstance(chain, list) or not all(isinstance(n, str) for n in chain):
            raise _fail(where, f"{event['type']} event: 'chain' must be a list of names")
        origin = event.get("origin")
        if origin is not None and not (
            isinstance(origin, dict) and isinstance(origin.get("name"), str)
        ):
            raise _fail(where, f"{event['type']} event: 'origin' needs a 'name'")
    for st in obj.get("statements", []):
        if st.get("speaker") is not None and not isinstance(st["speaker"], str):
            raise _fail(where, "a statement's 'speaker' must be a name or null")


def load_gold(path: Path) -> list[dict]:
    """Read a gold JSONL file; blank lines are skipped, anything malformed raises EvalError."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"{path}: cannot read gold file: {exc}") from exc
    gold: list[dict] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _fail(where, f"invalid JSON ({exc.msg})") from exc
        _check_gold_line(obj, where)
        gold.append(obj)
    return gold


# --------------------------------------------------------------------------- entity index


@dataclass(slots=True)
class _GoldEntity:
    name: str
    type: str | None
    keys: frozenset[str]
    listed: bool  # False for names a role or speaker uses without listing them


@dataclass(slots=True)
class _SysEntity:
    id: str
    type: str | None
    keys: frozenset[str]


def _keys(names: Iterable[Any]) -> frozenset[str]:
    out = {normalize_name(n) for n in names if isinstance(n, str)}
    out.discard("")
    return frozenset(out)


class _GoldIndex:
    """Gold entities, addressable by the names roles, speakers and chains use."""

    def __init__(self, gold: Mapping[str, Any]) -> None:
        self.entities: list[_GoldEntity] = []
        self._by_name: dict[str, int] = {}
        for ent in gold.get("entities", []):
            keys = _keys([ent["name"], *ent.get("aliases", [])])
            self._add(_GoldEntity(ent["name"], ent["type"], keys, listed=True))

    def _add(self, ent: _GoldEntity) -> int:
        self.entities.append(ent)
        self._by_name.setdefault(ent.name, len(self.entities) - 1)
        return len(self.entities) - 1

    def resolve(self, name: str) -> int:
        """The gold entity a gold annotation means by `name` (created if unlisted)."""
        if name in self._by_name:
            return self._by_name[name]
        key = normalize_name(name)
        for idx, ent in enumerate(self.entities):
            if key in ent.keys:
                self._by_name[name] = idx
                return idx
        return self._add(_GoldEntity(name, None, _keys([name]), listed=False))


class _SysIndex:
    """System entities with their keys, and their mapping onto gold entities."""

    def __init__(self, system: Mapping[str, Any], gold: _GoldIndex) -> None:
        texts: dict[str, list[Any]] = {}
        for mention in _items(system, "mentions"):
            if isinstance(mention.get("entity"), str):
                texts.setdefault(mention["entity"], []).append(mention.get("text"))
        self.entities: dict[str, _SysEntity] = {}
        for ent in _items(system, "entities"):
            if not isinstance(ent.get("id"), str):
                raise EvalError(f"system output: entity without a string 'id': {ent!r}")
            names: dict[str, Any] = ent["names"] if isinstance(ent.get("names"), dict) else {}
            keys = _keys([ent.get("name"), *names.values(), *texts.get(ent["id"], [])])
            self.entities[ent["id"]] = _SysEntity(ent["id"], ent.get("type"), keys)
        self.gold = gold
        self._cache: dict[str, frozenset[int]] = {}

    def candidates(self, entity_id: Any) -> frozenset[int]:
        """Gold entities this system entity stands for: typed matches, else untyped."""
        if not isinstance(entity_id, str) or entity_id not in self.entities:
            return frozenset()
        if entity_id not in self._cache:
            ent = self.entities[entity_id]
            untyped = [i for i, g in enumerate(self.gold.entities) if g.keys & ent.keys]
            typed = [i for i in untyped if self.gold.entities[i].type == ent.type]
            self._cache[entity_id] = frozenset(typed or untyped)
        return self._cache[entity_id]


def _items(obj: Mapping[str, Any], key: str) -> list[dict]:
    items = obj.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise EvalError(f"system output: '{key}' must be a list of objects")
    return items


# --------------------------------------------------------------------------- helpers


def _max_matching(edges: list[list[int]], n_right: int) -> list[int | None]:
    """Maximum bipartite matching (Kuhn); edges[left] lists rights in preference order.

    Returns, for each left node, the matched right node or None. The sizes here are a
    handful of nodes, so the simple augmenting-path algorithm is plenty.
    """
    owner: list[int | None] = [None] * n_right

    def augment(left: int, seen: set[int]) -> bool:
        for right in edges[left]:
            if right in seen:
                continue
            seen.add(right)
            holder = owner[right]
            if holder is None or augment(holder, seen):
                owner[right] = left
                return True
        return False

    for left in range(len(edges)):
        augment(left, set())
    matched: list[int | None] = [None] * len(edges)
    for right, holder in enumerate(owner):
        if holder is not None:
            matched[holder] = right
    return matched


def _gold_roles(event: Mapping[str, Any], gold: _GoldIndex) -> dict[str, set[int]]:
    return {
        role: {gold.resolve(name) for name in names}
        for role, names in event.get("roles", {}).items()
    }


def _system_roles(event: Mapping[str, Any], index: _SysIndex) -> dict[str, list[frozenset[int]]]:
    """Entity-valued role values as candidate sets, merged where they name the same thing.

    An unmapped value becomes a one-element set holding a negative marker unique to its
    system entity id, so it can never match gold (indices are >= 0) but still counts.
    """
    roles = event.get("roles") or {}
    if not isinstance(roles, dict):
        raise EvalError(f"system output: event {event.get('id')!r}: 'roles' must be an object")
    out: dict[str, list[frozenset[int]]] = {}
    unmapped: dict[str, int] = {}
    for role, values in roles.items():
        seen: list[frozenset[int]] = []
        for value in values if isinstance(values, list) else []:
            if not isinstance(value, dict) or "entity" not in value:
                continue  # money, quantities, durations: scored separately
            cands = index.candidates(value["entity"])
            marker = unmapped.setdefault(str(value["entity"]), -1 - len(unmapped))
            key = cands or frozenset({marker})
            if key not in seen:
                seen.append(key)
        if seen:
            out[role] = seen
    return out


def _system_all(roles: Mapping[str, list[frozenset[int]]]) -> set[int]:
    """Every gold entity (or unmapped marker) any of the given role values stands for."""
    return {item for values in roles.values() for value in values for item in value}


# --------------------------------------------------------------------------- events


def _match_events(
    gold_events: list[dict], gold_roles: list[dict], sys_events: list[dict], sys_roles: list[dict]
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of same-type events sharing a role entity."""
    pairs = []
    for gi, gev in enumerate(gold_events):
        g_all = set().union(*gold_roles[gi].values())
        for si, sev in enumerate(sys_events):
            if sev.get("type") != gev["type"]:
                continue
            shared = len(g_all & _system_all(sys_roles[si]))
            if not shared:
                continue
            same_role = sum(
                len(ents & _system_all({role: sys_roles[si].get(role, [])}))
                for role, ents in gold_roles[gi].items()
            )
            pairs.append((-shared, -same_role, gi, si))
    used_gold: set[int] = set()
    used_sys: set[int] = set()
    matches = []
    for _, _, gi, si in sorted(pairs):
        if gi not in used_gold and si not in used_sys:
            used_gold.add(gi)
            used_sys.add(si)
            matches.append((gi, si))
    return sorted(matches)


def _score_roles(gold_roles: dict[str, set[int]], sys_roles: dict[str, list[frozenset[int]]]
                 ) -> PRF:
    prf = PRF()
    for role in set(gold_roles) | set(sys_roles):
        gold = sorted(gold_roles.get(role, set()))
        values = sys_roles.get(role, [])
        edges = [[j for j, g in enumerate(gold) if g in value] for value in values]
        tp = sum(m is not None for m in _max_matching(edges, len(gold)))
        prf.tp += tp
        prf.fp += len(values) - tp
        prf.fn += len(gold) - tp
    return prf


def _link_matches(link: Mapping[str, Any], gold_idx: int, index: _SysIndex) -> bool:
    if gold_idx in index.candidates(link.get("entity")):
        return True
    keys = index.gold.entities[gold_idx].keys
    return bool(_keys([link.get("name"), link.get("text")]) & keys)


def _chain_ok(gold_event: Mapping[str, Any], chain: list[dict], index: _SysIndex) -> bool:
    wanted = [index.gold.resolve(name) for name in gold_event["chain"]]
    options = [chain[1:]]
    if gold_event.get("origin") and len(chain) > 1:
        options.append(chain[1:-1])
    return any(
        len(links) == len(wanted)
        and all(_link_matches(link, g, index) for link, g in zip(links, wanted, strict=True))
        for links in options
    )


def _origin_ok(gold_origin: Mapping[str, Any], chain: list[dict], index: _SysIndex) -> bool:
    if len(chain) < 2:
        return False
    link = chain[-1]
    if link.get("kind") != gold_origin.get("kind"):
        return False
    name = normalize_name(gold_origin["name"])
    texts = [normalize_name(t) for t in (link.get("name"), link.get("text")) if isinstance(t, str)]
    if name and any(name in text for text in texts):
        return True
    return index.gold.resolve(gold_origin["name"]) in index.candidates(link.get("entity"))


def _same_money(gold: Mapping[str, Any], value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    try:
        amount_ok = float(value["amount"]) == float(gold["amount"])
    except (KeyError, TypeError, ValueError):
        return False
    return amount_ok and str(value.get("currency", "")).upper() == str(
        gold.get("currency", "")
    ).upper()


def _same_duration(gold: Mapping[str, Any], value: Any) -> bool:
    if not isinstance(value, dict):
        return False

    def nonzero(d: Mapping[str, Any]) -> dict[str, float] | None:
        try:
            return {k: float(v) for k, v in d.items() if float(v) != 0}
        except (TypeError, ValueError):
            return None

    mine = nonzero(value)
    return mine is not None and mine == nonzero(gold)


def _role_values(event: Mapping[str, Any], role: str) -> list[Any]:
    values = (event.get("roles") or {}).get(role) or []
    return [v.get("value") for v in values if isinstance(v, dict) and "entity" not in v]


def _chain_of(event: Mapping[str, Any]) -> list[dict]:
    attribution = event.get("attribution")
    chain = (attribution.get("chain") if isinstance(attribution, dict) else None) or []
    if not isinstance(chain, list):
        raise EvalError(f"system output: event {event.get('id')!r}: 'chain' must be a list")
    return [link for link in chain if isinstance(link, dict)]


def _score_attributes(gold: dict, system: dict, index: _SysIndex, out: dict[str, Ratio]) -> None:
    """Add one matched pair to the attribute accuracies the gold event makes scoreable."""
    attribution: dict[str, Any] = (
        system["attribution"] if isinstance(system.get("attribution"), dict) else {}
    )
    chain = _chain_of(system)
    if gold.get("status") is not None:
        out["status"].add(system.get("status") == gold["status"])
    if gold.get("time") is not None:
        time: dict[str, Any] = system["time"] if isinstance(system.get("time"), dict) else {}
        out["time"].add(time.get("value") == gold["time"])
    if gold.get("stance") is not None:
        out["stance"].add(attribution.get("stance") == gold["stance"])
    if isinstance(gold.get("chain"), list):
        out["chain"].add(_chain_ok(gold, chain, index))
    if gold.get("origin") is not None:
        out["origin"].add(_origin_ok(gold["origin"], chain, index))
    if gold.get("value") is not None:
        out["value"].add(any(_same_money(gold["value"], v) for v in _role_values(system, "value")))
    if gold.get("term") is not None:
        out["term"].add(any(_same_duration(gold["term"], v) for v in _role_values(system, "term")))


def _describe_gold(event: Mapping[str, Any]) -> str:
    names = [n for values in event.get("roles", {}).values() for n in values]
    return f"{event['type']} [{', '.join(names)}]"


def _describe_system(event: Mapping[str, Any], index: _SysIndex) -> str:
    names = []
    for values in (event.get("roles") or {}).values():
        for value in values if isinstance(values, list) else []:
            if isinstance(value, dict) and "entity" in value:
                ent = index.entities.get(value["entity"])
                names.append(min(ent.keys) if ent and ent.keys else str(value["entity"]))
    return f"{event.get('type')} [{', '.join(names)}]"


# --------------------------------------------------------------------------- entities, statements


def _score_entities(gold: Mapping[str, Any], index: _SysIndex) -> EntityScore:
    score = EntityScore()
    complete = gold.get("entities_complete") is True
    listed = [g for g in index.gold.entities if g.listed]
    for g in listed:
        hits = [s for s in index.entities.values() if s.keys & g.keys]
        typed = any(s.type == g.type for s in hits)
        score.recall.add(bool(hits))
        score.recall_typed.add(typed)
        if complete:
            score.complete_recall.add(bool(hits))
            score.complete_recall_typed.add(typed)
    if complete:
        for s in index.entities.values():
            if s.type not in COMPLETE_TYPES:
                continue
            found = [g for g in listed if s.keys & g.keys]
            score.precision.add(bool(found))
            score.precision_typed.add(any(g.type == s.type for g in found))
    return score


def _statement_fits(gold: Mapping[str, Any], system: Mapping[str, Any], index: _SysIndex) -> bool:
    speaker = gold.get("speaker")
    if speaker is None:
        if system.get("speaker") is not None:
            return False
    elif index.gold.resolve(speaker) not in index.candidates(system.get("speaker")):
        return False
    needle = gold.get("text_contains")
    if needle:
        text = system.get("text")
        return isinstance(text, str) and fold_text(needle) in fold_text(text)
    return True


def _score_statements(gold: Mapping[str, Any], system: Mapping[str, Any], index: _SysIndex
                      ) -> StatementScore:
    gold_sts = gold.get("statements", [])
    sys_sts = _items(system, "statements")
    edges = []
    for g in gold_sts:
        fits = [j for j, s in enumerate(sys_sts) if _statement_fits(g, s, index)]
        # Prefer partners that agree on `quote`, so agreement is not lost to tie order.
        fits.sort(key=lambda j: bool(sys_sts[j].get("quote")) != bool(g.get("quote")))
        edges.append(fits)
    score = StatementScore()
    for g, match in zip(gold_sts, _max_matching(edges, len(sys_sts)), strict=True):
        score.recall.add(match is not None)
        if match is not None and "quote" in g:
            score.quote.add(bool(sys_sts[match].get("quote")) == bool(g["quote"]))
    return score


# --------------------------------------------------------------------------- public scoring


def score_document(gold: dict, system: dict) -> DocScore:
    """Score one system contract object against one gold line."""
    if not isinstance(system, dict):
        raise EvalError("system output must be a JSON object (one contract document)")
    _check_gold_line(gold, str(gold.get("file", "gold")) if isinstance(gold, dict) else "gold")
    gold_index = _GoldIndex(gold)
    index = _SysIndex(system, gold_index)
    gold_events = gold.get("events", [])
    sys_events = _items(system, "events")
    gold_roles = [_gold_roles(e, gold_index) for e in gold_events]
    sys_roles = [_system_roles(e, index) for e in sys_events]
    matches = _match_events(gold_events, gold_roles, sys_events, sys_roles)

    by_type: dict[str, TypeScore] = {}
    for event in gold_events:
        by_type.setdefault(event["type"], TypeScore()).events.fn += 1
    for event in sys_events:
        by_type.setdefault(str(event.get("type")), TypeScore()).events.fp += 1
    for gi, si in matches:
        score = by_type[gold_events[gi]["type"]]
        score.events.tp += 1
        score.events.fp -= 1
        score.events.fn -= 1
        score.roles.merge(_score_roles(gold_roles[gi], sys_roles[si]))
        _score_attributes(gold_events[gi], sys_events[si], index, score.attributes)

    matched_gold = {gi for gi, _ in matches}
    matched_sys = {si for _, si in matches}
    return DocScore(
        file=gold["file"],
        by_type=by_type,
        entities=_score_entities(gold, index),
        statements=_score_statements(gold, system, index),
        matches=matches,
        missed=[_describe_gold(e) for i, e in enumerate(gold_events) if i not in matched_gold],
        spurious=[
            _describe_system(e, index) for i, e in enumerate(sys_events) if i not in matched_sys
        ],
    )


def score_corpus(pairs: Iterable[tuple[dict, dict]]) -> Report:
    """Score (gold line, system object) pairs; totals are micro-averaged over documents."""
    documents = [score_document(gold, system) for gold, system in pairs]
    by_type: dict[str, TypeScore] = {}
    entities = EntityScore()
    statements = StatementScore()
    for doc in documents:
        for name, score in doc.by_type.items():
            by_type.setdefault(name, TypeScore()).merge(score)
        entities.merge(doc.entities)
        statements.merge(doc.statements)
    order = {name: i for i, name in enumerate(EVENT_TYPES)}
    by_type = dict(sorted(by_type.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
    return Report(documents, by_type, _sum_types(by_type.values()), entities, statements)


def run_eval(
    gold_paths: list[Path],
    shared_root: Path | None,
    extract_fn: Callable[[Path, str | None], dict],
) -> Report:
    """Extract every document a gold file names and score it.

    `file` in a gold line is relative to `shared_root` (the `shared/` folder); when
    `shared_root` is None it is taken to be the folder two levels above the gold file's
    folder, as in `shared/corpus/gold/dev.jsonl`. `extract_fn(path, published)` must
    return one contract object; `published` is the gold line's publication date.
    """
    pairs = []
    for gold_path in map(Path, gold_paths):
        root = (Path(shared_root) if shared_root is not None else gold_path.resolve().parents[2])
        for number, gold in enumerate(load_gold(gold_path), start=1):
            where = f"{gold_path}: document {number}"
            path = (root / gold["file"]).resolve()
            if not path.is_relative_to(root.resolve()):
                raise EvalError(f"{where}: {gold['file']!r} is outside {root}")
            if not path.is_file():
                raise EvalError(f"{where}: no such file {path}")
            system = extract_fn(path, gold.get("published"))
            if not isinstance(system, dict):
                raise EvalError(f"{where}: the extractor returned {type(system).__name__}")
            pairs.append((gold, system))
    return score_corpus(pairs)


# --------------------------------------------------------------------------- output


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _frac(ratio: Ratio) -> str:
    return f"{ratio.hits}/{ratio.total}" if ratio.total else "-"


def _type_row(name: str, score: TypeScore) -> list[str]:
    ev = score.events
    return [
        name, str(ev.tp + ev.fn), str(ev.tp + ev.fp), str(ev.tp),
        _num(ev.precision), _num(ev.recall), _num(ev.f1), _num(score.roles.f1),
        *(_frac(score.attributes[a]) for a in ATTRIBUTES),
    ]


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def summary_line(report: Report) -> str:
    """The one-line summary that ends `format_report`."""
    ents, ov = report.entities, report.overall
    entity_part = f"entities R={_num(ents.recall.value)}"
    if ents.precision.total:
        entity_part += f" P={_num(ents.precision.value)} F1={_num(ents.f1)}"
    parts = [
        entity_part,
        f"events P={_num(ov.events.precision)} R={_num(ov.events.recall)} F1={_num(ov.events.f1)}",
        f"roles F1={_num(ov.roles.f1)}",
        *(f"{a} {_num(ov.attributes[a].value)}" for a in ATTRIBUTES),
        f"statements R={_num(report.statements.recall.value)}",
    ]
    return "overall: " + " | ".join(parts)


def format_report(report: Report, details: bool = False) -> str:
    """A readable table per event type, entity and statement scores, and a summary line.

    Attribute columns show hits/scored ("-" when the gold gives nothing to score);
    `details=True` also lists each document's missed and spurious events.
    """
    header = ["type", "gold", "sys", "match", "P", "R", "F1", "roles F1", *ATTRIBUTES]
    rows = [header] + [_type_row(n, s) for n, s in report.by_type.items()]
    rows.append(_type_row("overall", report.overall))
    ents, sts = report.entities, report.statements
    lines = [f"{len(report.documents)} documents", "", *_table(rows), ""]
    lines.append(
        f"entities: recall {_num(ents.recall.value)} ({_frac(ents.recall)}), "
        f"typed {_num(ents.recall_typed.value)} ({_frac(ents.recall_typed)})"
    )
    if ents.precision.total:
        lines.append(
            f"entities (complete documents): P {_num(ents.precision.value)} "
            f"R {_num(ents.complete_recall.value)} F1 {_num(ents.f1)}; typed P "
            f"{_num(ents.precision_typed.value)} R {_num(ents.complete_recall_typed.value)} "
            f"F1 {_num(ents.f1_typed)}"
        )
    lines.append(
        f"statements: recall {_num(sts.recall.value)} ({_frac(sts.recall)}), "
        f"quote agreement {_num(sts.quote.value)} ({_frac(sts.quote)})"
    )
    if details:
        for doc in report.documents:
            lines.append(f"\n{doc.file}: {len(doc.matches)} matched")
            lines.extend(f"  missed   {d}" for d in doc.missed)
            lines.extend(f"  spurious {d}" for d in doc.spurious)
    lines += ["", summary_line(report)]
    return "\n".join(lines)


def _ratio_dict(ratio: Ratio) -> dict[str, Any]:
    return {"hits": ratio.hits, "total": ratio.total, "value": ratio.value}


def _prf_dict(prf: PRF) -> dict[str, Any]:
    return {"tp": prf.tp, "fp": prf.fp, "fn": prf.fn, "precision": prf.precision,
            "recall": prf.recall, "f1": prf.f1}


def _type_dict(score: TypeScore) -> dict[str, Any]:
    return {
        "events": _prf_dict(score.events),
        "roles": _prf_dict(score.roles),
        **{name: _ratio_dict(r) for name, r in score.attributes.items()},
    }


def _entities_dict(score: EntityScore) -> dict[str, Any]:
    return {
        "recall": _ratio_dict(score.recall),
        "recall_typed": _ratio_dict(score.recall_typed),
        "precision": _ratio_dict(score.precision),
        "precision_typed": _ratio_dict(score.precision_typed),
        "complete_recall": _ratio_dict(score.complete_recall),
        "complete_recall_typed": _ratio_dict(score.complete_recall_typed),
        "f1": score.f1,
        "f1_typed": score.f1_typed,
    }


def _statements_dict(score: StatementScore) -> dict[str, Any]:
    return {"recall": _ratio_dict(score.recall), "quote": _ratio_dict(score.quote)}


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data (for `raqib eval --json`)."""
    return {
        "overall": _type_dict(report.overall),
        "by_type": {name: _type_dict(s) for name, s in report.by_type.items()},
        "entities": _entities_dict(report.entities),
        "statements": _statements_dict(report.statements),
        "summary": summary_line(report),
        "documents": [
            {
                "file": doc.file,
                "overall": _type_dict(doc.overall),
                "by_type": {name: _type_dict(s) for name, s in doc.by_type.items()},
                "entities": _entities_dict(doc.entities),
                "statements": _statements_dict(doc.statements),
                "matches": [list(m) for m in doc.matches],
                "missed": list(doc.missed),
                "spurious": list(doc.spurious),
            }
            for doc in report.documents
        ],
    }
