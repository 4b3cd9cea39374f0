"""Store behaviour on real SQLite files.

Tests marked with `@store_behaviour` only use the `make_store` fixture;
tests/store/test_postgres.py runs exactly those against a real PostgreSQL server.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from raqib.model import Document
from raqib.store import (
    AmbiguousPrefixError,
    InvalidIdError,
    Store,
    StoreError,
    open_store,
)
from raqib.store.migrations import LATEST_VERSION

MakeStore = Callable[[], Store]

# Written for these tests: a news report, a syndicated copy (new headline, one sentence
# rewritten, different byline) and another outlet's report on the same seizure.
HEADLINE = "ضبط شحنة أسلحة على متن سفينة تجارية في ميناء عدن"
BODY = """\
أعلنت السلطات اليمنية يوم الثلاثاء ضبط شحنة كبيرة من الأسلحة الخفيفة والذخائر على متن سفينة \
تجارية راسية في ميناء عدن، بحسب ما أفاد مسؤول في خفر السواحل.
وقال المسؤول، الذي طلب عدم الكشف عن اسمه لأنه غير مخول بالحديث إلى وسائل الإعلام، إن الشحنة \
ضمت نحو خمسمئة بندقية آلية وعشرات القواذف المضادة للدروع، وكانت مخبأة داخل حاويات مسجلة على \
أنها قطع غيار للسيارات.
وأضاف أن السفينة أبحرت من ميناء في القرن الأفريقي قبل أسبوعين، وتوقفت لساعات في عرض البحر حيث \
يعتقد أنها تسلمت جزءا من الحمولة من مركب صغير، قبل أن تواصل رحلتها نحو عدن.
وأوضح أن طاقم السفينة المؤلف من اثني عشر بحارا من جنسيات مختلفة احتجز للتحقيق، وأن السلطات \
صادرت أجهزة اتصال بالأقمار الصناعية ودفاتر ملاحة عثر عليها في غرفة القيادة.
ولم تعلق الشركة المالكة للسفينة، المسجلة في دولة خليجية، على الحادثة حتى الآن، فيما رجح خبراء في \
شؤون الأمن البحري أن تكون الأسلحة موجهة إلى جماعات مسلحة في شمال البلاد.
وتأتي عملية الضبط بعد أشهر من تقارير صادرة عن فريق خبراء الأمم المتحدة حذرت من تزايد عمليات \
التهريب عبر البحر الأحمر وخليج عدن، ودعت الدول المطلة عليهما إلى تعزيز الرقابة على الموانئ \
الصغيرة ومراكب الصيد.
وكانت قوات بحرية دولية قد اعترضت في وقت سابق من العام الجاري مركبا شراعيا يحمل صواريخ مضادة \
للدبابات ومكونات طائرات مسيرة قبالة السواحل الصومالية، في عملية وصفت حينها بأنها من أكبر عمليات \
الضبط في المنطقة.
ويقول باحثون يتابعون تجارة السلاح غير المشروعة إن المهربين باتوا يعتمدون على نقل الشحنات على \
مراحل، مستخدمين سفنا تجارية كبيرة لعبور المسافات الطويلة ثم مراكب خشبية صغيرة يصعب رصدها \
بالرادار.
وقالت وزارة الداخلية في بيان إنها ستواصل ملاحقة شبكات التهريب، وإن التحقيقات جارية لتحديد \
الجهات التي تقف وراء الشحنة ومصادر تمويلها، مشيرة إلى أن القضية أحيلت إلى النيابة العامة.
ومن المقرر أن يعقد مسؤولون أمنيون من دول المنطقة اجتماعا في عدن الشهر المقبل لبحث سبل تبادل \
المعلومات حول السفن المشبوهة.
"""
ARTICLE = f"{HEADLINE}\n{BODY}"
SYNDICATED = "إحباط تهريب أسلحة إلى اليمن عبر سفينة تجارية\n" + BODY.replace(
    "ولم تعلق الشركة المالكة للسفينة، المسجلة في دولة خليجية، على الحادثة حتى الآن، فيما رجح",
    "وامتنعت الشركة المالكة للسفينة عن التعليق، بينما رجح",
)
# The same words with diacritics, tatweel, other alef forms and other spacing.
RETYPED = ARTICLE.replace("أعلنت السلطات", "أَعْلَنَتِ  السُّلُطات").replace(
    "الأسلحة", "الاسلحـــة").replace("\n", "\n\n")
OTHER_STORY = """\
البحرية تعترض مركبا محملا بالذخائر قبالة السواحل اليمنية
اعترضت دورية بحرية فجر الأربعاء مركبا صغيرا كان يقل ستة أشخاص وصناديق ذخيرة في المياه \
الإقليمية، وفق ما ذكرت وكالة الأنباء الرسمية نقلا عن قائد القوات البحرية.
وذكر القائد أن المركب حاول الفرار عند اقتراب الدورية وأن عناصرها أطلقوا طلقات تحذيرية قبل \
السيطرة عليه، مشيرا إلى أن الموقوفين نقلوا إلى قاعدة عسكرية لاستجوابهم.
ولم تكشف الوكالة عن وجهة المركب أو الجهة التي كان يعمل لصالحها، لكنها أكدت أن العملية جاءت \
بناء على معلومات استخباراتية حول نشاط شبكة تهريب تعمل في المنطقة منذ أشهر.
"""


def word_jaccard(a: str, b: str) -> float:
    """Word 3-shingle Jaccard of the texts as written (independent of raqib's fold)."""
    def grams(text: str) -> set[tuple[str, ...]]:
        words = text.split()
        words = [w.strip("،.:") for w in words]
        return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}
    sa, sb = grams(a), grams(b)
    return len(sa & sb) / len(sa | sb)


