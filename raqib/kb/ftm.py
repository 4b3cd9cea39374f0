"""Read FollowTheMoney entities (the OpenSanctions export format) as a stream.

Input is JSON Lines: one FtM entity per line, `{"id", "schema", "properties"}`, plus
the fields OpenSanctions adds (`datasets`, `caption`, `referents`, `first_seen`,
`last_seen`, `target`). Files may be gzip-compressed whatever their name says (the
magic bytes decide), and "-" reads standard input.

The reader keeps memory constant: it holds one line at a time, never the file. A bad
line (not JSON, not an entity, an unknown schema) is counted and recorded with its line
number in a `ReadReport` and the stream goes on; only a problem with the file itself
(missing, unreadable, a JSON array instead of lines, a truncated gzip) raises
`FtmReadError`.

Only the schemata that name things articles write about are turned into entries:
people, organisations (companies, public bodies, bare legal entities), vessels and
aircraft. `Sanction` entities are kept too, as `type == "sanction"` records that point
at the entities they designate (`targets`): OpenSanctions writes them as separate lines,
before or after their target, so the store joins them at query time rather than the
reader holding entities back. The nested export ("targets.nested") embeds them inside
the target's properties instead; those are yielded as sanction records as well.
Everything else (addresses, ownerships, identifications, ...) is counted as ignored.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import os
import sys
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from followthemoney import model, registry
from followthemoney.exc import FollowTheMoneyException
from followthemoney.schema import Schema

from raqib.text.arabic import fold

__all__ = [
    "BadLine",
    "FtmReadError",
    "ImportedEntity",
    "ReadReport",
    "entity_type",
    "iter_ftm_entities",
    "name_key",
]

# FtM schema -> our entity type, tried in order with `Schema.is_a` (so Company and
# PublicBody, which extend Organization, are organisations). Person is listed before
# LegalEntity because every Person is also a LegalEntity; a bare LegalEntity (what
# sanctions lists use when they do not say whether a party is a person or a body) is an
# organisation far more often than not.
SCHEMA_TYPES: tuple[tuple[str, str], ...] = (
    ("Person", "person"),
    ("Organization", "organization"),
    ("LegalEntity", "organization"),
    ("Vessel", "vessel"),
    ("Airplane", "aircraft"),
)
SANCTION_SCHEMA = "Sanction"

STRONG_NAME_PROPS = ("name", "alias", "previousName")
WEAK_NAME_PROPS = ("weakAlias",)  # OpenSanctions: too generic to match on alone
PROGRAM_PROPS = ("program", "programId")
# Properties worth keeping as details: they tell two namesakes apart or identify a hull.
DETAIL_PROPS = (
    "birthDate", "birthPlace", "nationality", "citizenship", "gender", "position",
    "title", "jurisdiction", "incorporationDate", "registrationNumber", "leiCode",
    "innCode", "ogrnCode", "taxNumber", "imoNumber", "mmsi", "callSign", "flag",
    "pastFlags", "serialNumber", "model", "type", "buildDate", "wikidataId",
)
SANCTION_DETAIL_PROPS = (
    "authority", "authorityId", "unscId", "status", "startDate", "endDate",
    "listingDate", "provisions",
)
MAX_DETAIL_VALUES = 10  # per property: details are for display, not a data dump
MIN_NAME_CHARS = 2
MAX_NAME_CHARS = 200  # longer "names" are descriptions; the store's key column is 200
MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_NESTING = 3
KEPT_BAD_LINES = 100  # the report counts every bad line but keeps this many for display
_GZIP_MAGIC = b"\x1f\x8b"
_UNSUPPORTED_MAGIC = ((b"PK\x03\x04", "zip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"))


class FtmReadError(Exception):
    """The input file cannot be read as FtM JSON lines; one line meant for the user."""


@dataclass(frozen=True, slots=True, eq=True)
class ImportedEntity:
    """One FtM entity as Raqib uses it: its names for matching, its lists for flagging.

    `names` holds the caption first, then `name`, `alias`, `previousName` and
    `weakAlias` values, stripped, deduplicated under `name_key` and without 1-character
    names; `weak_names` says which of them came only from `weakAlias`. `programs` are
    the `program` texts and `programId` codes; `datasets` and `referents` are sorted
    (FtM writes them from sets). `properties` holds a few display details (dates of
    birth, nationality, IMO number, ...) and OpenSanctions' `first_seen`/`last_seen`.
    For `type == "sanction"` records, `targets` are the ids of the designated entities
    and `names` is empty; entities read back from the store carry the ids of the
    Sanction records that target them in `sanction_ids` (and those records' programs in
    `programs`).
    """

    id: str
    schema: str
    type: str  # person | organization | vessel | aircraft | sanction
    name: str
    names: tuple[str, ...] = ()
    weak_names: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    properties: dict[str, tuple[str, ...]] = field(default_factory=dict)
    referents: tuple[str, ...] = ()
    target: bool | None = None
    targets: tuple[str, ...] = ()
    sanction_ids: tuple[str, ...] = ()

    def __hash__(self) -> int:  # `properties` is a dict; the FtM id is the identity
        return hash((self.id, self.schema))

    @property
    def strong_names(self) -> tuple[str, ...]:
        """The names fit for matching on their own (all but weak aliases)."""
        weak = set(self.weak_names)
        return tuple(n for n in self.names if n not in weak)

    @property
    def sanctioned(self) -> bool:
        """Listed under the topic "sanction" or designated by a Sanction entity.

        Other OpenSanctions topics ("sanction.linked", "role.pep", "debarment", ...) do
        not make an entity sanctioned itself.
        """
        return "sanction" in self.topics or bool(self.sanction_ids)


@dataclass(frozen=True, slots=True)
class BadLine:
    line: int
    reason: str


@dataclass(slots=True)
class ReadReport:
    """What a read saw; filled in while `iter_ftm_entities` runs.

    `position`/`size` measure progress in bytes of the file as stored (compressed bytes
    for gzip); `size` is None for standard input and other streams of unknown length.
    """

    source: str = ""
    lines: int = 0
    entities: int = 0
    sanctions: int = 0
    ignored: int = 0  # valid entities of schemata Raqib does not import, or without names
    bad_count: int = 0
    bad_lines: list[BadLine] = field(default_factory=list)
    position: int = 0
    size: int | None = None

    def add_bad(self, line: int, reason: str) -> None:
        self.bad_count += 1
        if len(self.bad_lines) < KEPT_BAD_LINES:
            self.bad_lines.append(BadLine(line, reason))


class _BadEntity(ValueError):
    """A line that is JSON but not a usable entity; the message is the reason."""


# --- public entry point -------------------------------------------------------------------


def iter_ftm_entities(
    source: str | os.PathLike[str] | IO[bytes] | IO[str],
    *,
    report: ReadReport | None = None,
) -> Iterator[ImportedEntity]:
    """Yield the people, organisations, vessels, aircraft and sanctions in `source`.

    `source` is a path (".json", ".jsonl", ".ftm", optionally gzip-compressed), "-" for
    standard input, or an open binary or text stream (left open). Pass a `ReadReport`
    to learn about skipped lines and progress.
    """
    report = report if report is not None else ReadReport()
    with _open_source(source, report) as (stream, tell):
        for number, line in _numbered_lines(stream, report):
            report.lines = number
            if tell is not None and number % 256 == 0:
                report.position = tell()
            yield from _entities_of_line(line, number, report)
        report.position = report.size if report.size is not None else report.position


def name_key(name: str) -> str:
    """The key names are deduplicated and matched on: folded, spaces collapsed."""
    return " ".join(fold(name).split())


def entity_type(schema: Schema) -> str | None:
    """Raqib's entity type for an FtM schema, or None when Raqib does not import it."""
    return _entity_type(schema.name)


