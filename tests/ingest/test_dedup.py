"""Duplicate keys: the fold behind the exact hash, MinHash sketches, LSH band keys."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from raqib.ingest import dedup
from raqib.model import Document
from raqib.store import open_store

# Written for these tests: a wire story, a syndicated copy of it (new headline, one
# sentence reworded; the byline differs in metadata only) and another outlet's own
# story on the same seizure.
WIRE_HEADLINE = "Coast guard seizes rifles hidden in fishing dhow off Oman"
WIRE_BODY = """\
Omani coast guard units intercepted a fishing dhow in the Arabian Sea on Sunday and found \
more than 400 assault rifles and several crates of ammunition concealed under its catch, \
officials said on Monday.
The vessel, which carried no flag, was stopped about 60 nautical miles south-east of the port \
of Sur after a patrol aircraft reported that it had switched off its tracking transponder for \
most of the previous day.
A spokesman for the Ministry of Defence told reporters in Muscat that the weapons were packed \
in plastic sheeting beneath layers of frozen fish and ice. He said the crew of nine, all \
foreign nationals, had been detained and were being questioned by investigators.
According to the spokesman, the rifles appeared to be of Eastern European manufacture and bore \
serial numbers that had been partly ground off. Investigators were also examining two \
satellite telephones and a notebook found in the wheelhouse.
The seizure is the third of its kind in the region this year. In March, a naval task force \
operating in the Gulf of Aden stopped a smaller boat carrying anti-tank missiles and \
components for drones, and in June customs officers in a Red Sea port discovered machine guns \
inside a container declared as agricultural equipment.
Analysts who follow the trade say smugglers increasingly rely on small wooden boats that blend \
in with local fishing fleets and are hard to distinguish on radar. They say shipments are \
often transferred at sea from larger cargo vessels and then moved along the coast in stages.
A researcher at a Geneva-based institute that tracks small arms said the markings described by \
officials matched weapons documented in earlier seizures, suggesting a common supply network. \
She cautioned, however, that only a laboratory examination of the rifles could confirm their \
origin.
The ministry said the vessel and its cargo had been towed to a naval base and that the case \
had been referred to the public prosecutor. It did not say where the dhow had been heading or \
who was expected to receive the weapons.
Regional governments have pledged to share more information on suspicious vessels, and a joint \
maritime security meeting is scheduled to take place in Muscat next month.
"""
WIRE = f"{WIRE_HEADLINE}\n{WIRE_BODY}"
SYNDICATED = "Oman intercepts arms shipment on unflagged boat\n" + WIRE_BODY.replace(
    "He said the crew of nine, all foreign nationals, had been detained and were being "
    "questioned by investigators.",
    "All nine crew members were arrested, he added.",
)
SAME_TOPIC = """\
Oman navy finds hundreds of guns on boat near Sur
Hundreds of Kalashnikov-type rifles were discovered on Sunday aboard a small wooden boat that \
Omani forces boarded in the Arabian Sea, the defence ministry announced.
Officials in Muscat said the boat had been tracked for several hours before it was stopped \
south-east of Sur, and that its nine crew members were now in custody.
The ministry did not identify the crew or the intended recipients of the cargo. It said \
ammunition had also been found on board and that the prosecutor would handle the case.
Security experts said the route across the Arabian Sea has been used for years to move \
weapons towards conflicts in the region, and that interceptions remain rare compared with the \
volume of traffic.
A naval officer, speaking on condition of anonymity, said the crew had tried to throw several \
crates overboard when the patrol approached, but that divers recovered most of them.
"""


def exact_jaccard(a: str, b: str) -> float:
    """Word 3-shingle Jaccard computed independently of dedup (English text: lowercase words)."""
    def grams(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9]+", text.lower())
        return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}
    sa, sb = grams(a), grams(b)
    return len(sa & sb) / len(sa | sb)


# --- the fold and the exact hash --------------------------------------------------------


def test_fold_examples_checked_by_hand() -> None:
    assert dedup.fold_text("  Hello,\tWORLD!!  ") == "hello world"
    assert dedup.fold_text("أَحْمَدُ") == "احمد"  # harakat and hamza-on-alef go
    assert dedup.fold_text("إلى آخر") == "الي اخر"  # alef variants, alef maqsura
    assert dedup.fold_text("مـــدرسة") == "مدرسه"  # tatweel, ta marbuta
    assert dedup.fold_text("عام ٢٠٢٤، ۱۹۹۰") == "عام 2024 1990"  # both Arabic digit sets
    assert dedup.fold_text("ﻻ") == "لا"  # presentation-form ligature (NFKC)
    assert dedup.fold_text("Café_Crème") == "cafe creme"
    assert dedup.fold_text("؟!،.") == ""


def test_hash_is_sha256_of_the_fold() -> None:
    expected = hashlib.sha256(b"hello world").hexdigest()
    assert dedup.normalized_text_hash("Hello,   World!") == expected
    assert dedup.normalized_text_hash("hello\nworld") == expected
    assert dedup.normalized_text_hash("hello there world") != expected


def test_hash_ignores_diacritics_case_and_spacing_in_arabic() -> None:
    plain = "أعلنت السلطات ضبط شحنة أسلحة في الميناء"
    marked = "أَعْلَنَتِ  السُّلُطَاتُ ضَبْطَ شُحْنَةِ أَسْلِحَةٍ فِي المِينَاءِ."
    assert dedup.normalized_text_hash(plain) == dedup.normalized_text_hash(marked)
    assert dedup.normalized_text_hash(plain) != dedup.normalized_text_hash(
        "أعلنت السلطات ضبط شحنة ذخائر في الميناء")


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    once = dedup.fold_text(text)
    assert dedup.fold_text(once) == once


@given(st.text(), st.sampled_from([" ", "  ", "\n", ", ", " - ", "\t!"]))
def test_hash_ignores_case_and_separators(text: str, sep: str) -> None:
    words = dedup.fold_text(text).split()
    assert dedup.normalized_text_hash(sep.join(words).upper()) == \
        dedup.normalized_text_hash(text)


ARABIC_LETTERS = st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي"))
HARAKAT = st.sampled_from(["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b", "\u0640"])


@given(st.lists(st.tuples(ARABIC_LETTERS, st.lists(HARAKAT, max_size=2)), min_size=1))
def test_fold_drops_inserted_harakat_and_tatweel(pairs: list[tuple[str, list[str]]]) -> None:
    bare = "".join(letter for letter, _ in pairs)
    marked = "".join(letter + "".join(marks) for letter, marks in pairs)
    assert dedup.fold_text(marked) == dedup.fold_text(bare) == bare


# --- shingles, sketches, bands -----------------------------------------------------------


def test_shingles_checked_by_hand() -> None:
    assert dedup.shingles("A b, c d!") == {"a b c", "b c d"}
    assert dedup.shingles("one two") == {"one two"}
    assert dedup.shingles("") == set()
    assert dedup.shingles("?!") == set()


def test_fixture_texts_are_what_the_tests_assume() -> None:
    # Guard the test data itself: the copy is close, the other story is not.
    assert exact_jaccard(WIRE, SYNDICATED) >= 0.85
    assert exact_jaccard(WIRE, SAME_TOPIC) < 0.05


def test_minhash_estimates_jaccard() -> None:
    for a, b in [(WIRE, SYNDICATED), (WIRE, SAME_TOPIC), (SYNDICATED, SAME_TOPIC)]:
        estimate = dedup.jaccard(dedup.minhash(a), dedup.minhash(b))
        assert abs(estimate - exact_jaccard(a, b)) < 0.1


def test_syndicated_copy_is_near_duplicate_and_other_story_is_not() -> None:
    wire, copy, other = (dedup.minhash(t) for t in (WIRE, SYNDICATED, SAME_TOPIC))
    assert dedup.jaccard(wire, copy) >= dedup.NEAR_DUPLICATE_THRESHOLD
    assert dedup.jaccard(wire, other) < 0.3
    wire_keys = set(dedup.band_keys(wire))
    assert wire_keys & set(dedup.band_keys(copy))  # found as a candidate by the index
    assert not wire_keys & set(dedup.band_keys(other))  # never even compared


def test_band_keys_shape() -> None:
    keys = dedup.band_keys(dedup.minhash(WIRE))
    assert len(keys) == dedup.BANDS == 32
    assert [k[:2] for k in keys] == [f"{i:02d}" for i in range(32)]
    assert all(re.fullmatch(r"\d\d[0-9a-f]{16}", k) for k in keys)
    assert dedup.BANDS * dedup.ROWS == dedup.NUM_PERM


def test_sketch_round_trips_through_bytes() -> None:
    sketch = dedup.minhash(SYNDICATED)
    data = dedup.minhash_to_bytes(sketch)
    assert len(data) == 4 * dedup.NUM_PERM
    back = dedup.minhash_from_bytes(data)
    assert dedup.jaccard(sketch, back) == 1.0
    assert dedup.band_keys(back) == dedup.band_keys(sketch)


def test_band_keys_do_not_depend_on_the_process() -> None:
    # Keys are stored in the database, so another process (another hash seed) must
    # compute the same ones.
    code = ("import json, sys; from raqib.ingest import dedup; "
            "print(json.dumps(dedup.band_keys(dedup.minhash(sys.stdin.read()))))")
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code], input=WIRE, capture_output=True,
                             text=True, check=True, env={"PYTHONHASHSEED": seed},
                             timeout=60)
        assert json.loads(out.stdout) == dedup.band_keys(dedup.minhash(WIRE))


@given(st.text(min_size=1))
def test_a_text_is_its_own_near_duplicate(text: str) -> None:
    assert dedup.jaccard(dedup.minhash(text), dedup.minhash(text)) == 1.0


# --- the same decisions through the store -------------------------------------------------


def test_store_records_near_duplicates_and_exists(tmp_path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'dedup.db'}")
    try:
        wire = Document.from_text(WIRE, "wire.html", "en", byline="By A. Reporter")
        copy = Document.from_text(SYNDICATED, "copy.html", "en", byline="Staff writer")
        other = Document.from_text(SAME_TOPIC, "other.html", "en")
        assert store.add_document(wire, raw_content=b"w", raw_source="wire.html").status \
            == "ingested"
        outcome = store.add_document(copy, raw_content=b"c", raw_source="copy.html")
        assert (outcome.status, outcome.duplicate_of) == ("duplicate", wire.id)
        assert outcome.similarity is not None and outcome.similarity >= 0.8
        assert store.add_document(other, raw_content=b"o", raw_source="other.html").status \
            == "ingested"
        again = store.add_document(wire, raw_content=b"w2", raw_source="wire.html")
        assert (again.status, again.duplicate_of) == ("exists", None)
        stats = store.stats()
        assert (stats["documents"], stats["duplicates"], stats["raw_inputs"]) == (3, 1, 3)
    finally:
        store.close()