def doc(text: str, source: str = "a.html", language: str = "ar", **meta) -> Document:
    return Document.from_text(text, source, language, **meta)


def add(store: Store, document: Document, raw: bytes | None = None):
    return store.add_document(document, raw_content=raw or document.text.encode("utf-8"),
                              raw_source=document.source)


def store_behaviour(test: Callable) -> Callable:
    """Mark a backend-independent test (re-run against PostgreSQL in test_postgres.py)."""
    test.store_behaviour = True  # type: ignore[attr-defined]
    return test


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "raqib.db"


@pytest.fixture
def make_store(db_path: Path) -> Iterator[MakeStore]:
    """Open (another) store on this test's database file."""
    opened: list[Store] = []

    def make() -> Store:
        opened.append(open_store(sqlite_url(db_path)))
        return opened[-1]

    yield make
    for store in opened:
        store.close()


# --- adding documents -------------------------------------------------------------------


def test_fixture_texts_are_what_the_tests_assume() -> None:
    assert word_jaccard(ARTICLE, SYNDICATED) >= 0.85
    assert word_jaccard(ARTICLE, OTHER_STORY) < 0.05
    assert RETYPED != ARTICLE


@store_behaviour
def test_same_text_again_exists_and_adds_nothing(make_store: MakeStore) -> None:
    store = make_store()
    first = add(store, doc(ARTICLE))
    assert (first.status, first.duplicate_of, first.similarity) == ("ingested", None, None)
    again = store.add_document(doc(ARTICLE, source="elsewhere.html"),
                               raw_content=b"<html>another page, same text</html>",
                               raw_source="elsewhere.html")
    assert (again.status, again.doc_id) == ("exists", first.doc_id)
    stats = store.stats()
    assert (stats["documents"], stats["raw_inputs"], stats["duplicates"]) == (1, 1, 0)
    assert store.get_raw(first.doc_id) == ARTICLE.encode("utf-8")


@store_behaviour
def test_exact_duplicate_is_recorded_against_the_first_copy(make_store: MakeStore) -> None:
    store = make_store()
    original = add(store, doc(ARTICLE))
    retyped = add(store, doc(RETYPED, source="b.html"))
    assert retyped.doc_id != original.doc_id
    assert (retyped.status, retyped.duplicate_of, retyped.similarity) == \
        ("duplicate", original.doc_id, 1.0)
    stored = store.get_document(retyped.doc_id)
    assert stored is not None and stored.duplicate_of == original.doc_id
    assert stored.text == RETYPED  # the copy keeps its own text
    # A copy of the copy points at the original, not at the intermediate duplicate.
    third = add(store, doc(RETYPED.replace("\n\n", "\n \n"), source="c.html"))
    assert (third.status, third.duplicate_of) == ("duplicate", original.doc_id)
    # Re-adding a duplicate reports what is stored.
    assert add(store, doc(RETYPED, source="b.html")).duplicate_of == original.doc_id
    assert store.stats()["duplicates"] == 2


