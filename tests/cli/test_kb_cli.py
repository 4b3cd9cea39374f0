"""`raqib kb import` end to end: FtM file -> store -> `ingest` / `extract --db` output.

The FtM input is built with the followthemoney library. "Viktor Bout" is a bundled
knowledge-base person (person:viktor_bout); "Blue Horizon Maritime LLC" (with the Arabic
alias شركة الأفق الأزرق للملاحة) and "Idris Qalandari" are invented for these tests and
are in no bundled file, so only the import can make them known. The articles are
written for these tests too. Every expected value was worked out by hand from them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from followthemoney import ValueEntity, model
from typer.testing import CliRunner

from raqib import __version__, pipeline
from raqib.cli import app
from raqib.kb.ftm import iter_ftm_entities
from raqib.model import Document
from raqib.pipeline import base_extractor, extract, extractor_for_store
from raqib.store import open_store

ENV = dict(os.environ, RAQIB_FETCH_DELAY="0")
ENV.pop("RAQIB_KB_PATH", None)
ENV.pop("RAQIB_DB_URL", None)

COMPANY = "Blue Horizon Maritime LLC"
COMPANY_AR = "شركة الأفق الأزرق للملاحة"
ARTICLE_EN = f"""\
Sanctioned shipping firm tied to rifles seized off Aden

A cargo of assault rifles seized off Aden last week was chartered by {COMPANY}, \
according to a report by a United Nations panel of experts.

The panel said the company had worked with the arms dealer Viktor Bout, who was released \
by the United States in a prisoner swap in 2022. Idris Qalandari, a port official, \
declined to comment.
"""
ARTICLE_AR = f"""\
ضبط بنادق على متن سفينة استأجرتها شركة خاضعة للعقوبات

قال فريق خبراء الأمم المتحدة إن شحنة البنادق التي ضبطت قبالة عدن الأسبوع الماضي نقلتها \
سفينة استأجرتها {COMPANY_AR}، وإن الشركة تعاملت مع تاجر السلاح فيكتور بوت.
"""
BOUT_SANCTIONS = {"lists": ["us_ofac_sdn"], "programs": ["SDGT"], "ftm_id": "NK-test-bout",
                  "ftm_ids": ["NK-test-bout"], "topics": ["sanction"]}
COMPANY_SANCTIONS = {"lists": ["us_ofac_sdn"], "programs": ["SDGT"],
                     "ftm_id": "NK-test-bhm", "ftm_ids": ["NK-test-bhm"],
                     "topics": ["sanction"]}


def ftm(schema: str, entity_id: str, datasets: tuple[str, ...], **props: Any) -> dict:
    proxy = ValueEntity(model[schema], {"id": entity_id, "datasets": list(datasets)})
    for prop, values in props.items():
        proxy.add(prop, values)
    return proxy.to_dict()


def sanctions_file(path: Path, *, with_pep: bool = True) -> Path:
    """A sanctioned person, a sanctioned company, their Sanction records and a PEP."""
    items = [
        ftm("Person", "NK-test-bout", ("us_ofac_sdn",), name="Viktor Bout",
            topics="sanction", country="ru"),
        ftm("Sanction", "NK-test-sanc-1", ("us_ofac_sdn",), entity="NK-test-bout",
            program="SDGT", authority="Office of Foreign Assets Control"),
        ftm("Company", "NK-test-bhm", ("us_ofac_sdn",), name=COMPANY, alias=COMPANY_AR,
            topics="sanction"),
        ftm("Sanction", "NK-test-sanc-2", ("us_ofac_sdn",), entity="NK-test-bhm",
            program="SDGT"),
    ]
    if with_pep:
        items.append(ftm("Person", "Q-test-1", ("wd_peps",), name="Idris Qalandari",
                         topics="role.pep"))
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items),
                    encoding="utf-8")
    return path


def raqib(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real command in a new process (`python -m raqib ...`)."""
    return subprocess.run([sys.executable, "-m", "raqib", *args], capture_output=True,
                          timeout=180, env=env or ENV)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def here(*args: str, env: dict[str, str | None] | None = None) -> Result:
    """The same command run in this process (Click's runner), which is much faster than
    a new interpreter for each step; the extractor it builds is reused between calls."""
    return CliRunner().invoke(app, list(args), env={"RAQIB_KB_PATH": None, **(env or {})},
                              catch_exceptions=False)


