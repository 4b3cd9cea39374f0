"""Text-layer throughput: dates, numbers, money, durations, and Arabic normalisation.

Runs each finder document by document (as the pipeline does) over the shared corpus:
  - Arabic: the ANERcorp passages and the seed article,
  - English: the re3d texts and the US Treasury press releases,
and prints MB/s (UTF-8 bytes of input per second), the one-off cost of compiling the
patterns, and the process's peak RSS. The line "dates+numbers combined" runs every finder
of raqib.text.dates and raqib.text.numbers on each document in turn, as the pipeline does
(they share some work on one text), and also gives words per second (whitespace-separated
tokens) for the pipeline's budget of 50,000 words/s per core. As a reference on the same
Arabic text, it times `dateparser.search.search_dates(languages=["ar"])` on a bounded
sample of sentences next to `find_dates` on the same sample.

Usage: .venv/bin/python bench/text.py [--min-seconds 1.0] [--dateparser-sentences 40]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import corpus  # noqa: E402

from raqib.text import dates, numbers  # noqa: E402


def throughput(func: Callable[[str], object], docs: list[str], min_seconds: float) -> float:
    """MB/s of `func` applied to every document, repeated until `min_seconds` have passed.

    One untimed pass first, so that patterns compiled lazily on a first use are not timed.
    """
    size = sum(len(d.encode("utf-8")) for d in docs)
    for doc in docs:
        func(doc)
    rounds, start = 0, time.perf_counter()
    while True:
        for doc in docs:
            func(doc)
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return size * rounds / elapsed / 1e6


def compile_cost(func: Callable[[str], object], docs: list[str]) -> float:
    """Seconds of a first pass over `docs` minus a second one: loading the YAML data and
    compiling the patterns (shared helpers are charged to the first function using them)."""
    start = time.perf_counter()
    for doc in docs:
        func(doc)
    first = time.perf_counter() - start
    start = time.perf_counter()
    for doc in docs:
        func(doc)
    return max(0.0, first - (time.perf_counter() - start))


NUMBER_FINDERS = ("find_numbers", "find_money", "find_quantities", "find_durations", "find_ages")


def combined(text: str) -> None:
    """All the date and number finders on one text, in sequence."""
    dates.find_dates(text, "2024-10-09")
    for name in NUMBER_FINDERS:
        getattr(numbers, name)(text)


def finders() -> dict[str, Callable[[str], object]]:
    out: dict[str, Callable[[str], object]] = {
        "find_dates": lambda t: dates.find_dates(t, "2024-10-09"),
        "find_numbers": numbers.find_numbers,
        "find_money": numbers.find_money,
        "find_quantities": numbers.find_quantities,
        "find_durations": numbers.find_durations,
        "find_ages": numbers.find_ages,
    }
    if importlib.util.find_spec("raqib.text.arabic") is not None:
        from raqib.text import arabic

        out["arabic.fold"] = arabic.fold
        out["arabic.normalize"] = arabic.normalize
    return out


def dateparser_reference(docs: list[str], sentences: int) -> tuple[int, float, float, int, int]:
    """(bytes, dateparser MB/s, find_dates MB/s, dates found by each) on a sentence sample."""
    from dateparser.search import search_dates

    pieces = (s.strip() for d in docs for s in d.replace("\n", ".").split("."))
    sample = [s for s in pieces if len(s) > 20][:sentences]
    size = sum(len(s.encode("utf-8")) for s in sample)
    base = dt.datetime(2024, 10, 9)
    search_dates("أمس", languages=["ar"])  # warm up its own caches
    start, found_dp = time.perf_counter(), 0
    for s in sample:
        found_dp += len(search_dates(s, languages=["ar"], settings={"RELATIVE_BASE": base}) or [])
    dp_secs = time.perf_counter() - start
    start, found_ours = time.perf_counter(), 0
    for s in sample:
        found_ours += len(dates.find_dates(s, "2024-10-09", "ar"))
    ours_secs = time.perf_counter() - start
    return size, size / dp_secs / 1e6, size / ours_secs / 1e6, found_dp, found_ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-seconds", type=float, default=1.0)
    parser.add_argument("--dateparser-sentences", type=int, default=40)
    args = parser.parse_args()

    docs = corpus()
    sizes = {lang: sum(len(d.encode("utf-8")) for d in ds) / 1e6 for lang, ds in docs.items()}
    print(f"corpus: Arabic {len(docs['ar'])} docs {sizes['ar']:.2f} MB, "
          f"English {len(docs['en'])} docs {sizes['en']:.2f} MB")
    print(f"{'function':<24}{'compile s':>10}{'ar MB/s':>10}{'en MB/s':>10}")
    for name, func in finders().items():
        first = compile_cost(func, docs["ar"][:5] + docs["en"][:5])
        ar = throughput(func, docs["ar"], args.min_seconds)
        en = throughput(func, docs["en"], args.min_seconds)
        print(f"{name:<24}{first:>10.3f}{ar:>10.2f}{en:>10.2f}")
    ar = throughput(combined, docs["ar"], args.min_seconds)
    en = throughput(combined, docs["en"], args.min_seconds)
    words = {lang: sum(len(d.split()) for d in ds) for lang, ds in docs.items()}
    ar_words, en_words = ar * words["ar"] / sizes["ar"], en * words["en"] / sizes["en"]
    print(f"{'dates+numbers combined':<24}{'':>10}{ar:>10.2f}{en:>10.2f}"
          f"   ({ar_words:,.0f} / {en_words:,.0f} words/s)")

    reference = dateparser_reference(docs["ar"], args.dateparser_sentences)
    size, dp, ours, found_dp, found_ours = reference
    print(f"\nArabic sample of {args.dateparser_sentences} sentences ({size / 1e3:.1f} kB):")
    print(f"  dateparser.search_dates  {dp:8.3f} MB/s   {found_dp} dates")
    print(f"  find_dates               {ours:8.3f} MB/s   {found_ours} dates")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