# --- opening the input --------------------------------------------------------------------


@contextmanager
def _open_source(source: Any,
                 report: ReadReport) -> Iterator[tuple[IO[Any], Callable[[], int] | None]]:
    """The stream to read lines from (unpacked when gzip), and a function giving the
    position in the file as stored (None when unknown); closes what it opened."""
    opened: list[IO[Any]] = []
    try:
        if isinstance(source, str | os.PathLike) and str(source) != "-":
            raw: IO[Any] = _open_path(Path(source), report)
            opened.append(raw)
        elif isinstance(source, str | os.PathLike):
            raw, report.source = sys.stdin.buffer, "<stdin>"
        else:
            raw, report.source = source, getattr(source, "name", None) or "<stream>"
        if _is_text(raw):
            yield raw, None
            return
        for magic, kind in _UNSUPPORTED_MAGIC:
            if _starts_with(raw, magic):
                raise FtmReadError(f"{report.source}: is a {kind} archive; decompress it "
                                   "first (gzip-compressed JSON lines are read directly)")
        tell = _tell_function(raw)
        if _starts_with(raw, _GZIP_MAGIC):
            unpacked = cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb"))
            opened.insert(0, unpacked)
            raw = unpacked
        yield raw, tell
    finally:
        for handle in opened:
            handle.close()


