"""Ingestion throughput: Raqib's ingest path vs trafilatura's extract() alone, same pages.

Builds N distinct HTML pages from the bundled examples, then in separate child processes
(so each peak RSS is its own) runs:
  - trafilatura.extract() on every page (the reference),
  - raqib's build_document() (decode + clean + language) on every page,
  - raqib's full ingest into a fresh SQLite file (clean + store + dedup + extract).
Prints pages/s, MB/s, peak RSS and the ratio to the reference.

Usage: .venv/bin/python bench/ingest.py [--pages 500]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_pages(count: int) -> list[bytes]:
    """Distinct pages: each template gets a numbered paragraph so dedup sees new text."""
    templates = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.html"))]
    pages = []
    for number in range(count):
        html = templates[number % len(templates)]
        extra = (f"<p>Bulletin {number}: item {number * 31} recorded in batch {number // 7}, "
                 f"reference {number * 7919}.</p></article>")
        pages.append(html.replace("</article>", extra, 1).encode("utf-8"))
    return pages


def run_reference(pages: list[bytes]) -> None:
    import trafilatura

    for page in pages:
        trafilatura.extract(page.decode("utf-8"))


def run_clean(pages: list[bytes]) -> None:
    from raqib.ingest.sources import RawItem
    from raqib.pipeline import build_document

    for number, page in enumerate(pages):
        item = RawItem(source=f"page-{number}.html", content=page, content_type=None, kind="html")
        build_document(item)


def run_ingest(pages: list[bytes]) -> None:
    from raqib.ingest.run import ingest_items
    from raqib.ingest.sources import RawItem
    from raqib.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/bench.db")
        items = (RawItem(source=f"page-{n}.html", content=p, content_type=None, kind="html")
                 for n, p in enumerate(pages))
        ingest_items(items, store)
        store.close()


def child(name: str, pages: list[bytes], queue: multiprocessing.Queue) -> None:
    job = {"trafilatura.extract": run_reference, "raqib clean": run_clean,
           "raqib ingest (clean+store+extract)": run_ingest}[name]
    job(pages[:3])  # warm-up: imports, the knowledge base and lexicons load once per process
    started = time.perf_counter()
    job(pages)
    elapsed = time.perf_counter() - started
    queue.put((elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def measure(name: str, pages: list[bytes]) -> tuple[float, float]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=child, args=(name, pages, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    args = parser.parse_args()
    pages = build_pages(args.pages)
    megabytes = sum(map(len, pages)) / 1e6
    print(f"{args.pages} pages, {megabytes:.1f} MB of HTML, Python {sys.version.split()[0]}")
    print(f"{'job':<38}{'pages/s':>10}{'MB/s':>8}{'peak RSS MB':>13}{'vs ref':>8}")
    reference = None
    for name in ("trafilatura.extract", "raqib clean", "raqib ingest (clean+store+extract)"):
        elapsed, rss = measure(name, pages)
        rate = args.pages / elapsed
        reference = reference or rate
        print(f"{name:<38}{rate:>10.1f}{megabytes / elapsed:>8.2f}{rss:>13.0f}"
              f"{rate / reference:>8.2f}")


if __name__ == "__main__":
    main()