def here_ok(*args: str, env: dict[str, str | None] | None = None) -> str:
    result = here(*args, env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def by_name(extraction: dict) -> dict[str, dict]:
    return {e["name"]: e for e in extraction["entities"]}


def versions(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT d.source, e.version FROM extractions e "
                                 "JOIN documents d ON d.id = e.document_id"))


def check_linked(entities: dict[str, dict]) -> None:
    bout = entities["Viktor Bout"]
    assert (bout["kb_id"], bout["sanctioned"]) == ("person:viktor_bout", True)
    assert bout["details"]["sanctions"] == BOUT_SANCTIONS
    assert "us_ofac_sdn" in bout["details"]["sanctions"]["lists"]
    company = entities[COMPANY]
    assert (company["type"], company["kb_id"], company["sanctioned"]) == \
        ("organization", "ftm:NK-test-bhm", True)
    assert company["details"]["sanctions"] == COMPANY_SANCTIONS
    assert company["names"] == {"en": COMPANY, "ar": COMPANY_AR}


def test_import_then_ingest_and_extract_flag_sanctioned_entities(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    url = f"sqlite:///{db}"
    data = sanctions_file(tmp_path / "entities.ftm.json")
    en = tmp_path / "report-en.txt"
    en.write_text(ARTICLE_EN, encoding="utf-8")
    ar = tmp_path / "report-ar.txt"
    ar.write_text(ARTICLE_AR, encoding="utf-8")

    # Before any import: Bout is the bundled person, not flagged; the company is unknown.
    first = here_ok("ingest", str(en), "--db", url).split("\t")
    assert first[0] == "ingested"
    assert versions(db) == {str(en): __version__}
    before = by_name(json.loads(here_ok("show", first[1], "--db", url, "--json")))
    assert before["Viktor Bout"]["kb_id"] == "person:viktor_bout"
    assert "sanctioned" not in before["Viktor Bout"]
    assert not any((e["kb_id"] or "").startswith("ftm:") for e in before.values())

    imported = raqib("kb", "import", str(data), "--db", url)
    assert imported.returncode == 0, imported.stderr.decode()
    assert imported.stderr.decode().strip().splitlines()[-1] == (
        "imported 3 entities (4 names), 0 skipped lines "
        "(3 new, 0 updated, 0 unchanged, 2 sanction records)")
    again = here("kb", "import", str(data), "--db", url)
    assert again.exit_code == 0
    assert again.stderr.strip().splitlines()[-1] == (
        "imported 3 entities (4 names), 0 skipped lines "
        "(0 new, 0 updated, 3 unchanged, 2 sanction records)")
    assert json.loads(here_ok("kb", "stats", "--db", url, "--json")) == {
        "entities": 3, "names": 4, "sanctioned": 2, "sanction_records": 2,
        "types": {"person": 2, "organization": 1},
        "datasets": {"us_ofac_sdn": 2, "wd_peps": 1}}

    # Ingesting again: the English report "exists" but is extracted again, because the
    # extractor's version now carries the imported data; the Arabic one is new.
    lines = [line.split("\t") for line in ok(raqib("ingest", str(en), str(ar), "--db", url))
             .splitlines()]
    assert [(line[0], line[1]) for line in lines] == [("exists", first[1]),
                                                      ("ingested", lines[1][1])]
    stored = versions(db)
    assert stored[str(en)] == stored[str(ar)] != __version__
    assert stored[str(en)].startswith(__version__ + "+kb.")
    english = by_name(json.loads(ok(raqib("show", first[1], "--db", url, "--json"))))
    check_linked(english)
    pep = english["Idris Qalandari"]
    assert pep["kb_id"] == "ftm:Q-test-1" and "sanctioned" not in pep
    arabic = by_name(json.loads(here_ok("show", lines[1][1], "--db", url, "--json")))
    check_linked(arabic)

    # Re-importing the same file changes nothing, so nothing is extracted again.
    assert here_ok("kb", "import", str(data), "--db", url, "--quiet") == ""
    assert [line.split("\t")[0] for line in
            here_ok("ingest", str(en), "--db", url).splitlines()] == ["exists"]
    assert versions(db) == stored

    # `extract --db` reads the imported names and writes nothing; without --db the
    # company is unknown and nobody is flagged.
    with_db = by_name(json.loads(ok(raqib("extract", str(en), "--db", url))))
    check_linked(with_db)
    assert versions(db) == stored
    without = json.loads(here_ok("extract", str(en)))
    assert not any((e["kb_id"] or "").startswith("ftm:") for e in without["entities"])
    assert not any(e.get("sanctioned") for e in without["entities"])
    assert by_name(without)["Viktor Bout"]["kb_id"] == "person:viktor_bout"


def test_extract_db_must_exist_and_is_not_created(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE_EN, encoding="utf-8")
    missing = tmp_path / "missing.db"
    result = here("extract", str(article), "--db", f"sqlite:///{missing}")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == f"error: no database at {missing}"
    assert not missing.exists()


def test_kb_import_errors_are_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'e.db'}"
    result = here("kb", "import", str(tmp_path / "nothing.json"), "--db", url)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot read")
    assert len(result.stderr.strip().splitlines()) == 1
    bad_url = here("kb", "import", str(tmp_path / "nothing.json"), "--db", "nosuch://x")
    assert bad_url.exit_code == 1
    assert bad_url.stderr.startswith("error: unsupported database 'nosuch'")


