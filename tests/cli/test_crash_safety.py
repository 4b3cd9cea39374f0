"""Kill `raqib ingest` with SIGKILL at random points, re-run: nothing lost, nothing doubled."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

TOPICS = [
    ("ضبط", "شحنة بنادق", "ميناء عدن"), ("seized", "rifles", "Port Sudan"),
    ("اعتقال", "تاجر أسلحة", "بنغازي"), ("arrested", "broker", "Misrata"),
    ("تهريب", "صواريخ", "المهرة"), ("smuggled", "drones", "Djibouti"),
]


def write_corpus(folder: Path, count: int) -> None:
    """Distinct little articles: a serial number and varied words keep them apart."""
    rng = random.Random(7)
    for number in range(count):
        verb, thing, place = TOPICS[number % len(TOPICS)]
        words = " ".join(rng.choice(["alpha", "bravo", "charlie", "delta", "echo", "foxtrot",
                                     "golf", "hotel", "india", "juliet", "kilo", "lima"])
                         for _ in range(60))
        body = (f"Report {number}: officials {verb} {thing} near {place} on day {number}.\n\n"
                f"{words}\n\nCase number {number * 7919} was opened by the authorities.")
        (folder / f"article-{number:04d}.txt").write_text(body, encoding="utf-8")


def ingest(folder: Path, db: Path) -> subprocess.Popen:
    env = dict(os.environ, RAQIB_FETCH_DELAY="0")
    return subprocess.Popen(
        [sys.executable, "-m", "raqib", "ingest", str(folder), "--db", f"sqlite:///{db}",
         "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )


def test_sigkill_mid_ingest_loses_nothing_and_rerun_does_not_duplicate(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    count = 300
    write_corpus(corpus, count)
    db = tmp_path / "raqib.db"
    rng = random.Random(2024)
    kills = 0
    for _ in range(20):
        process = ingest(corpus, db)
        time.sleep(rng.uniform(0.3, 2.5))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=60)
    final = ingest(corpus, db)
    _, stderr = final.communicate(timeout=600)
    assert final.returncode == 0, stderr.decode()
    assert kills >= 10, "the runs finished too fast for the kills to land mid-ingest"

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sources = [row[0] for row in conn.execute("SELECT source FROM documents")]
        raw_count = conn.execute("SELECT count(*) FROM raw_inputs").fetchone()[0]
        extraction_count = conn.execute("SELECT count(*) FROM extractions").fetchone()[0]
    names = sorted(Path(s).name for s in sources)
    assert names == sorted(f"article-{n:04d}.txt" for n in range(count))
    assert raw_count == count
    assert extraction_count == count