@store_behaviour
def test_near_duplicate_is_recorded_with_similarity(make_store: MakeStore) -> None:
    store = make_store()
    original = add(store, doc(ARTICLE, byline="مراسلنا في عدن"))
    copy = add(store, doc(SYNDICATED, source="b.html", byline="وكالة الأنباء"))
    assert (copy.status, copy.duplicate_of) == ("duplicate", original.doc_id)
    assert copy.similarity is not None and 0.8 <= copy.similarity < 1.0
    assert store.get_document(copy.doc_id).duplicate_of == original.doc_id
    other = add(store, doc(OTHER_STORY, source="c.html"))
    assert (other.status, other.duplicate_of) == ("ingested", None)
    assert store.stats()["duplicates"] == 1


@store_behaviour
def test_document_round_trips(make_store: MakeStore) -> None:
    store = make_store()
    original = doc(ARTICLE, source="https://example.org/a", outlet="الفاصل", title=HEADLINE,
                   byline="مراسلنا", section="أمن", published="2024-10-06",
                   removed=["اقرأ أيضا", "شارك المقال"], url="https://example.org/a")
    raw = "<p>نص</p>".encode("cp1256") + b"\xff\x00"  # not UTF-8: bytes kept as they came
    outcome = store.add_document(original, raw_content=raw, raw_source="https://example.org/a",
                                 content_type="text/html; charset=windows-1256",
                                 headers={"Server": "nginx"})
    assert outcome.doc_id == hashlib.sha256(ARTICLE.encode("utf-8")).hexdigest()
    assert store.get_document(outcome.doc_id) == original
    assert store.get_raw(outcome.doc_id) == raw
    assert store.has_source("https://example.org/a")
    assert not store.has_source("https://example.org/b")


@store_behaviour
def test_same_raw_bytes_are_stored_once(make_store: MakeStore) -> None:
    store = make_store()
    page = b"<html>one page, two cleanings</html>"
    first, second = doc(ARTICLE), doc(OTHER_STORY)
    add(store, first, page)
    add(store, second, page)
    assert store.stats()["raw_inputs"] == 1
    assert store.get_raw(first.id) == store.get_raw(second.id) == page


@store_behaviour
def test_failed_add_leaves_nothing(make_store: MakeStore) -> None:
    store = make_store()
    # `removed` is written after the raw input row in the same transaction: its failure
    # must take the raw row with it.
    broken = doc(ARTICLE, removed=[object()])
    with pytest.raises(StoreError):
        add(store, broken)
    stats = store.stats()
    assert (stats["documents"], stats["raw_inputs"]) == (0, 0)
    assert add(store, doc(ARTICLE)).status == "ingested"


@store_behaviour
def test_bad_input_is_rejected_with_store_errors(make_store: MakeStore) -> None:
    store = make_store()
    forged = Document(id="0" * 64, source="a", text="some text", language="en")
    with pytest.raises(StoreError, match="SHA-256"):
        add(store, forged)
    with pytest.raises(StoreError, match="bytes"):
        store.add_document(doc(ARTICLE), raw_content="not bytes", raw_source="a")  # type: ignore[arg-type]
    assert store.stats()["documents"] == 0


# --- reading ----------------------------------------------------------------------------


def colliding_texts() -> tuple[str, str]:
    """Two texts whose SHA-256 ids share their first 6 hex characters."""
    seen: dict[str, str] = {}
    for i in range(200_000):
        text = f"note {i}"
        key = hashlib.sha256(text.encode()).hexdigest()[:6]
        if key in seen:
            return seen[key], text
        seen[key] = text
    raise AssertionError("no collision found")


@store_behaviour
def test_get_document_by_prefix(make_store: MakeStore) -> None:
    store = make_store()
    a_text, b_text = colliding_texts()
    a, b = doc(a_text, language="en"), doc(b_text, language="en")
    add(store, a)
    add(store, b)
    assert a.id[:6] == b.id[:6] and a.id[:7] != b.id[:7]
    with pytest.raises(AmbiguousPrefixError):
        store.get_document(a.id[:6])
    with pytest.raises(LookupError):
        store.get_raw(a.id[:6])
    assert store.get_document(a.id[:7]).text == a_text
    assert store.get_document(b.id[:7].upper()).text == b_text
    assert store.get_document(a.id).text == a_text
    assert store.get_document("f" * 64 if a.id[0] != "f" else "e" * 64) is None
    for bad in ("abc12", "xyz1234", a.id + "0", ""):
        with pytest.raises(InvalidIdError):
            store.get_document(bad)
    assert store.get_raw("0" * 64) is None