EXTRA_KB = """\
- id: org:red_dune_logistics
  type: organization
  name: Red Dune Logistics
  names: {ar: شركة الكثبان الحمراء للخدمات اللوجستية, en: Red Dune Logistics}
  subtype: company
"""


def test_kb_path_adds_entries_to_extract(tmp_path: Path) -> None:
    extra = tmp_path / "kb"
    extra.mkdir()
    (extra / "mine.yaml").write_text(EXTRA_KB, encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Rifles were found in a warehouse rented by Red Dune Logistics "
                       "in Aden, officials said.\n", encoding="utf-8")
    paths = os.pathsep.join([str(tmp_path / "empty.yaml"), str(extra)])
    found = by_name(json.loads(ok(raqib("extract", str(article),
                                        env=dict(ENV, RAQIB_KB_PATH=paths)))))
    assert found["Red Dune Logistics"]["kb_id"] == "org:red_dune_logistics"
    assert found["Red Dune Logistics"]["names"]["ar"] == "شركة الكثبان الحمراء للخدمات اللوجستية"
    plain = json.loads(here_ok("extract", str(article)))
    assert "org:red_dune_logistics" not in {e["kb_id"] for e in plain["entities"]}
    broken = here("extract", str(article), env={"RAQIB_KB_PATH": str(tmp_path / "nowhere")})
    assert broken.exit_code == 1 and broken.stdout == ""
    assert broken.stderr.strip() == \
        f"error: {tmp_path / 'nowhere'}: knowledge-base path does not exist"


# --- in process: the extractor follows the store's imports ---------------------------------


def test_extractor_for_store_is_cached_until_the_next_import(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAQIB_KB_PATH", raising=False)

    doc = Document.from_text(ARTICLE_EN, source="t.txt", language="en")
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        assert extractor_for_store(store) is base_extractor()  # nothing imported yet
        store.import_kb_entities(iter_ftm_entities(
            sanctions_file(tmp_path / "a.json", with_pep=False)))
        first = extractor_for_store(store)
        assert extractor_for_store(store) is first
        assert first.version.startswith(__version__ + "+kb.")
        names = by_name(extract(doc, first).to_dict())
        check_linked(names)
        assert "Idris Qalandari" not in names  # not imported yet: the PEP comes next
        store.import_kb_entities(iter_ftm_entities(sanctions_file(tmp_path / "b.json")))
        second = extractor_for_store(store)
        assert second is not first and second.version != first.version
        assert by_name(extract(doc, second).to_dict())["Idris Qalandari"]["kb_id"] == \
            "ftm:Q-test-1"


def test_large_imports_match_only_sanctioned_names(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAQIB_KB_PATH", raising=False)
    monkeypatch.setattr(pipeline, "MAX_MATCHED_IMPORTS", 2)  # the file has 3 entities
    doc = Document.from_text(ARTICLE_EN, source="t.txt", language="en")
    with open_store(f"sqlite:///{tmp_path / 'l.db'}") as store:
        store.import_kb_entities(iter_ftm_entities(sanctions_file(tmp_path / "a.json")))
        names = by_name(extract(doc, extractor_for_store(store)).to_dict())
    check_linked(names)
    assert "Idris Qalandari" not in names
