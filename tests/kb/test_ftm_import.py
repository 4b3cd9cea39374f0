"""`raqib kb import`: FtM JSON lines -> ImportedEntity -> store -> matcher overlay.

Every input file is built with the followthemoney library itself (`ValueEntity` for the
fields OpenSanctions adds), and every expected value below was worked out by hand from
the entities as written here.
"""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from followthemoney import ValueEntity, model
from rich.console import Console

from raqib.cli_kb import run_kb_import
from raqib.kb.ftm import FtmReadError, ImportedEntity, ReadReport, iter_ftm_entities
from raqib.kb.loader import KBEntry, KnowledgeBase
from raqib.kb.sanctions import sanctions_overlay
from raqib.store import Store, open_store
from raqib.store.migrations import LATEST_VERSION, MIGRATIONS, migrate
from raqib.store.store import make_engine
from tests.postgres import postgres_database

ROOT = Path(__file__).resolve().parents[2]

# --- building FtM input with the library --------------------------------------------------


def entity(schema: str, entity_id: str, *, datasets: tuple[str, ...] = (),
           caption: str | None = None, **props: Any) -> dict[str, Any]:
    """An OpenSanctions-style line: a ValueEntity with datasets/caption, as a dict."""
    context: dict[str, Any] = {"id": entity_id, "datasets": list(datasets)}
    if caption is not None:
        context["caption"] = caption
    for extra in ("target", "referents", "first_seen"):
        if extra in props:
            context[extra] = props.pop(extra)
    proxy = ValueEntity(model[schema], context)
    for prop, values in props.items():
        proxy.add(prop, values)
    return proxy.to_dict()


def sample_entities() -> list[dict[str, Any]]:
    """Eight importable entities, two Sanctions (one before its target), two others."""
    return [
        entity("Sanction", "NK-sanc-1", datasets=("us_ofac_sdn",), entity="le-1",
               program="Yemen-related Sanctions", programId="US-YEMEN",
               authority="Office of Foreign Assets Control"),
        entity("Person", "NK-bout", datasets=("us_ofac_sdn", "eu_fsf"), caption="Viktor Bout",
               target=True, referents=["ofac-1234"], first_seen="2023-01-01T00:00:00",
               name=["Viktor Bout", "Viktor Anatolyevich BOUT"],
               alias=["Merchant of Death", "Бут Виктор", "B", "viktor  bout"],
               weakAlias="Victor", previousName="Vadim Aminov", topics="sanction",
               program="Ukraine-/Russia-related", programId="US-RUS",
               birthDate="1967-01-13", nationality="ru", country="Russia",
               notes="a long biography that the importer drops"),
        entity("Company", "NK-rosobor", datasets=("eu_fsf",), name="Rosoboronexport",
               alias=["Рособоронэкспорт", "ROSOBORONEXPORT"], topics="sanction", country="ru"),
        entity("Organization", "NK-ansar", datasets=("us_ofac_sdn",), name="Ansarallah",
               alias=["انصار الله", "Houthis"], topics="sanction", program="SDGT"),
        entity("PublicBody", "NK-mod", datasets=("ext_example",),
               name="Ministry of Defence of Iran", alias="Iran"),
        entity("LegalEntity", "le-1", datasets=("us_ofac_sdn",), name="Red Sea Trading FZE",
               weakAlias="RST"),
        entity("Vessel", "NK-vessel", datasets=("us_ofac_sdn",), name="Jin Hui",
               previousName="Shun Fa", imoNumber="IMO 9074729", flag="Panama",
               topics="sanction"),
        entity("Airplane", "NK-plane", datasets=("us_ofac_sdn",), name="EP-MNB", alias="Il-76",
               registrationNumber="EP-MNB", model="Il-76TD", topics="sanction"),
        entity("Person", "Q99", datasets=("wd_peps",), target=False, name="Jane Official",
               topics="role.pep"),
        entity("Address", "addr-1", full="1 Main Street, Dubai"),
        entity("Ownership", "own-1", owner="NK-bout", asset="NK-rosobor"),
        entity("Sanction", "NK-sanc-2", datasets=("us_ofac_sdn",), entity="NK-bout",
               program="EO 13224", authority="OFAC"),
    ]


