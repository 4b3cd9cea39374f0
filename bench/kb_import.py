"""`raqib kb import` throughput and memory: FtM JSON lines -> SQLite store.

Writes synthetic OpenSanctions-style entities (people, companies and vessels, 4 names
each, plus topics, datasets, programmes, dates, countries and a long `notes` text the
importer drops) to a temporary .ftm.json file, then imports it into a fresh SQLite
store in a child process, so that each peak RSS (getrusage ru_maxrss) is that run's
alone. It does this at two sizes (default 100k and 1M names); constant memory means the
peak RSS of the large run is about that of the small one, not ten times it. A third
child streams the stored entities back (`Store.iter_imported_entities`) to show the
read side is constant too, and a baseline child only imports the modules.

Usage: .venv/bin/python bench/kb_import.py [--names 1000000] [--small 100000]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMES_PER_ENTITY = 4
FIRST = ("Ahmad", "Viktor", "Omar", "Ali", "Sergei", "Hassan", "Mohammed", "Yusuf")
LAST = ("Bout", "Hassan", "al-Houthi", "Petrov", "Karimi", "Said", "Nasser", "Ivanov")


def entity_line(number: int) -> str:
    """One FtM entity with 4 distinct names (name, 2 aliases, a previous name)."""
    kind = ("Person", "Company", "Vessel")[number % 3]
    base = f"{FIRST[number % 8]} {LAST[(number // 8) % 8]} {number}"
    properties: dict[str, list[str]] = {
        "name": [base],
        "alias": [f"{base} Alpha", f"{base} Beta"],
        "previousName": [f"Old {base}"],
        "topics": ["sanction"] if number % 2 else ["role.pep"],
        "programId": [f"PROG-{number % 40}"],
        "country": [("ru", "ir", "ye", "ae")[number % 4]],
        "notes": ["A long narrative about the entity that the importer does not keep. " * 5],
        "sourceUrl": [f"https://example.org/entity/{number}"],
    }
    if kind == "Person":
        properties["birthDate"] = [f"19{50 + number % 50}-01-{1 + number % 28:02d}"]
    return json.dumps({
        "id": f"NK-{number:08d}", "schema": kind, "properties": properties,
        "caption": base, "datasets": ["us_ofac_sdn", "eu_fsf"][: 1 + number % 2],
        "referents": [f"ofac-{number}"], "target": bool(number % 2),
        "first_seen": "2023-01-01T00:00:00", "last_seen": "2024-06-01T00:00:00",
    }, ensure_ascii=False)


def write_file(path: Path, entities: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for number in range(entities):
            out.write(entity_line(number) + "\n")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def cpu_seconds() -> float:
    """CPU time of this process: unlike wall time, not inflated by other load."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_baseline(queue: multiprocessing.Queue) -> None:
    import raqib.kb.ftm
    import raqib.store

    assert raqib.kb.ftm and raqib.store  # what every import run pays for: FtM, rigour, ...

    queue.put({"rss": peak_rss_mb()})


def child_import(path: str, url: str, queue: multiprocessing.Queue) -> None:
    from raqib.kb.ftm import ReadReport, iter_ftm_entities
    from raqib.store import open_store

    report = ReadReport()
    with open_store(url) as store:
        started, cpu = time.perf_counter(), cpu_seconds()
        stats = store.import_kb_entities(iter_ftm_entities(path, report=report))
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    queue.put({"seconds": seconds, "cpu": cpu, "entities": stats.entities,
               "names": stats.names, "bad": report.bad_count, "rss": peak_rss_mb()})


def child_read(url: str, queue: multiprocessing.Queue) -> None:
    from raqib.store import open_store

    with open_store(url) as store:
        started, cpu = time.perf_counter(), cpu_seconds()
        names = sum(len(e.names) for e in store.iter_imported_entities())
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    queue.put({"seconds": seconds, "cpu": cpu, "names": names, "rss": peak_rss_mb()})


def in_child(target: Callable[..., None], *args: object) -> dict:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: its own peak RSS
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def run_size(folder: Path, names: int) -> dict:
    entities = names // NAMES_PER_ENTITY
    path = folder / f"bench-{names}.ftm.json"
    started = time.perf_counter()
    write_file(path, entities)
    written = time.perf_counter() - started
    db = folder / f"bench-{names}.db"
    result = in_child(child_import, str(path), f"sqlite:///{db}")
    result.update(file_mb=path.stat().st_size / 2**20, db_mb=db.stat().st_size / 2**20,
                  write_s=written, url=f"sqlite:///{db}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    args = parser.parse_args()
    baseline = in_child(child_baseline)
    print(f"baseline (modules imported): peak RSS {baseline['rss']:.0f} MB; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = {}
        for names in (args.small, args.names):
            r = run_size(folder, names)
            results[names] = r
            print(f"{r['names']:>9,} names / {r['entities']:>8,} entities: "
                  f"{r['seconds']:6.1f} s wall  {r['names'] / r['seconds']:>7,.0f} names/s  "
                  f"{r['entities'] / r['seconds']:>6,.0f} entities/s; "
                  f"{r['cpu']:6.1f} s CPU  {r['names'] / r['cpu']:>7,.0f} names/CPU-s; "
                  f"peak RSS {r['rss']:.0f} MB  (file {r['file_mb']:.0f} MB, "
                  f"db {r['db_mb']:.0f} MB, bad lines {r['bad']})")
        small, large = results[args.small], results[args.names]
        print(f"peak RSS ratio large/small: {large['rss'] / small['rss']:.2f} "
              f"for {args.names / args.small:.0f}x the names; above baseline: "
              f"{small['rss'] - baseline['rss']:.0f} MB vs "
              f"{large['rss'] - baseline['rss']:.0f} MB")
        again = in_child(child_import, str(folder / f"bench-{args.names}.ftm.json"),
                         large["url"])
        print(f"re-import of the same file (everything unchanged): {again['seconds']:.1f} s "
              f"wall, {again['cpu']:.1f} s CPU, {again['names'] / again['seconds']:,.0f} "
              f"names/s, peak RSS {again['rss']:.0f} MB")
        read = in_child(child_read, large["url"])
        print(f"streaming read-back: {read['names']:,} names in {read['seconds']:.1f} s "
              f"wall, {read['cpu']:.1f} s CPU ({read['names'] / read['seconds']:,.0f} "
              f"names/s), peak RSS {read['rss']:.0f} MB")
        print(f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