@store_behaviour
def test_list_documents(make_store: MakeStore) -> None:
    store = make_store()
    ar = add(store, doc(ARTICLE, title=HEADLINE, outlet="عدن اليوم"))
    time.sleep(0.002)
    en = add(store, doc("An English report on arms", source="e.txt", language="en"))
    time.sleep(0.002)
    dup = add(store, doc(SYNDICATED, source="b.html"))
    listed = store.list_documents()
    assert [row["id"] for row in listed] == [dup.doc_id, en.doc_id, ar.doc_id]  # newest first
    assert set(listed[0]) == {"id", "title", "language", "outlet", "published", "source",
                              "duplicate_of", "ingested_at"}
    assert listed[0]["duplicate_of"] == ar.doc_id
    assert (listed[2]["title"], listed[2]["outlet"]) == (HEADLINE, "عدن اليوم")
    assert [r["id"] for r in store.list_documents(language="en")] == [en.doc_id]
    assert [r["id"] for r in store.list_documents(limit=1, offset=1)] == [en.doc_id]
    assert store.list_documents(limit=5, offset=3) == []
    stats = store.stats()
    assert stats["languages"] == {"ar": 2, "en": 1}
    assert stats["schema_version"] == LATEST_VERSION and stats["db_size_bytes"] > 0


# --- extractions ------------------------------------------------------------------------


@store_behaviour
def test_new_extraction_replaces_the_old_one(make_store: MakeStore) -> None:
    store = make_store()
    d = add(store, doc(ARTICLE)).doc_id
    store.save_extraction(d, "raqib-rules", "1", {"events": [{"type": "seizure"}]})
    store.save_extraction(d, "raqib-rules", "2", {"events": [], "note": "ضبط"})
    assert store.get_extraction(d, "raqib-rules") == {"events": [], "note": "ضبط"}
    assert store.stats()["extractions"] == {"raqib-rules": {"2": 1}}
    time.sleep(0.002)
    store.save_extraction(d, "llm", "0.1", {"events": [{"type": "arrest"}]})
    assert store.get_extraction(d) == {"events": [{"type": "arrest"}]}  # latest of any
    assert store.get_extraction(d, "raqib-rules") == {"events": [], "note": "ضبط"}
    assert store.get_extraction(d, "missing") is None
    assert store.stats()["extractions"] == {"raqib-rules": {"2": 1}, "llm": {"0.1": 1}}


@store_behaviour
def test_failed_extraction_keeps_the_previous_one(make_store: MakeStore) -> None:
    store = make_store()
    d = add(store, doc(ARTICLE)).doc_id
    store.save_extraction(d, "raqib-rules", "1", {"ok": True})
    # The old row is deleted before the new one fails to serialise: one transaction.
    with pytest.raises(StoreError, match="not storable"):
        store.save_extraction(d, "raqib-rules", "2", {"bad": object()})
    assert store.get_extraction(d, "raqib-rules") == {"ok": True}
    with pytest.raises(StoreError, match="no document"):
        store.save_extraction("0" * 64, "raqib-rules", "1", {})


# --- reopening and several processes ----------------------------------------------------


@store_behaviour
def test_reopen_keeps_data_and_schema(make_store: MakeStore) -> None:
    first = make_store()
    d = add(first, doc(ARTICLE)).doc_id
    first.close()
    second = make_store()
    assert second.schema_version == LATEST_VERSION
    assert second.get_document(d).text == ARTICLE
    assert add(second, doc(ARTICLE)).status == "exists"