SAMPLE_ENTITIES = 8
SAMPLE_NAMES = 6 + 2 + 3 + 2 + 2 + 2 + 2 + 1  # bout, rosobor, ansar, mod, le-1, vessel, plane, pep


def write_lines(path: Path, items: list[Any], *, compress: bool = False) -> Path:
    data = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode()
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return write_lines(tmp_path / "entities.ftm.json", sample_entities())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'kb.db'}") as opened:
        yield opened


def read_all(source: Any) -> tuple[dict[str, ImportedEntity], ReadReport]:
    report = ReadReport()
    found = {e.id: e for e in iter_ftm_entities(source, report=report)}
    return found, report


def db_rows(store: Store, query: str) -> list[tuple]:
    path = store.url.removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


# --- reading ------------------------------------------------------------------------------


def test_reader_maps_schemata_to_types_and_skips_the_rest(sample: Path) -> None:
    found, report = read_all(sample)
    types = {eid: e.type for eid, e in found.items()}
    assert types == {
        "NK-sanc-1": "sanction", "NK-bout": "person", "NK-rosobor": "organization",
        "NK-ansar": "organization", "NK-mod": "organization", "le-1": "organization",
        "NK-vessel": "vessel", "NK-plane": "aircraft", "Q99": "person",
        "NK-sanc-2": "sanction",
    }
    assert (report.entities, report.sanctions, report.ignored) == (SAMPLE_ENTITIES, 2, 2)
    assert (report.lines, report.bad_count) == (12, 0)
    assert report.position == report.size == sample.stat().st_size


def test_reader_collects_names_aliases_and_flags_weak_ones(sample: Path) -> None:
    bout = read_all(sample)[0]["NK-bout"]
    # Caption first; "B" is one character; "viktor  bout" folds to the caption's key.
    assert bout.names == ("Viktor Bout", "Viktor Anatolyevich BOUT", "Merchant of Death",
                          "Бут Виктор", "Vadim Aminov", "Victor")
    assert bout.weak_names == ("Victor",)
    assert "Victor" not in bout.strong_names and len(bout.strong_names) == 5
    assert bout.name == "Viktor Bout" and bout.schema == "Person"
    assert bout.datasets == ("eu_fsf", "us_ofac_sdn")
    assert bout.programs == ("Ukraine-/Russia-related", "US-RUS")
    assert bout.topics == ("sanction",) and bout.sanctioned
    assert set(bout.countries) == {"ru"}  # "Russia" normalised by FtM
    assert bout.properties["birthDate"] == ("1967-01-13",)
    assert bout.properties["nationality"] == ("ru",)
    assert bout.properties["first_seen"] == ("2023-01-01T00:00:00",)
    assert "notes" not in bout.properties
    assert bout.referents == ("ofac-1234",) and bout.target is True


def test_reader_details_for_vessels_aircraft_and_sanctions(sample: Path) -> None:
    found = read_all(sample)[0]
    vessel, plane, pep = found["NK-vessel"], found["NK-plane"], found["Q99"]
    assert vessel.names == ("Jin Hui", "Shun Fa")
    assert vessel.properties["imoNumber"] == ("IMO9074729",)
    assert vessel.properties["flag"] == ("pa",) and vessel.countries == ("pa",)
    assert plane.names == ("EP-MNB", "Il-76") and plane.properties["model"] == ("Il-76TD",)
    assert not pep.sanctioned and pep.target is False and pep.topics == ("role.pep",)
    first = found["NK-sanc-1"]
    assert first.targets == ("le-1",) and first.names == ()
    assert first.programs == ("Yemen-related Sanctions", "US-YEMEN")
    assert first.properties["authority"] == ("Office of Foreign Assets Control",)
    assert found["NK-mod"].names == ("Ministry of Defence of Iran", "Iran")
    assert found["le-1"].names == ("Red Sea Trading FZE", "RST")
    assert found["le-1"].weak_names == ("RST",) and not found["le-1"].sanctioned


