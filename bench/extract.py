"""Extraction throughput: `raqib.pipeline.extract(document)` over the shared corpus.

What is timed: extraction alone. Documents are built first, outside the clock, exactly as
`raqib extract` builds them (`build_document(RawItem(...), published=...)`: decode, clean,
detect the language). One warm-up pass then fills the per-process caches (knowledge base,
lexicons, matchers, per-word readings), and `--repeat` timed passes run `extract()` over
every document. The run is single-process and single-threaded, so "per core" figures are
per CPU second of this process (`time.process_time`); wall time is printed beside them
because the machine is shared and wall time also counts the neighbours.

Figures:
  - words/s and articles/s per core (best pass and median); a word is a whitespace-
    separated piece of the cleaned text (`len(text.split())`); overall and per language,
  - MB/s: UTF-8 bytes of cleaned text per CPU second,
  - peak RSS of the process (ru_maxrss, after everything),
  - a reference: the same passes running only `raqib.text.tokens.tokenize` (warm), a
    floor no extractor that reads tokens can beat; printed as extract time / tokenize
    time,
  - a per-stage breakdown from one extra pass with timers around the engine's stages
    (exclusive CPU time: a stage's time excludes the stages timed inside it):
      normalize/entities   `normalize` + `EntityExtractor.extract`
      tokenize             the engine's `tokenize`
      matchers             `RuleExtractor._context` less the stages inside it: the lexicon
                           section matchers and the DocContext indexes
      sentence views       `RuleExtractor._sentences`: segmentation, per-sentence match
                           lists, `requires_any` matching
      dates+numbers        `find_dates`, `find_money`, `find_quantities`, `find_durations`
      events+attribution   the sentence walk, grouping and event building
      statements           `build_statements`
      other                the rest of `extract` (Extraction objects, dispatch)
    The timers cost a few microseconds per call, so this pass is not the headline figure.

Usage: .venv/bin/python bench/extract.py [--repeat 3] [--quick] [--json] [--only ar|en]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from raqib.extract import engine  # noqa: E402  (after the path set-up)
from raqib.ingest.sources import RawItem  # noqa: E402
from raqib.model import Document  # noqa: E402
from raqib.pipeline import build_document, extract  # noqa: E402
from raqib.text.tokens import tokenize  # noqa: E402

PUBLISHED = "2024-10-09"  # as in the project's examples; resolves relative dates
STAGES = ("normalize/entities", "tokenize", "matchers", "sentence views", "dates+numbers",
          "events+attribution", "statements", "other")


# --------------------------------------------------------------------------- corpus


def corpus_paths(quick: bool) -> list[tuple[str, Path]]:
    """(group, path) for the re3d texts, the Treasury releases, the ANERcorp passages and
    the seed; `quick` keeps three files of each group."""
    c = SHARED / "corpus"
    groups = {
        "re3d": sorted((c / "re3d" / "txt").rglob("*.txt")),
        "treasury": sorted((c / "treasury").glob("*.txt")),
        "anercorp": sorted((c / "anercorp" / "passages").glob("*.txt")),
        "seed": [SHARED / "seed" / "bout-houthis.ar.txt"],
    }
    out = []
    for group, paths in groups.items():
        out += [(group, p) for p in (paths[:3] if quick else paths) if p.is_file()]
    return out


def load_documents(quick: bool, only: str | None) -> list[Document]:
    docs = []
    for _group, path in corpus_paths(quick):
        item = RawItem(source=str(path), content=path.read_bytes(), content_type=None,
                       kind="text")
        doc = build_document(item, published=PUBLISHED)
        if only is None or doc.language == only:
            docs.append(doc)
    if not docs:
        raise SystemExit("no documents: is /work/shared/corpus there?")
    return docs


# --------------------------------------------------------------------------- timing


@dataclass
class Pass:
    cpu: float
    wall: float


def timed_passes(func: Callable[[Document], Any], docs: list[Document], repeat: int
                 ) -> list[Pass]:
    out = []
    for _ in range(repeat):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for doc in docs:
            func(doc)
        out.append(Pass(time.process_time() - cpu0, time.perf_counter() - wall0))
    return out


def rates(passes: list[Pass], words: int, articles: int, nbytes: int) -> dict[str, Any]:
    cpu = [p.cpu for p in passes]
    wall = [p.wall for p in passes]
    best, median = min(cpu), statistics.median(cpu)
    return {
        "cpu_seconds": cpu, "wall_seconds": wall,
        "words_per_cpu_s_best": words / best, "words_per_cpu_s_median": words / median,
        "articles_per_cpu_s_best": articles / best,
        "mb_per_cpu_s_best": nbytes / 1e6 / best,
        "words_per_wall_s_best": words / min(wall),
    }


class StageTimers:
    """Exclusive CPU time per stage: wrappers around the engine's stage functions.

    Each wrapper adds its inclusive time to its stage and takes it off the enclosing
    timed call, so nested stages are not counted twice."""

    def __init__(self) -> None:
        self.totals = dict.fromkeys(STAGES, 0.0)
        self._stack: list[float] = []  # child time accumulated per open call

    def wrap(self, stage: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append(0.0)
            t0 = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                spent = time.process_time() - t0
                children = self._stack.pop()
                self.totals[stage] += spent - children
                if self._stack:
                    self._stack[-1] += spent
        return timed


def stage_breakdown(docs: list[Document]) -> dict[str, float]:
    """One pass with timers around the stages; CPU seconds per stage (exclusive)."""
    extractor = engine.default_extractor()
    timers = StageTimers()
    module_names = {
        "normalize": "normalize/entities", "tokenize": "tokenize",
        "sentences": "sentence views", "find_dates": "dates+numbers",
        "find_money": "dates+numbers", "find_quantities": "dates+numbers",
        "find_durations": "dates+numbers", "build_statements": "statements",
    }
    saved_module = {name: getattr(engine, name) for name in module_names}
    saved_entities = extractor.entities.extract
    try:
        for name, stage in module_names.items():
            setattr(engine, name, timers.wrap(stage, saved_module[name]))
        # Instance attributes shadow the methods for this extractor only.
        extractor.entities.extract = timers.wrap("normalize/entities", saved_entities)
        extractor._context = timers.wrap("matchers", extractor._context)
        extractor._sentences = timers.wrap("sentence views", extractor._sentences)
        extractor._events_and_statements = timers.wrap(
            "events+attribution", extractor._events_and_statements)
        run = timers.wrap("other", extract)
        for doc in docs:
            run(doc)
    finally:
        for name, func in saved_module.items():
            setattr(engine, name, func)
        del extractor.entities.extract
        del extractor._context, extractor._sentences, extractor._events_and_statements
    return timers.totals


# --------------------------------------------------------------------------- report


def run(args: argparse.Namespace) -> dict[str, Any]:
    docs = load_documents(args.quick, args.only)
    words = sum(len(d.text.split()) for d in docs)
    nbytes = sum(len(d.text.encode("utf-8")) for d in docs)
    languages: dict[str, int] = {}
    for d in docs:
        languages[d.language] = languages.get(d.language, 0) + 1
    repeat = 1 if args.quick else args.repeat

    warm0 = time.process_time()
    for doc in docs:  # warm-up: loads the KB, lexicons and matchers, fills word caches
        extract(doc)
    warm = time.process_time() - warm0

    extract_passes = timed_passes(extract, docs, repeat)
    token_passes = timed_passes(lambda d: tokenize(d.text), docs, repeat)
    # Per language too: Arabic words cost more (clitics, the tagger), and the corpus is
    # mostly English by words, so the overall figure alone would hide the Arabic rate.
    by_language = {}
    for lang in sorted(languages):
        subset = [d for d in docs if d.language == lang]
        lang_words = sum(len(d.text.split()) for d in subset)
        lang_bytes = sum(len(d.text.encode("utf-8")) for d in subset)
        by_language[lang] = rates(timed_passes(extract, subset, repeat), lang_words,
                                  len(subset), lang_bytes) | {"words": lang_words}
    stages = stage_breakdown(docs)
    stage_total = sum(stages.values()) or 1.0
    result = {
        "single_process": True, "pid": os.getpid(), "python": platform.python_version(),
        "load_average": os.getloadavg(), "cpus": os.cpu_count(),
        "documents": len(docs), "languages": languages, "words": words, "bytes": nbytes,
        "repeat": repeat, "warmup_cpu_seconds": warm,
        "extract": rates(extract_passes, words, len(docs), nbytes),
        "tokenize_reference": rates(token_passes, words, len(docs), nbytes),
        "extract_by_language": by_language,
        "stages_cpu_seconds": stages,
        "stages_share": {k: v / stage_total for k, v in stages.items()},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    result["extract_over_tokenize"] = (min(p.cpu for p in extract_passes)
                                       / max(min(p.cpu for p in token_passes), 1e-9))
    return result


def print_report(r: dict[str, Any]) -> None:
    e, t = r["extract"], r["tokenize_reference"]
    load = ", ".join(f"{x:.2f}" for x in r["load_average"])
    print(f"raqib.pipeline.extract, single process, Python {r['python']}, "
          f"{r['cpus']} CPUs, load average {load}")
    print(f"{r['documents']} documents {r['languages']}, {r['words']:,} words, "
          f"{r['bytes'] / 1e6:.2f} MB; warm-up {r['warmup_cpu_seconds']:.2f} CPU s; "
          f"{r['repeat']} timed pass(es)")
    print(f"{'':22}{'words/s':>12}{'(median)':>12}{'articles/s':>12}{'MB/s':>8}"
          f"{'words/wall s':>14}")
    for name, x in (("extract (per core)", e), ("tokenize only", t)):
        print(f"{name:22}{x['words_per_cpu_s_best']:12,.0f}{x['words_per_cpu_s_median']:12,.0f}"
              f"{x['articles_per_cpu_s_best']:12,.1f}{x['mb_per_cpu_s_best']:8.2f}"
              f"{x['words_per_wall_s_best']:14,.0f}")
    for lang, x in r["extract_by_language"].items():
        print(f"{'  only ' + lang + ' documents':22}{x['words_per_cpu_s_best']:12,.0f}"
              f"{x['words_per_cpu_s_median']:12,.0f}{x['articles_per_cpu_s_best']:12,.1f}"
              f"{x['mb_per_cpu_s_best']:8.2f}{x['words_per_wall_s_best']:14,.0f}")
    print(f"extract CPU time / tokenize CPU time: {r['extract_over_tokenize']:.1f}x")
    print("CPU s per pass: " + ", ".join(f"{c:.3f}" for c in e["cpu_seconds"])
          + "  (wall: " + ", ".join(f"{w:.3f}" for w in e["wall_seconds"]) + ")")
    print("stage breakdown (one timed pass, exclusive CPU time):")
    for stage in STAGES:
        print(f"  {stage:20}{r['stages_cpu_seconds'][stage]:8.3f} s "
              f"{100 * r['stages_share'][stage]:6.1f} %")
    print(f"peak RSS {r['peak_rss_mb']:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (default 3)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 3 files per group, "
                        "one pass")
    parser.add_argument("--only", choices=("ar", "en"), help="documents of one language")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)


if __name__ == "__main__":
    main()