def _open_path(path: Path, report: ReadReport) -> IO[bytes]:
    report.source = str(path)
    try:
        raw = path.open("rb")
    except IsADirectoryError:
        raise FtmReadError(f"{path}: is a directory, not an FtM file") from None
    except OSError as exc:
        raise FtmReadError(f"cannot read {path}: {exc.strerror or exc}") from None
    report.size = os.fstat(raw.fileno()).st_size
    return raw


def _is_text(stream: IO[Any]) -> bool:
    return isinstance(stream, io.TextIOBase)


def _tell_function(raw: IO[bytes]) -> Callable[[], int] | None:
    try:
        raw.tell()
    except (OSError, AttributeError, ValueError):
        return None
    return raw.tell


def _starts_with(stream: IO[bytes], magic: bytes) -> bool:
    """Look at the first bytes without consuming them (peek, or read and seek back)."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        try:
            return bytes(peek(len(magic))[: len(magic)]) == magic
        except (OSError, ValueError):
            return False
    try:
        if stream.seekable():
            start = stream.tell()
            head = stream.read(len(magic))
            stream.seek(start)
            return head == magic
    except (OSError, ValueError):
        return False
    return False


# --- lines --------------------------------------------------------------------------------


def _numbered_lines(stream: IO[Any], report: ReadReport) -> Iterator[tuple[int, str | bytes]]:
    """(line number, line) for every non-blank line; oversized lines become bad lines."""
    number = 0
    while True:
        try:
            line = stream.readline(MAX_LINE_BYTES + 1)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise FtmReadError(f"{report.source}: compressed data is corrupt or truncated "
                               f"after line {number} ({exc})") from None
        except UnicodeDecodeError as exc:
            raise FtmReadError(f"{report.source}: not UTF-8 text after line {number} "
                               f"({exc.reason})") from None
        except OSError as exc:
            raise FtmReadError(f"cannot read {report.source} after line {number}: "
                               f"{exc.strerror or exc}") from None
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n" if isinstance(line, bytes)
                                                             else "\n"):
            _skip_rest_of_line(stream)
            report.add_bad(number, f"line longer than {MAX_LINE_BYTES // (1024 * 1024)} MB")
            continue
        if number == 1:
            line = _strip_bom(line)
            if line.lstrip()[:1] in (b"[", "["):
                raise FtmReadError(
                    f"{report.source}: holds a JSON array; expected FollowTheMoney JSON "
                    "lines, one entity object per line (as OpenSanctions publishes them)")
        if line.strip():
            yield number, line


def _skip_rest_of_line(stream: IO[Any]) -> None:
    while True:
        chunk = stream.readline(MAX_LINE_BYTES)
        if not chunk or chunk.endswith(b"\n" if isinstance(chunk, bytes) else "\n"):
            return


def _strip_bom(line: str | bytes) -> str | bytes:
    if isinstance(line, bytes):
        return line[3:] if line.startswith(b"\xef\xbb\xbf") else line
    return line[1:] if line.startswith("\ufeff") else line


# --- entities -----------------------------------------------------------------------------


def _entities_of_line(line: str | bytes, number: int,
                      report: ReadReport) -> Iterator[ImportedEntity]:
    try:
        data = json.loads(line)
    except UnicodeDecodeError:
        report.add_bad(number, "not UTF-8 text")
        return
    except json.JSONDecodeError as exc:
        report.add_bad(number, f"not JSON: {exc.msg} at column {exc.colno}")
        return
    except RecursionError:
        report.add_bad(number, "not JSON: nested too deeply")
        return
    try:
        found = list(_convert(data, parent_id=None, depth=0))
    except _BadEntity as exc:
        report.add_bad(number, str(exc))
        return
    if not found:
        report.ignored += 1
    for entity in found:
        if entity.type == "sanction":
            report.sanctions += 1
        else:
            report.entities += 1
        yield entity


def _convert(data: Any, parent_id: str | None, depth: int) -> Iterator[ImportedEntity]:
    """The entity of one JSON object, and the Sanctions nested in its properties."""
    if not isinstance(data, dict):
        raise _BadEntity(f"not an entity: a JSON {_json_kind(data)}, expected an object")
    entity_id, schema_name = data.get("id"), data.get("schema")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise _BadEntity("entity has no \"id\" string")
    if not isinstance(schema_name, str) or not schema_name:
        raise _BadEntity(f"entity {entity_id[:60]!r} has no \"schema\" string")
    schema = model.get(schema_name)
    if schema is None:
        raise _BadEntity(f"entity {entity_id[:60]!r}: unknown FtM schema {schema_name[:60]!r}")
    properties = data.get("properties", {})
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        raise _BadEntity(f"entity {entity_id[:60]!r}: \"properties\" is not an object")
    kept, nested = _split_properties(schema, properties)
    entity = _build(schema, entity_id, data, kept, parent_id)
    if entity is not None:
        yield entity
    if depth < MAX_NESTING:
        owner = entity_id if entity is not None and entity.type != "sanction" else None
        for child in nested:
            if isinstance(child, dict) and child.get("schema") == SANCTION_SCHEMA:
                if not child.get("datasets") and data.get("datasets"):
                    child = {**child, "datasets": data["datasets"]}  # published with it
                yield from _convert(child, parent_id=owner, depth=depth + 1)


def _split_properties(schema: Schema, properties: Mapping[str, Any],
                      ) -> tuple[dict[str, list[Any]], list[Any]]:
    """The property values Raqib reads, and the nested entity objects (nested exports)."""
    wanted = _wanted_properties(schema.name)
    kept: dict[str, list[Any]] = {}
    nested: list[Any] = []
    for key, values in properties.items():
        items = values if isinstance(values, list) else [values]
        objects = [v for v in items if isinstance(v, dict)]
        if objects:
            nested += objects
            items = [v for v in items if not isinstance(v, dict)]
        if key in wanted:
            kept[key] = [v for v in items if isinstance(v, str | int | float)
                         and not isinstance(v, bool)]
    return kept, nested


def _build(schema: Schema, entity_id: str, data: Mapping[str, Any],
           kept: dict[str, list[Any]], parent_id: str | None) -> ImportedEntity | None:
    """The ImportedEntity for a validated object, or None when Raqib does not import it."""
    our_type = "sanction" if schema.name == SANCTION_SCHEMA else _entity_type(schema.name)
    if our_type is None:
        return None
    try:
        # cleaned=False: FtM validates and normalises every value (country names to
        # codes, dates to ISO prefixes, names squashed); the input is not trusted.
        proxy = model.get_proxy({"id": entity_id, "schema": schema.name, "properties": kept},
                                cleaned=False)
    except (FollowTheMoneyException, TypeError, ValueError) as exc:
        raise _BadEntity(f"entity {entity_id[:60]!r}: {exc}") from None
    if not proxy.id:
        raise _BadEntity("entity has an empty \"id\"")
    values = proxy.properties  # one copy of the cleaned values, instead of many get()s
    datasets = _string_tuple(data.get("datasets"))
    programs = _dedupe(v for p in PROGRAM_PROPS for v in values.get(p, ()))
    countries = tuple(proxy.countries)
    if our_type == "sanction":
        targets = _dedupe([*values.get("entity", ()), *([parent_id] if parent_id else [])])
        if not targets:
            return None
        return ImportedEntity(
            id=proxy.id, schema=schema.name, type="sanction", name=proxy.caption,
            datasets=datasets, programs=programs, countries=countries,
            properties=_details(values, SANCTION_DETAIL_PROPS), targets=targets)
    caption = data.get("caption")
    caption = " ".join(caption.split()) if isinstance(caption, str) else ""
    names, weak_names = _names(
        [caption], [v for p in STRONG_NAME_PROPS for v in values.get(p, ())],
        [v for p in WEAK_NAME_PROPS for v in values.get(p, ())])
    if not names:
        return None
    # The published caption, else FtM's pick among the names; never a rejected name.
    name = caption if caption in names else proxy.caption
    target = data.get("target")
    return ImportedEntity(
        id=proxy.id, schema=schema.name, type=our_type,
        name=name if name in names else names[0], names=names, weak_names=weak_names,
        datasets=datasets, programs=programs, topics=tuple(values.get("topics", ())),
        countries=countries, properties=_details(values, DETAIL_PROPS, data),
        referents=_string_tuple(data.get("referents")),
        target=target if isinstance(target, bool) else None,
    )


def _names(caption: list[str], strong: list[str],
           weak: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names in order caption, strong, weak; deduplicated on `name_key`, a strong
    spelling winning over a weak one of the same key."""
    seen: dict[str, str] = {}
    weak_keys: set[str] = set()
    for group, is_weak in ((caption, False), (strong, False), (weak, True)):
        for raw in group:
            name = " ".join(raw.split())
            if not MIN_NAME_CHARS <= len(name) <= MAX_NAME_CHARS:
                continue
            key = name_key(name)
            if len(key) < MIN_NAME_CHARS or key in seen:
                continue
            seen[key] = name
            if is_weak:
                weak_keys.add(key)
    names = tuple(seen.values())
    weak_names = tuple(name for key, name in seen.items() if key in weak_keys)
    return names, weak_names