def test_gzip_stdin_and_open_streams_read_the_same(sample: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    plain = read_all(sample)[0]
    packed = tmp_path / "entities.json"  # compressed, whatever the name says
    packed.write_bytes(gzip.compress(sample.read_bytes()))
    assert read_all(packed)[0] == plain
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(packed.read_bytes())))
    from_stdin, report = read_all("-")
    assert from_stdin == plain and report.source == "<stdin>"
    assert read_all(io.BytesIO(sample.read_bytes()))[0] == plain
    assert read_all(io.StringIO(sample.read_text(encoding="utf-8")))[0] == plain


def test_bad_lines_are_counted_with_their_numbers(tmp_path: Path) -> None:
    good = entity("Person", "p1", name="Ali Hassan")
    lines = [
        json.dumps(good).encode(),                             # 1 ok
        b"{not json",                                          # 2
        b'"a string"',                                         # 3
        b'{"schema": "Person", "properties": {}}',             # 4 no id
        b'{"id": "x", "schema": "Spaceship"}',                 # 5 unknown schema
        b'{"id": "y", "schema": "Person", "properties": []}',  # 6 properties not an object
        b"",                                                   # 7 blank: not counted
        json.dumps(entity("Person", "p2", name="Omar Said")).encode(),  # 8 ok
        b'{"id": "z", "schema": "Person", "properties": {"name": ["\xff\xfe"]}}',  # 9 bad UTF-8
        b'{"id": "w", "schema": "Person", "properties": {"name": ["X"]}}',  # 10 no usable name
    ]
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n")  # with a UTF-8 BOM
    found, report = read_all(path)
    assert sorted(found) == ["p1", "p2"]
    assert [b.line for b in report.bad_lines] == [2, 3, 4, 5, 6, 9]
    assert report.bad_count == 6 and report.ignored == 1 and report.lines == 10
    reasons = {b.line: b.reason for b in report.bad_lines}
    assert reasons[2].startswith("not JSON") and "Spaceship" in reasons[5]
    assert "not an entity" in reasons[3] and "no \"id\"" in reasons[4]
    assert reasons[9] == "not UTF-8 text"


def test_unreadable_inputs_raise_one_line_errors(tmp_path: Path) -> None:
    array = tmp_path / "array.json"
    array.write_text(json.dumps([entity("Person", "p1", name="Ali Hassan")]))
    with pytest.raises(FtmReadError, match="JSON array"):
        list(iter_ftm_entities(array))
    with pytest.raises(FtmReadError, match="cannot read"):
        list(iter_ftm_entities(tmp_path / "missing.jsonl"))
    with pytest.raises(FtmReadError, match="directory"):
        list(iter_ftm_entities(tmp_path))
    archive = tmp_path / "entities.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("entities.ftm.json", json.dumps(entity("Person", "p1", name="Ali")))
    with pytest.raises(FtmReadError, match="zip archive; decompress it first"):
        list(iter_ftm_entities(archive))


def test_nested_sanctions_are_read_as_sanction_records(tmp_path: Path) -> None:
    nested = entity("Organization", "org-1", datasets=("un_sc_sanctions",), name="Al-Shabaab")
    nested["properties"]["sanctions"] = [
        entity("Sanction", "sanc-9", program="UN 751", authority="UN Security Council")]
    found, report = read_all(write_lines(tmp_path / "nested.json", [nested]))
    assert found["sanc-9"].targets == ("org-1",)
    assert found["sanc-9"].datasets == ("un_sc_sanctions",)  # inherited from its target
    assert found["sanc-9"].programs == ("UN 751",)
    assert report.entities == 1 and report.sanctions == 1


