"""Imported knowledge-base entities (FtM / OpenSanctions) in the store.

Writing goes in batches of about `BATCH_ROWS` rows (entries + names + sanction rows),
one transaction each: a killed import leaves whole batches and nothing half-written, and
running it again finds those batches "unchanged". An entry is keyed by its FtM id and
carries a checksum of everything imported for it, so a re-import of the same file writes
nothing, and a new version of an entity replaces its row and all its names.

Sanction entities are stored apart (`kb_sanctions`, one row per designated entity) and
joined when entries are read back, because OpenSanctions may write a Sanction before
the entity it designates, and a reader that held entities back to wait for their
Sanctions would no longer run in constant memory. `kb_entries.sanctioned` is kept true
for SQL users whenever the topics say "sanction" or a stored Sanction targets the entry.

This module imports `raqib.kb.ftm` (and so followthemoney) only inside its functions:
opening a store must stay fast for commands that never touch the knowledge base.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from raqib.store.schema import kb_entries, kb_names, kb_sanctions

if TYPE_CHECKING:
    from raqib.kb.ftm import ImportedEntity

BATCH_ROWS = 5000
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f]")
READ_PAGE = 1000  # entries per read transaction in `iter_imported`
ORIGIN = "ftm"


@dataclass(slots=True)
class ImportStats:
    """Counts of an import; `added + updated + unchanged == entities`."""

    entities: int = 0  # people, organisations, vessels and aircraft received
    names: int = 0  # their names (weak aliases included)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    sanctions: int = 0  # Sanction records received
    batches: int = 0  # committed transactions

    def merge(self, other: ImportStats) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


# --- writing ------------------------------------------------------------------------------


def batches(entities: Iterable[ImportedEntity],
            batch_rows: int = BATCH_ROWS) -> Iterator[list[ImportedEntity]]:
    """Group `entities` into lists of about `batch_rows` rows.

    When the input fails half-way (a truncated file), the entities read so far are
    still handed out before the error goes on: they are complete and worth keeping.
    """
    batch: list[ImportedEntity] = []
    rows = 0
    try:
        for entity in entities:
            batch.append(entity)
            rows += 1 + len(entity.names) + len(entity.targets)
            if rows >= batch_rows:
                yield batch
                batch, rows = [], 0
    except Exception:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


def write_batch(conn: Connection, batch: Sequence[ImportedEntity], now: str) -> ImportStats:
    """Upsert one batch inside the caller's transaction; return what it did."""
    stats = ImportStats(batches=1)
    entities: dict[str, ImportedEntity] = {}
    sanctions: dict[str, ImportedEntity] = {}
    for entity in batch:  # a later version within the batch wins
        (sanctions if entity.type == "sanction" else entities)[entity.id] = entity
        if entity.type == "sanction":
            stats.sanctions += 1
        else:
            stats.entities += 1
            stats.names += len(entity.names)
    touched = _write_entries(conn, list(entities.values()), now, stats)
    targets, dropped = _write_sanctions(conn, list(sanctions.values()), now)
    _refresh_sanctioned(conn, touched | targets, dropped)
    # Entities repeated inside the batch were counted once per occurrence above but
    # written once; count the repeats as unchanged so the totals add up.
    stats.unchanged += stats.entities - len(entities)
    return stats


def _write_entries(conn: Connection, entities: list[ImportedEntity], now: str,
                   stats: ImportStats) -> set[str]:
    """Insert new and changed entries with their names; return the ids written."""
    if not entities:
        return set()
    sums = {e.id: checksum(e) for e in entities}
    c = kb_entries.c
    stored = dict(conn.execute(select(c.id, c.checksum).where(c.id.in_(list(sums)))).all())
    changed = [e for e in entities if stored.get(e.id) != sums[e.id]]
    stats.unchanged += len(entities) - len(changed)
    replaced = [e.id for e in changed if e.id in stored]
    stats.updated += len(replaced)
    stats.added += len(changed) - len(replaced)
    if not changed:
        return set()
    from raqib.kb.ftm import name_key

    if replaced:
        conn.execute(delete(kb_names).where(kb_names.c.entry_id.in_(replaced)))
    _upsert(conn, [_entry_row(e, sums[e.id], now) for e in changed])
    conn.execute(insert(kb_names), [
        {"entry_id": e.id, "name": name, "lang": "ar" if _is_arabic(name) else None,
         "fingerprint": name_key(name)[:200], "weak": name in weak}
        for e in changed for weak in (set(e.weak_names),) for name in e.names
    ])
    return {e.id for e in changed}