WORKER = r"""
import json, pathlib, sys, time
from raqib.model import Document
from raqib.store import open_store

url, worker, count, barrier, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    pathlib.Path(sys.argv[4]), sys.argv[5]
store = open_store(url)
(barrier / f"ready-{worker}").touch()
deadline = time.monotonic() + 30
while len(list(barrier.glob("ready-*"))) < 2 and time.monotonic() < deadline:
    time.sleep(0.002)
statuses = []
for i in range(count):
    text = f"Report {tag} {i}: " + " ".join(f"{tag}w{i}x{j}" for j in range(30))
    doc = Document.from_text(text, f"{tag}-{i}.txt", "en")
    statuses.append(store.add_document(doc, raw_content=text.encode(),
                                       raw_source=doc.source).status)
store.close()
print(json.dumps(statuses))
"""


def run_two_writers(url: str, tmp_path: Path, tags: tuple[str, str],
                    count: int) -> list[list[str]]:
    """Two processes add `count` documents each at the same time; their statuses."""
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, url, str(n), str(count),
                               str(barrier), tag],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n, tag in enumerate(tags)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    return results


@store_behaviour
def test_two_processes_write_at_once(make_store: MakeStore, tmp_path: Path) -> None:
    store = make_store()  # creates the schema first, like `raqib ingest` would
    first, second = run_two_writers(store.url, tmp_path, ("alpha", "beta"), 40)
    assert first == second == ["ingested"] * 40
    assert store.stats()["documents"] == 80


@store_behaviour
def test_two_processes_adding_the_same_documents(make_store: MakeStore,
                                                  tmp_path: Path) -> None:
    store = make_store()
    first, second = run_two_writers(store.url, tmp_path, ("same", "same"), 40)
    for a, b in zip(first, second, strict=True):
        assert sorted([a, b]) == ["exists", "ingested"]
    stats = store.stats()
    assert (stats["documents"], stats["raw_inputs"], stats["duplicates"]) == (40, 40, 0)


# --- SQLite specifics -------------------------------------------------------------------


def test_sqlite_file_is_wal_and_healthy(make_store: MakeStore, db_path: Path) -> None:
    store = make_store()
    add(store, doc(ARTICLE))
    add(store, doc(SYNDICATED, source="b.html"))
    store.save_extraction(doc(ARTICLE).id, "raqib-rules", "1", {"events": []})
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("SELECT count(*) FROM document_bands").fetchone() == (64,)
        # Absent headers are SQL NULL (not the JSON text "null"), so IS NULL finds them.
        assert con.execute("SELECT count(*) FROM raw_inputs WHERE headers IS NULL")\
            .fetchone() == (2,)
    finally:
        con.close()


def test_foreign_keys_are_enforced(make_store: MakeStore, db_path: Path) -> None:
    store = make_store()
    d = add(store, doc(ARTICLE)).doc_id
    store.save_extraction(d, "raqib-rules", "1", {})
    store.close()
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA foreign_keys = ON")
    with con:
        con.execute("DELETE FROM documents")  # cascades to keys and extractions
    counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("document_minhash", "document_bands", "extractions")]
    con.close()
    assert counts == [0, 0, 0]


def test_writer_waits_for_a_busy_database(make_store: MakeStore, db_path: Path) -> None:
    store = make_store()
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    release = threading.Timer(1.0, holder.execute, ["COMMIT"])
    release.start()
    started = time.monotonic()
    try:
        assert add(store, doc(ARTICLE)).status == "ingested"
    finally:
        release.join()
        holder.close()
    assert time.monotonic() - started >= 0.9


def test_default_location_is_raqib_db_in_the_working_directory(tmp_path: Path,
                                                               monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RAQIB_DB_URL", raising=False)
    with open_store() as store:
        add(store, doc(ARTICLE))
    assert (tmp_path / "raqib.db").is_file()
    monkeypatch.setenv("RAQIB_DB_URL", sqlite_url(tmp_path / "sub" / "dir" / "other.db"))
    with open_store() as store:
        assert store.stats()["documents"] == 0
    assert (tmp_path / "sub" / "dir" / "other.db").is_file()


def test_in_memory_database_works() -> None:
    with open_store("sqlite://") as store:
        assert add(store, doc(ARTICLE)).status == "ingested"
        assert store.get_document(doc(ARTICLE).id[:8]).text == ARTICLE


@pytest.mark.parametrize("url, message", [
    ("not a url", "not a database URL"),
    ("mysql://localhost/raqib", "unsupported database"),
])
def test_bad_urls_raise_store_errors(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        open_store(url)


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are notes, not SQLite " * 200)
    with pytest.raises(StoreError, match="cannot open"):
        open_store(sqlite_url(path))
