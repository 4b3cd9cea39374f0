"""Migration 3: stored duplicate keys recomputed with the project's text fold.

A database written at schema version 2 holds keys made by the old, local dedup fold,
which kept Persian/Urdu letter forms (ی ک ە) and zero-width non-joiners apart from the
Arabic letters. After migration, a story stored then as typed on a Persian keyboard must
be found as the original of a copy typed with Arabic letters, exactly and as a near copy. Run on a
real SQLite file and on the PostgreSQL server of tests/store/test_postgres.py.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, insert, select

from raqib.ingest import dedup
from raqib.model import Document, text_id
from raqib.store import open_store
from raqib.store.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    Migration,
    current_version,
    migrate,
    recompute_dedup_keys,
)
from raqib.store.schema import document_bands, document_minhash, documents
from raqib.store.store import make_engine

# --- the keys schema version 2 wrote (a frozen copy of the fold of that release) --------

V2_SKETCH = "w3-affine32-128-s20240601"
_V2_LETTERS = str.maketrans({
    "\u0640": None, "\u0671": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647",
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
})
_V2_NON_WORD = re.compile(r"[\W_]+")


def v2_fold(text: str) -> str:
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _V2_NON_WORD.sub(" ", unicodedata.normalize("NFC", text.translate(_V2_LETTERS))).strip()


def v2_shingles(text: str) -> set[str]:
    words = v2_fold(text).split()
    if len(words) < 3:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + 3]) for i in range(len(words) - 2)}


# --- texts written for these tests ---------------------------------------------------------

STORY = """\
خفر السواحل يعترض قاربا محملا بالذخائر قبالة المكلا
أعلنت قوات خفر السواحل اليمنية يوم الأحد أنها اعترضت قاربا صغيرا قبالة ساحل المكلا، وعثرت \
على متنه على كمية كبيرة من الذخائر والبنادق الآلية المخبأة تحت شباك الصيد.
وقال مسؤول في الميناء إن طاقم القارب المكون من سبعة بحارة احتجز لاستجوابه، وإن التحقيق لا \
يزال جاريا لمعرفة الجهة التي كانت الشحنة متجهة إليها والمكان الذي حملت منه.
وأضاف المسؤول أن دوريات بحرية كثفت عمليات التفتيش في الأسابيع الأخيرة بعد ورود معلومات عن \
نشاط شبكة تهريب تستخدم قوارب الصيد لنقل السلاح على طول الساحل.
"""


def persian_typed(text: str) -> str:
    """`text` as typed on a Persian keyboard: ی for ي and ى, ک for ك, ە for a final ه,
    and a zero-width non-joiner inside two words. Schema version 2 kept these apart."""
    text = text.replace("الأسابيع", "الأسا\u200cبيع").replace("الصيد", "الص\u200cيد")
    return (text.replace("ي", "ی").replace("ى", "ی").replace("ك", "ک")
            .replace("متنه", "متنە"))


PERSIAN_TYPED = persian_typed(STORY)
# A syndicated copy with one word of its last sentence changed.
SYNDICATED = STORY.replace("لنقل السلاح على", "لنقل الأسلحة على")
OTHER = "وزارة الداخلية تعلن إحالة قضية تهريب إلى النيابة العامة بعد انتهاء التحقيق."
PERSIAN_OTHER = persian_typed(OTHER)
NO_WORDS = "... — «» !"


def test_the_texts_need_the_new_fold() -> None:
    """Written by hand above; checked here so the tests below cannot pass by accident."""
    assert "ي" not in PERSIAN_TYPED and "ى" not in PERSIAN_TYPED
    assert {"ی", "ک", "ە", "\u200c"} <= set(PERSIAN_TYPED)
    assert PERSIAN_TYPED.count("\u200c") == 3  # الأسابيع once, الصيد twice
    assert SYNDICATED != STORY and "الأسلحة" in SYNDICATED
    assert "ی" in PERSIAN_OTHER and "ي" not in PERSIAN_OTHER
    # Version 2 kept the letter forms apart; the new fold does not.
    assert v2_fold(PERSIAN_TYPED) != v2_fold(STORY) == dedup.fold_text(STORY)
    assert dedup.fold_text(PERSIAN_TYPED) == dedup.fold_text(STORY)
    assert v2_fold(PERSIAN_OTHER) != dedup.fold_text(PERSIAN_OTHER) == dedup.fold_text(OTHER)
    assert dedup.SKETCH != V2_SKETCH
    assert v2_fold(NO_WORDS) == dedup.fold_text(NO_WORDS) == ""


# --- building a version-2 database ------------------------------------------------------


def make_v2_database(url: str, texts: list[str]) -> dict[str, str]:
    """Create the schema of version 2 at `url` and store `texts` with version-2 keys.

    Rows are written the way the release of schema version 2 wrote them: text_hash from
    the old fold, MinHash rows under the old sketch name, band keys of that sketch.
    The second and later texts are stored as copies of the first whose old keys match it.
    Returns the id of each text.
    """
    engine = make_engine(url)
    try:
        assert migrate(engine, MIGRATIONS[:2]) == 2
        ids: dict[str, str] = {}
        with engine.begin() as conn:
            for n, text in enumerate(texts):
                ids[text] = _store_v2(conn, text, n, first=ids.get(texts[0]))
    finally:
        engine.dispose()
    return ids


def _store_v2(conn: Connection, text: str, n: int, first: str | None) -> str:
    doc_id = text_id(text)
    text_hash = hashlib.sha256(v2_fold(text).encode("utf-8")).hexdigest()
    first_hash = conn.execute(select(documents.c.text_hash)
                              .where(documents.c.id == first)).scalar() if first else None
    conn.execute(insert(documents).values(
        id=doc_id, source=f"old/{n}.html", language="ar", text=text, removed=[],
        text_hash=text_hash, duplicate_of=first if text_hash == first_hash else None,
        similarity=1.0 if text_hash == first_hash else None,
        ingested_at=f"2024-01-01T00:00:{n:02d}.000000Z"))
    words = v2_shingles(text)
    if words:
        sketch = dedup.minhash_of(words)
        conn.execute(insert(document_minhash).values(
            document_id=doc_id, sketch=V2_SKETCH, hashvalues=dedup.minhash_to_bytes(sketch)))
        conn.execute(insert(document_bands), [{"band_key": key, "document_id": doc_id}
                                              for key in dedup.band_keys(sketch)])
    return doc_id


def stored_keys(engine: Engine) -> dict[str, tuple[str, str | None, bytes | None, set[str]]]:
    """Per document: text_hash, sketch name, hash values and band keys as stored."""
    with engine.connect() as conn:
        keys = {row.id: (row.text_hash, row.sketch, row.hashvalues, set()) for row in
                conn.execute(select(documents.c.id, documents.c.text_hash,
                                    document_minhash.c.sketch, document_minhash.c.hashvalues)
                             .outerjoin(document_minhash))}
        for band, doc_id in conn.execute(select(document_bands.c.band_key,
                                                document_bands.c.document_id)):
            keys[doc_id][3].add(band)
    return keys


def expected_keys(text: str) -> tuple[str, str | None, bytes | None, set[str]]:
    """The keys ingesting `text` today writes."""
    keys = dedup.document_keys(text)
    if keys.sketch is None:
        return keys.text_hash, None, None, set()
    return keys.text_hash, dedup.SKETCH, dedup.minhash_to_bytes(keys.sketch), set(keys.bands)


def add(store, text: str, source: str):
    document = Document.from_text(text, source, "ar")
    return store.add_document(document, raw_content=text.encode("utf-8"), raw_source=source)


# --- the scenario, on any backend ----------------------------------------------------------


def check_migration_and_reingest(url: str) -> None:
    stored = [PERSIAN_TYPED, PERSIAN_OTHER, NO_WORDS]
    ids = make_v2_database(url, stored)
    engine = make_engine(url)
    try:
        before = stored_keys(engine)
        with open_store(url) as store:
            assert store.schema_version == LATEST_VERSION >= 3
            after = stored_keys(engine)
            with engine.connect() as conn:
                assert current_version(conn) == LATEST_VERSION
            check_reingest(store, ids)
    finally:
        engine.dispose()
    assert after == {ids[t]: expected_keys(t) for t in stored}
    for text in (PERSIAN_TYPED, PERSIAN_OTHER):  # really recomputed, not kept
        assert before[ids[text]][0] != after[ids[text]][0]
        assert before[ids[text]][1] == V2_SKETCH != after[ids[text]][1]
    assert after[ids[NO_WORDS]][1:] == (None, None, set())


def check_reingest(store, ids: dict[str, str]) -> None:
    """Copies typed with Arabic letters find the documents stored before the migration."""
    exact = add(store, STORY, "new/story.html")
    assert (exact.status, exact.duplicate_of, exact.similarity) == \
        ("duplicate", ids[PERSIAN_TYPED], 1.0)
    near = add(store, SYNDICATED, "new/syndicated.html")
    assert near.status == "duplicate" and near.duplicate_of == ids[PERSIAN_TYPED]
    assert dedup.NEAR_DUPLICATE_THRESHOLD <= near.similarity < 1.0
    other = add(store, OTHER, "new/other.html")
    assert (other.status, other.duplicate_of) == ("duplicate", ids[PERSIAN_OTHER])


def test_sqlite_file_migrated_from_version_2(tmp_path: Path) -> None:
    check_migration_and_reingest(f"sqlite:///{tmp_path / 'v2.db'}")


def test_postgresql_migrated_from_version_2(pg_url: str) -> None:
    check_migration_and_reingest(pg_url)


def test_without_the_migration_the_copy_is_missed(tmp_path: Path) -> None:
    """The control: the same version-2 rows, keys left as they were, miss the copy."""
    url = f"sqlite:///{tmp_path / 'v2.db'}"
    ids = make_v2_database(url, [PERSIAN_TYPED])
    steps_without_rekey = (*MIGRATIONS[:2], Migration(
        3, "schema version 3 without recomputing keys", lambda conn: None))
    engine = make_engine(url)
    try:
        assert migrate(engine, steps_without_rekey) == 3
    finally:
        engine.dispose()
    with open_store(url) as store:
        exact = add(store, STORY, "new/story.html")
        near = add(store, SYNDICATED, "new/syndicated.html")
    assert (exact.status, exact.duplicate_of) == ("ingested", None)
    # The syndicated copy now finds the story just added, not the one stored before.
    assert (near.status, near.duplicate_of) == ("duplicate", exact.doc_id)
    assert ids[PERSIAN_TYPED] not in (exact.doc_id, near.duplicate_of)


def test_keys_are_recomputed_batch_by_batch(tmp_path: Path) -> None:
    """More documents than one batch; copies keep the duplicate_of decided at ingest."""
    url = f"sqlite:///{tmp_path / 'v2.db'}"
    texts = [PERSIAN_TYPED, PERSIAN_TYPED + "\n", PERSIAN_OTHER, NO_WORDS, SYNDICATED]
    ids = make_v2_database(url, texts)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            recompute_dedup_keys(conn, batch_rows=2)
        assert stored_keys(engine) == {ids[t]: expected_keys(t) for t in texts}
        with engine.connect() as conn:
            copies = {row.id: row.duplicate_of for row in
                      conn.execute(select(documents.c.id, documents.c.duplicate_of))}
    finally:
        engine.dispose()
    # Only the trailing newline differs: a copy under both folds, and it stays one.
    # Decisions made at ingest are not revisited: SYNDICATED, a near copy under the new
    # keys, stays the original it was stored as.
    assert copies == {ids[PERSIAN_TYPED]: None, ids[PERSIAN_TYPED + "\n"]: ids[PERSIAN_TYPED],
                      ids[PERSIAN_OTHER]: None, ids[NO_WORDS]: None, ids[SYNDICATED]: None}

    engine = make_engine(url)
    try:
        with pytest.raises(ValueError, match="batch_rows"), engine.begin() as conn:
            recompute_dedup_keys(conn, batch_rows=0)
    finally:
        engine.dispose()