def _write_sanctions(conn: Connection, sanctions: list[ImportedEntity],
                     now: str) -> tuple[set[str], set[str]]:
    """Replace changed Sanction records; return the ids of the entities they now
    designate, and of those that replaced versions designated and these no longer do."""
    if not sanctions:
        return set(), set()
    sums = {s.id: checksum(s) for s in sanctions}
    c = kb_sanctions.c
    stored = {row.sanction_id: row.checksum for row in conn.execute(
        select(c.sanction_id, c.checksum).where(c.sanction_id.in_(list(sums))).distinct())}
    changed = [s for s in sanctions if stored.get(s.id) != sums[s.id]]
    if not changed:
        return set(), set()
    targets = {target for s in changed for target in s.targets}
    replaced = [s.id for s in changed if s.id in stored]
    dropped: set[str] = set()
    if replaced:
        dropped = set(conn.execute(select(c.entity_id).where(c.sanction_id.in_(replaced)))
                      .scalars()) - targets
        conn.execute(delete(kb_sanctions).where(c.sanction_id.in_(replaced)))
    conn.execute(insert(kb_sanctions), [
        {"sanction_id": s.id, "entity_id": target, "programs": list(s.programs),
         "datasets": list(s.datasets),
         "authority": "; ".join(s.properties.get("authority", ())) or None,
         "properties": _plain(s.properties), "checksum": sums[s.id], "imported_at": now}
        for s in changed for target in s.targets
    ])
    return targets, dropped


def _refresh_sanctioned(conn: Connection, touched: set[str], dropped: set[str]) -> None:
    """Keep `kb_entries.sanctioned` = topic "sanction" or designated by a stored Sanction.

    `touched` entries may have gained a designation; `dropped` ones may have lost one
    and fall back to what their own topics say.
    """
    c, designated = kb_entries.c, select(kb_sanctions.c.entity_id)
    if touched:
        conn.execute(update(kb_entries).where(c.id.in_(sorted(touched)), c.id.in_(designated))
                     .values(sanctioned=True))
    if dropped:
        rows = conn.execute(select(c.id, c.topics).where(c.id.in_(sorted(dropped)),
                                                         c.id.not_in(designated))).all()
        for entry_id, topics in rows:
            conn.execute(update(kb_entries).where(c.id == entry_id)
                         .values(sanctioned="sanction" in (topics or [])))


def _entry_row(e: ImportedEntity, digest: str, now: str) -> dict[str, Any]:
    return {
        "id": e.id, "ftm_schema": e.schema, "caption": e.name,
        "dataset": e.datasets[0] if e.datasets else "", "sanctioned": "sanction" in e.topics,
        "properties": _plain(e.properties), "imported_at": now, "origin": ORIGIN,
        "type": e.type, "datasets": list(e.datasets), "topics": list(e.topics),
        "programs": list(e.programs), "countries": list(e.countries),
        "referents": list(e.referents), "target": e.target, "checksum": digest,
    }