def _details(values: Mapping[str, list[str]], props: tuple[str, ...],
             data: Mapping[str, Any] | None = None) -> dict[str, tuple[str, ...]]:
    details: dict[str, tuple[str, ...]] = {}
    for prop in props:
        if values.get(prop):
            details[prop] = tuple(values[prop][:MAX_DETAIL_VALUES])
    for key in ("first_seen", "last_seen"):
        value = (data or {}).get(key)
        if isinstance(value, str) and value:
            details[key] = (value[:40],)
    return details


# --- small helpers ------------------------------------------------------------------------


@functools.cache
def _entity_type(schema_name: str) -> str | None:
    schema = model.get(schema_name)
    if schema is None:
        return None
    for ftm_name, our_type in SCHEMA_TYPES:
        if schema.is_a(ftm_name):
            return our_type
    return None


@functools.cache
def _wanted_properties(schema_name: str) -> frozenset[str]:
    """Properties handed to FtM for this schema: names, topics, programs, countries and
    details, or for a Sanction its target, programme and details. Dropping the rest
    (notes, addresses, source links) before FtM validates it keeps the reader fast."""
    schema = model[schema_name]
    if schema_name == SANCTION_SCHEMA:
        names = {*PROGRAM_PROPS, "entity", *SANCTION_DETAIL_PROPS}
    else:
        names = {*STRONG_NAME_PROPS, *WEAK_NAME_PROPS, *PROGRAM_PROPS, "topics", *DETAIL_PROPS}
    names |= {p.name for p in schema.properties.values() if p.type == registry.country}
    return frozenset(n for n in names
                     if n in schema.properties and not schema.properties[n].stub)


def _string_tuple(value: Any) -> tuple[str, ...]:
    """Sorted distinct strings: FtM writes these fields from sets, in no stable order."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(sorted({v.strip() for v in value if isinstance(v, str) and v.strip()}))


def _dedupe(values: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _json_kind(value: Any) -> str:
    kinds = {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)