# --- the store ----------------------------------------------------------------------------


def test_import_then_reimport_adds_nothing(store: Store, sample: Path) -> None:
    first = store.import_kb_entities(iter_ftm_entities(sample))
    assert (first.entities, first.names, first.added, first.sanctions) == \
        (SAMPLE_ENTITIES, SAMPLE_NAMES, SAMPLE_ENTITIES, 2)
    assert store.count_imported() == SAMPLE_ENTITIES
    assert db_rows(store, "SELECT count(*) FROM kb_names") == [(SAMPLE_NAMES,)]
    again = store.import_kb_entities(iter_ftm_entities(sample))
    assert (again.added, again.updated, again.unchanged) == (0, 0, SAMPLE_ENTITIES)
    assert db_rows(store, "SELECT count(*) FROM kb_names") == [(SAMPLE_NAMES,)]
    assert db_rows(store, "SELECT count(*) FROM kb_sanctions") == [(2,)]
    assert store.count_imported() == SAMPLE_ENTITIES


def test_stored_entities_come_back_with_sanctions_joined(store: Store, sample: Path) -> None:
    store.import_kb_entities(iter_ftm_entities(sample))
    back = {e.id: e for e in store.iter_imported_entities()}
    assert sorted(back) == sorted(["NK-bout", "NK-rosobor", "NK-ansar", "NK-mod", "le-1",
                                   "NK-vessel", "NK-plane", "Q99"])
    read = read_all(sample)[0]
    bout = back["NK-bout"]
    assert bout.names == read["NK-bout"].names and bout.weak_names == ("Victor",)
    assert bout.sanction_ids == ("NK-sanc-2",)
    assert bout.programs == ("Ukraine-/Russia-related", "US-RUS", "EO 13224")
    # le-1 has no sanction topic: only the Sanction written before it designates it.
    assert back["le-1"].sanction_ids == ("NK-sanc-1",) and back["le-1"].sanctioned
    assert back["le-1"].programs == ("Yemen-related Sanctions", "US-YEMEN")
    assert not back["NK-mod"].sanctioned and not back["Q99"].sanctioned
    assert back["NK-vessel"].properties == read["NK-vessel"].properties
    flagged = db_rows(store, "SELECT id FROM kb_entries WHERE sanctioned ORDER BY id")
    assert [r[0] for r in flagged] == sorted(
        ["NK-ansar", "NK-bout", "NK-plane", "NK-rosobor", "NK-vessel", "le-1"])
    assert db_rows(store, "SELECT name FROM kb_names WHERE weak ORDER BY name") == \
        [("RST",), ("Victor",)]


def test_a_new_version_of_an_entity_replaces_its_names(store: Store, tmp_path: Path) -> None:
    v1 = entity("Person", "p1", name="Ali Hassan", alias=["Abu Ali", "علي حسن"])
    v2 = entity("Person", "p1", name="Ali Hassan", alias="Ali Hasan", topics="sanction")
    store.import_kb_entities(iter_ftm_entities(write_lines(tmp_path / "v1.json", [v1])))
    stats = store.import_kb_entities(iter_ftm_entities(write_lines(tmp_path / "v2.json", [v2])))
    assert (stats.added, stats.updated, stats.unchanged) == (0, 1, 0)
    (back,) = store.iter_imported_entities()
    assert back.names == ("Ali Hassan", "Ali Hasan") and back.sanctioned
    assert db_rows(store, "SELECT name, lang, fingerprint FROM kb_names ORDER BY id") == [
        ("Ali Hassan", None, "ali hassan"), ("Ali Hasan", None, "ali hasan")]