def _upsert(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """INSERT ... ON CONFLICT (id) DO UPDATE: keeps the row, so links to it survive."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement: Any = dialect.insert(kb_entries)
    statement = statement.on_conflict_do_update(
        index_elements=[kb_entries.c.id],
        set_={name: statement.excluded[name] for name in rows[0] if name != "id"})
    conn.execute(statement, rows)


def checksum(entity: ImportedEntity) -> str:
    """A digest of everything imported for an entity (or a Sanction record)."""
    fields = [entity.id, entity.schema, entity.type, entity.name, entity.names,
              entity.weak_names, entity.datasets, entity.programs, entity.topics,
              entity.countries, sorted(entity.properties.items()), entity.referents,
              entity.target, entity.targets]
    data = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest()


# --- reading ------------------------------------------------------------------------------


def iter_imported(engine: Engine, page: int = READ_PAGE) -> Iterator[ImportedEntity]:
    """Every imported entity in id order, with its names and the Sanctions targeting it.

    Keyset pages: each page is read in its own short transaction and yielded after it
    ends, so memory stays at one page and a long consumer never holds the database.
    """
    from raqib.kb.ftm import ImportedEntity

    c, n, s = kb_entries.c, kb_names.c, kb_sanctions.c
    last = ""
    while True:
        with engine.connect() as conn:
            rows = conn.execute(select(kb_entries).where(c.origin == ORIGIN, c.id > last)
                                .order_by(c.id).limit(page)).all()
            if not rows:
                return
            ids = [row.id for row in rows]
            names = _grouped(conn.execute(select(n.entry_id, n.name, n.weak)
                                          .where(n.entry_id.in_(ids)).order_by(n.id)))
            designations = _grouped(conn.execute(
                select(s.entity_id, s.sanction_id, s.programs)
                .where(s.entity_id.in_(ids)).order_by(s.sanction_id)))
        for row in rows:
            yield _entity_of(ImportedEntity, row, names.get(row.id, []),
                             designations.get(row.id, []))
        last = ids[-1]


def count_imported(conn: Connection) -> int:
    query = select(func.count()).select_from(kb_entries).where(kb_entries.c.origin == ORIGIN)
    return int(conn.execute(query).scalar() or 0)


def fingerprint(conn: Connection) -> str | None:
    """A short digest that changes whenever an import writes anything; None when
    nothing was imported.

    An import rewrites only new and changed rows and stamps each with `imported_at`,
    so the row counts plus the latest stamps of entries and Sanction records tell one
    state of the imported data from another in two aggregate queries, without reading
    the names. A re-import of an unchanged file writes nothing and keeps the digest.
    """
    c, s = kb_entries.c, kb_sanctions.c
    entries = conn.execute(select(func.count(), func.max(c.imported_at))
                           .where(c.origin == ORIGIN)).one()
    if not entries[0]:
        return None
    sanctions = conn.execute(select(func.count(), func.max(s.imported_at))).one()
    data = json.dumps([list(entries), list(sanctions)], default=str)
    return hashlib.blake2b(data.encode(), digest_size=8).hexdigest()


def summary(conn: Connection) -> dict[str, Any]:
    """Counts for `raqib kb stats`: entities (by type), names, sanctioned entities,
    Sanction records, datasets."""
    c, n, s = kb_entries.c, kb_names.c, kb_sanctions.c
    mine = c.origin == ORIGIN
    by_type = conn.execute(select(c.type, func.count()).where(mine).group_by(c.type)
                           .order_by(func.count().desc(), c.type)).all()
    names = conn.execute(select(func.count()).select_from(kb_names.join(
        kb_entries, n.entry_id == c.id)).where(mine)).scalar()
    sanctioned = conn.execute(select(func.count()).where(mine, c.sanctioned.is_(True))).scalar()
    records = conn.execute(select(func.count(func.distinct(s.sanction_id)))).scalar()
    datasets = conn.execute(select(c.dataset, func.count()).where(mine).group_by(c.dataset)
                            .order_by(func.count().desc(), c.dataset)).all()
    return {
        "entities": sum(int(count) for _type, count in by_type),
        "names": int(names or 0),
        "sanctioned": int(sanctioned or 0),
        "sanction_records": int(records or 0),
        "types": {str(kind): int(count) for kind, count in by_type},
        "datasets": {str(name): int(count) for name, count in datasets},
    }


def _grouped(rows: Iterable[Any]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    return grouped


def _entity_of(cls: type[ImportedEntity], row: Any, names: list[Any],
               designations: list[Any]) -> ImportedEntity:
    programs = list(row.programs or [])
    for designation in designations:
        programs += designation.programs or []
    return cls(
        id=row.id, schema=row.ftm_schema, type=row.type, name=row.caption,
        names=tuple(name.name for name in names),
        weak_names=tuple(name.name for name in names if name.weak),
        datasets=tuple(row.datasets or ()), programs=tuple(dict.fromkeys(programs)),
        topics=tuple(row.topics or ()), countries=tuple(row.countries or ()),
        properties={k: tuple(v) for k, v in (row.properties or {}).items()},
        referents=tuple(row.referents or ()), target=row.target,
        sanction_ids=tuple(dict.fromkeys(d.sanction_id for d in designations)),
    )


# --- small helpers ------------------------------------------------------------------------


def _plain(properties: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    return {key: list(values) for key, values in properties.items()}


def _is_arabic(text: str) -> bool:
    return _ARABIC.search(text) is not None