def test_a_sanction_that_no_longer_designates_an_entity_unflags_it(
        store: Store, tmp_path: Path) -> None:
    people = [entity("Person", "p1", name="Ali Hassan"),
              entity("Person", "p2", name="Omar Said", topics="sanction")]
    v1 = entity("Sanction", "s1", entity=["p1", "p2"], program="Yemen-related")
    v2 = entity("Sanction", "s1", entity="p2", program="Yemen-related")
    store.import_kb_entities(iter_ftm_entities(write_lines(tmp_path / "a.json", [*people, v1])))
    assert db_rows(store, "SELECT id, sanctioned FROM kb_entries ORDER BY id") == \
        [("p1", 1), ("p2", 1)]
    store.import_kb_entities(iter_ftm_entities(write_lines(tmp_path / "b.json", [v2])))
    # p1 was sanctioned only through s1; p2 still has its own topic and s1.
    assert db_rows(store, "SELECT id, sanctioned FROM kb_entries ORDER BY id") == \
        [("p1", 0), ("p2", 1)]
    back = {e.id: e for e in store.iter_imported_entities()}
    assert not back["p1"].sanctioned and back["p1"].sanction_ids == ()
    assert back["p2"].sanction_ids == ("s1",)


def test_batches_commit_separately_and_report_progress(store: Store, tmp_path: Path) -> None:
    people = [entity("Person", f"p{i:03d}", name=f"Person Number {i}") for i in range(25)]
    seen: list[int] = []
    stats = store.import_kb_entities(
        iter_ftm_entities(write_lines(tmp_path / "p.json", people)),
        on_progress=lambda s: seen.append(s.entities), batch_rows=10)
    # 2 rows per entity (entry + name), 10 rows per batch: 5 entities a batch.
    assert seen == [5, 10, 15, 20, 25] and stats.batches == 5
    assert [e.id for e in store.iter_imported_entities()] == [f"p{i:03d}" for i in range(25)]


def test_entities_read_before_a_read_error_are_kept(store: Store, tmp_path: Path) -> None:
    people = [entity("Person", f"p{i:03d}", name=f"Person Number {i}") for i in range(400)]
    path = write_lines(tmp_path / "cut.json.gz", people, compress=True)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # truncated download
    with pytest.raises(FtmReadError, match="truncated"):
        store.import_kb_entities(iter_ftm_entities(path), batch_rows=50)
    kept = [e.id for e in store.iter_imported_entities()]
    assert 0 < len(kept) < 400 and kept == [f"p{i:03d}" for i in range(len(kept))]


KILLED_IMPORT = textwrap.dedent("""
    import sys, time
    from raqib.kb.ftm import iter_ftm_entities
    from raqib.store import open_store

    def progress(stats):
        print(stats.entities, flush=True)
        time.sleep(0.05)

    store = open_store(sys.argv[1])
    store.import_kb_entities(iter_ftm_entities(sys.argv[2]), on_progress=progress,
                             batch_rows=20)
""")


def test_a_killed_import_leaves_whole_batches(tmp_path: Path) -> None:
    people = [entity("Person", f"p{i:04d}", name=f"Person Number {i}") for i in range(2000)]
    path = write_lines(tmp_path / "many.json", people)
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    child = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, url, str(path)],
                             stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert child.stdout is not None
    first = child.stdout.readline()
    child.kill()
    child.wait(timeout=30)
    assert first.strip() == "10"
    with open_store(url) as reopened:
        count = reopened.count_imported()
        assert count % 10 == 0 and 10 <= count < 2000
        assert all(len(e.names) == 1 for e in reopened.iter_imported_entities())
        assert db_rows(reopened, "PRAGMA integrity_check") == [("ok",)]
        assert db_rows(reopened, "SELECT count(*) FROM kb_names") == [(count,)]


def test_a_version_1_database_is_migrated_for_imports(tmp_path: Path, sample: Path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine, MIGRATIONS[:1])
    engine.dispose()
    con = sqlite3.connect(path)  # make it look like a database written by Raqib 1
    for column in ("origin", "type", "datasets", "topics", "programs", "countries",
                   "referents", "target", "checksum"):
        con.execute(f"ALTER TABLE kb_entries DROP COLUMN {column}")
    con.execute("ALTER TABLE kb_names DROP COLUMN weak")
    assert con.execute("SELECT name FROM sqlite_master WHERE name = 'kb_sanctions'") \
        .fetchall() == []
    con.commit()
    con.close()
    with open_store(f"sqlite:///{path}") as store:
        assert store.schema_version == LATEST_VERSION >= 2
        store.import_kb_entities(iter_ftm_entities(sample))
        assert store.count_imported() == SAMPLE_ENTITIES
        assert {e.id for e in store.iter_imported_entities() if e.sanctioned} == \
            {"NK-ansar", "NK-bout", "NK-plane", "NK-rosobor", "NK-vessel", "le-1"}


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh database on the local PostgreSQL server (see tests/postgres.py)."""
    with postgres_database("raqib_kb") as url:
        yield url.render_as_string(hide_password=False)


def test_import_on_postgresql(pg_url: str, sample: Path, tmp_path: Path) -> None:
    with open_store(pg_url) as store:
        assert store.imported_fingerprint() is None
        first = store.import_kb_entities(iter_ftm_entities(sample), batch_rows=7)
        assert (first.added, first.names, first.sanctions) == (SAMPLE_ENTITIES, SAMPLE_NAMES, 2)
        fingerprint = store.imported_fingerprint()
        again = store.import_kb_entities(iter_ftm_entities(sample))
        assert (again.added, again.updated, again.unchanged) == (0, 0, SAMPLE_ENTITIES)
        assert store.imported_fingerprint() == fingerprint is not None
        summary = store.imported_summary()
        assert (summary["entities"], summary["names"], summary["sanction_records"]) == \
            (SAMPLE_ENTITIES, SAMPLE_NAMES, 2)
        # sanctioned: NK-ansar, NK-bout, NK-plane, NK-rosobor, NK-vessel, le-1
        assert summary["sanctioned"] == 6
        changed = entity("Person", "Q99", datasets=("wd_peps",), name="Jane Official",
                         alias="J. Official", topics="role.pep")
        update = store.import_kb_entities(
            iter_ftm_entities(write_lines(tmp_path / "v2.json", [changed])))
        assert (update.updated, update.added) == (1, 0)
        assert store.imported_fingerprint() not in (None, fingerprint)
        back = {e.id: e for e in store.iter_imported_entities()}
        assert store.count_imported() == len(back) == SAMPLE_ENTITIES
        assert back["Q99"].names == ("Jane Official", "J. Official")
        assert back["le-1"].sanction_ids == ("NK-sanc-1",) and back["le-1"].sanctioned
        assert back["NK-bout"].weak_names == ("Victor",)


# --- the overlay for the matcher ----------------------------------------------------------


def kb_entry(entry_id: str, entity_type: str, name: str, *, ar: str | None = None,
             aliases: tuple[str, ...] = (), demonyms: tuple[str, ...] = (),
             country: str | None = None, links: dict[str, str] | None = None,
             subtype: str | None = None) -> KBEntry:
    names = {"en": name, **({"ar": ar} if ar else {})}
    return KBEntry(id=entry_id, type=entity_type, name=name, names=names,
                   aliases={"en": aliases} if aliases else {},
                   demonyms={"en": demonyms} if demonyms else {}, stands_for=None,
                   links=links or {}, note=None, parent=None, subtype=subtype, country=country)


@pytest.fixture
def small_kb() -> KnowledgeBase:
    entries = [
        kb_entry("state:ir", "state", "Iran", ar="إيران", demonyms=("Iranian",)),
        kb_entry("state:ru", "state", "Russia", ar="روسيا"),
        kb_entry("armed_group:houthis", "armed_group", "Ansar Allah", ar="أنصار الله",
                 aliases=("Houthis",), country="ye"),
        kb_entry("org:rosoboronexport", "organization", "Rosoboronexport State Corporation",
                 links={"opensanctions": "NK-rosobor"}, country="ru"),
        kb_entry("person:viktor_bout", "person", "Viktor Bout", ar="فيكتور بوت", country="ru"),
        kb_entry("aircraft:il-76", "aircraft", "Il-76", subtype="transport"),
        kb_entry("vessel:cargo_ship", "vessel", "cargo ship", subtype="category"),
    ]
    return KnowledgeBase({e.id: e for e in entries})


def test_overlay_links_adds_and_flags(small_kb: KnowledgeBase, store: Store,
                                      sample: Path) -> None:
    store.import_kb_entities(iter_ftm_entities(sample))
    overlay = sanctions_overlay(small_kb, store.iter_imported_entities())
    # "انصار الله" folds to "أنصار الله"; "Houthis" is an alias; NK-rosobor by its link;
    # Bout by name, his countries agreeing with the entry's.
    assert overlay.linked == {"NK-ansar": "armed_group:houthis",
                              "NK-rosobor": "org:rosoboronexport",
                              "NK-bout": "person:viktor_bout"}
    assert overlay.extra_aliases["armed_group:houthis"] == ("Ansarallah",)
    assert overlay.extra_aliases["org:rosoboronexport"] == ("Rosoboronexport",
                                                             "Рособоронэкспорт")
    assert "Victor" not in overlay.extra_aliases["person:viktor_bout"]  # weak alias
    extras = {e.id: e for e in overlay.extra_entries}
    assert sorted(extras) == ["ftm:NK-mod", "ftm:NK-plane", "ftm:NK-vessel", "ftm:Q99",
                              "ftm:le-1"]
    mod = extras["ftm:NK-mod"]  # "Iran" is the state's name: not the ministry's alias
    assert (mod.type, mod.name, mod.aliases) == ("organization", "Ministry of Defence of Iran",
                                                 {})
    assert mod.links == {"opensanctions": "NK-mod"}
    plane = extras["ftm:NK-plane"]  # "Il-76" is the bundled model
    assert (plane.type, plane.name, plane.aliases) == ("aircraft", "EP-MNB", {})
    le1 = extras["ftm:le-1"]  # the weak alias "RST" is not matchable
    assert (le1.name, le1.aliases) == ("Red Sea Trading FZE", {})
    assert extras["ftm:NK-vessel"].aliases == {"en": ("Shun Fa",)}
    assert overlay.sanctioned["armed_group:houthis"] == {
        "lists": ["us_ofac_sdn"], "programs": ["SDGT"], "ftm_id": "NK-ansar",
        "ftm_ids": ["NK-ansar"], "topics": ["sanction"]}
    assert overlay.sanctioned["ftm:le-1"]["programs"] == ["Yemen-related Sanctions",
                                                          "US-YEMEN"]
    assert overlay.sanctioned["person:viktor_bout"]["lists"] == ["eu_fsf", "us_ofac_sdn"]
    assert sorted(overlay.sanctioned) == sorted([
        "armed_group:houthis", "org:rosoboronexport", "person:viktor_bout", "ftm:le-1",
        "ftm:NK-vessel", "ftm:NK-plane"])
    assert "ftm:NK-mod" not in overlay.sanctioned and "ftm:Q99" not in overlay.sanctioned
    only = sanctions_overlay(small_kb, store.iter_imported_entities(), sanctioned_only=True)
    assert sorted(e.id for e in only.extra_entries) == ["ftm:NK-plane", "ftm:NK-vessel",
                                                         "ftm:le-1"]


def imported(entity_id: str, entity_type: str, *names: str, countries: tuple[str, ...] = (),
             topics: tuple[str, ...] = ("sanction",)) -> ImportedEntity:
    schema = {"person": "Person", "organization": "Organization", "vessel": "Vessel"}
    return ImportedEntity(id=entity_id, schema=schema[entity_type], type=entity_type,
                          name=names[0], names=names, countries=countries, topics=topics,
                          datasets=("test_list",))


def test_overlay_does_not_link_namesakes_categories_or_ambiguous_names(
        small_kb: KnowledgeBase) -> None:
    entries = dict(small_kb.entries)
    for suffix in ("a", "b"):
        entries[f"org:defense_{suffix}"] = kb_entry(f"org:defense_{suffix}", "organization",
                                                    f"Defense Company {suffix.upper()}",
                                                    aliases=("Defense Industries",))
    kb = KnowledgeBase(entries)
    overlay = sanctions_overlay(kb, [
        imported("bout-us", "person", "VIKTOR BOUT", countries=("us",)),  # other country
        imported("ship-1", "vessel", "Cargo Ship"),  # a category, not a ship
        imported("di-1", "organization", "Defense Industries"),  # two candidates
        imported("ru-org", "organization", "Russia", "Russian Helicopters"),  # a state's name
        imported("bout-2", "person", "viktor bout", countries=("ru",), topics=()),
        imported("as-1", "organization", "أنصار الشريعة", "Ansar al-Sharia", countries=("ye",)),
    ])
    assert overlay.linked == {"bout-2": "person:viktor_bout"}
    assert "person:viktor_bout" not in overlay.sanctioned  # bout-2 has no sanction topic
    extras = {e.id: e for e in overlay.extra_entries}
    assert sorted(extras) == ["ftm:as-1", "ftm:bout-us", "ftm:di-1", "ftm:ru-org",
                              "ftm:ship-1"]
    assert extras["ftm:ru-org"].name == "Russian Helicopters"
    assert extras["ftm:ru-org"].aliases == {}
    assert set(overlay.sanctioned) == set(extras)
    sharia = extras["ftm:as-1"]
    assert sharia.names == {"en": "أنصار الشريعة", "ar": "أنصار الشريعة"}
    assert sharia.aliases == {"en": ("Ansar al-Sharia",)}
    assert sharia.country is None  # the small KB has no state:ye entry
    assert list(sharia.surface_forms()) == [("أنصار الشريعة", "en", "name"),
                                            ("أنصار الشريعة", "ar", "name"),
                                            ("Ansar al-Sharia", "en", "alias")]
    assert overlay.sanctioned["ftm:as-1"] == {
        "lists": ["test_list"], "programs": [], "ftm_id": "as-1", "ftm_ids": ["as-1"],
        "topics": ["sanction"]}


# --- the command --------------------------------------------------------------------------


def run(path: str, store: Store, quiet: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    code = run_kb_import(path, store, Console(file=out, width=80, force_terminal=False), quiet)
    return code, out.getvalue()


def test_command_prints_the_summary_and_exits_0(store: Store, sample: Path) -> None:
    code, text = run(str(sample), store)
    assert code == 0
    assert text.splitlines()[-1] == (
        f"imported {SAMPLE_ENTITIES} entities ({SAMPLE_NAMES} names), 0 skipped lines "
        f"({SAMPLE_ENTITIES} new, 0 updated, 0 unchanged, 2 sanction records, "
        "2 other entities ignored)")
    code, text = run(str(sample), store, quiet=True)
    assert (code, text) == (0, "")


def test_command_reports_bad_lines_and_failures(store: Store, tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(json.dumps(entity("Person", "p1", name="Ali Hassan")) + "\n[oops\n")
    code, text = run(str(mixed), store)
    assert code == 0
    assert f"skipped {mixed}:2: not JSON" in text
    assert "imported 1 entities (1 names), 1 skipped lines" in text
    junk = tmp_path / "junk.jsonl"
    junk.write_text("{}\n{}\n")
    code, text = run(str(junk), store)
    assert code == 1 and "imported 0 entities (0 names), 2 skipped lines" in text
    code, text = run(str(tmp_path / "missing.jsonl"), store)
    assert code == 1 and text.startswith("error: cannot read") and "imported" not in text
