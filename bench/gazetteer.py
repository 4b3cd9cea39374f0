"""Aho-Corasick for the gazetteer: pyahocorasick vs ahocorasick-rs on our own keys and texts.

The gazetteer (`raqib/kb/gazetteer.py`) indexes every folded surface form of the knowledge
base plus, for Arabic forms, their clitic-prefixed variants ("وبموسكو", "للحوثيين"); each key
carries a payload (key length, clitic length, target entries) and every hit needs its end
offset. It then keeps only hits on word boundaries and picks the longest, leftmost ones.
Because of the boundary test it must see *all* overlapping matches: a leftmost-longest
automaton could hide a valid short name behind a longer key that fails the test.

For each pattern set (the bundled knowledge base; optionally plus N synthetic names, to see
how a sanctions-list-sized automaton behaves) and each library this prints:
  - build time (CPU seconds, best of --repeat), pickle round-trip time (how a built
    automaton would reach worker processes), and the memory the automaton adds (RSS growth
    measured in a fresh child process, so Rust allocations count too);
  - search throughput in MB of folded UTF-8 text per CPU second, for "all" (every
    overlapping match with its payload) and "select" (all + boundary test + longest-leftmost
    selection, i.e. what `Gazetteer.find` does apart from folding and mapping offsets back);
  - whether both libraries find exactly the same matches and the same final selection.
ahocorasick-rs stores no payloads: it returns (pattern index, start, end) and the payload
comes from a side list indexed by the pattern index.

Usage: .venv/bin/python bench/gazetteer.py [--synthetic 50000] [--repeat 5] [--quick] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import pickle
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ahocorasick  # noqa: E402  (after the path set-up, like the raqib imports below)

try:
    import ahocorasick_rs
except ImportError:  # the bench still reports pyahocorasick alone
    ahocorasick_rs = None

from raqib.kb.gazetteer import Gazetteer, _keys_for  # noqa: E402
from raqib.kb.loader import load_kb  # noqa: E402
from raqib.text.arabic import fold  # noqa: E402

Payload = tuple[int, int, tuple[str, ...]]  # (key length, clitic length, entry ids)
Candidate = tuple[int, int, Payload]  # (start, end, payload) in folded text

CORPUS_GLOBS = (
    "corpus/anercorp/passages/*.txt",
    "corpus/re3d/txt/**/*.txt",
    "corpus/treasury/*.txt",
    "seed/*.txt",
)


# --- inputs --------------------------------------------------------------------------------


def corpus_texts(shared: Path, limit: int | None = None) -> list[str]:
    """The texts of the evaluation corpus (not folded), in a stable order."""
    paths = sorted({p for pattern in CORPUS_GLOBS for p in shared.glob(pattern)})
    if not paths:
        raise SystemExit(f"no corpus texts under {shared} (expected {CORPUS_GLOBS[0]} ...)")
    if limit:
        # Every kind of text, not just the first folder: take an even stride.
        paths = paths[:: max(1, len(paths) // limit)][:limit]
    return [p.read_text(encoding="utf-8") for p in paths]


def kb_forms() -> list[tuple[str, str, str]]:
    """(form, entry id, kind) for every surface form of the bundled knowledge base."""
    kb = load_kb()
    return [(form, entry.id, kind) for entry in kb for form, _lang, kind in entry.surface_forms()]


def synthetic_forms(count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """`count` made-up two- or three-word names, half Latin, half Arabic (deterministic).

    They stand in for an imported sanctions list: many keys that rarely occur in text, which
    is what makes an automaton large and its memory access pattern cache-unfriendly.
    """
    rng = random.Random(seed)
    latin = [a + b for a in "bdfghklmnprstvz" for b in ("a", "e", "i", "o", "u", "ai", "ou")]
    arabic = [a + b for a in "بتثجحخدذرزسشصضطظعغفقكلمنهوي" for b in ("ا", "و", "ي", "")]
    forms = []
    for number in range(count):
        syllables = latin if number % 2 else arabic
        words = [
            "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(2, 3))
        ]
        forms.append((" ".join(words), f"person:synthetic{number}", "name"))
    return forms


def gazetteer_table(forms: Iterable[tuple[str, str, str]]) -> dict[str, Payload]:
    """The keys `Gazetteer.__init__` indexes (main() checks the count against
    `Gazetteer.size`), with payloads of the same shape (entry ids instead of Targets)."""
    table: dict[str, dict[tuple[str, str], int]] = {}
    for form, entry_id, kind in forms:
        key = " ".join(fold(form).split())
        if len(key) < 2:
            continue
        for variant, clitic in _keys_for(key):
            targets = table.setdefault(variant, {})
            previous = targets.get((entry_id, kind))
            targets[(entry_id, kind)] = clitic if previous is None else min(previous, clitic)
    out: dict[str, Payload] = {}
    for variant, targets in table.items():
        best = min(targets.values())
        chosen = tuple(sorted(f"{i}/{k}" for (i, k), c in targets.items() if c == best))
        out[variant] = (len(variant), best, chosen)
    return out


# --- the two libraries, behind the same three calls ----------------------------------------


def build_py(table: dict[str, Payload]) -> Any:
    automaton = ahocorasick.Automaton()
    for key, payload in table.items():
        automaton.add_word(key, payload)
    automaton.make_automaton()
    return automaton


def build_rs(table: dict[str, Payload], implementation: Any = None) -> Any:
    # The side list is part of what the rs variant must keep in memory, so it is built here.
    return ahocorasick_rs.AhoCorasick(list(table), implementation=implementation), list(
        table.values()
    )


def all_py(automaton: Any, text: str) -> list[Candidate]:
    return [(end + 1 - payload[0], end + 1, payload) for end, payload in automaton.iter(text)]


def all_rs(built: Any, text: str) -> list[Candidate]:
    automaton, payloads = built
    return [
        (start, end, payloads[index])
        for index, start, end in automaton.find_matches_as_indexes(text, overlapping=True)
    ]


def _is_boundary(text: str, index: int) -> bool:
    if index <= 0 or index >= len(text):
        return True
    return not (text[index - 1].isalnum() and text[index].isalnum())


def select(text: str, candidates: Sequence[Candidate]) -> list[Candidate]:
    """Boundary test, then longest-first, leftmost, non-overlapping: as `Gazetteer.find`."""
    kept = [c for c in candidates if _is_boundary(text, c[0]) and _is_boundary(text, c[1])]
    kept.sort(key=lambda c: (c[0] - c[1], c[0]))
    occupied = bytearray(len(text))
    hits = []
    for start, end, payload in kept:
        if any(occupied[start:end]):
            continue
        occupied[start:end] = b"\x01" * (end - start)
        hits.append((start, end, payload))
    hits.sort()
    return hits


def build_rs_dfa(table: dict[str, Payload]) -> Any:
    return build_rs(table, ahocorasick_rs.Implementation.DFA)


# name -> (build, list all overlapping matches). Module-level functions, so that a spawned
# child process can find them by name.
LIBRARIES: dict[str, tuple[Callable[[dict[str, Payload]], Any], Callable[[Any, str], Any]]] = {
    "pyahocorasick": (build_py, all_py),
}
if ahocorasick_rs is not None:
    LIBRARIES["ahocorasick-rs"] = (build_rs, all_rs)
    LIBRARIES["ahocorasick-rs DFA"] = (build_rs_dfa, all_rs)
DFA_MAX_KEYS = 100_000  # beyond this the DFA takes tens of seconds and gigabytes to build


def contenders(keys: int, dfa: bool = True) -> list[str]:
    return [name for name in LIBRARIES
            if "DFA" not in name or (dfa and keys <= DFA_MAX_KEYS)]


# --- measuring -----------------------------------------------------------------------------


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _memory_child(name: str, table: dict[str, Payload], pipe: Any) -> None:
    gc.collect()
    before = _rss_kib()
    built = LIBRARIES[name][0](table)
    gc.collect()
    pipe.send((_rss_kib() - before) / 1024)
    del built


def memory_mb(name: str, table: dict[str, Payload]) -> float | None:
    """RSS growth from building one automaton, in a fresh (spawned) process.

    A fresh process, because a forked one would inherit the parent's freed heap and could
    build into already-resident pages; RSS rather than tracemalloc, because the Rust
    library allocates outside Python's allocator. None when /proc is not there.
    """
    if not Path("/proc/self/status").exists():
        return None
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_memory_child, args=(name, table, sender))
    child.start()
    value = receiver.recv() if receiver.poll(900) else None
    child.join()
    return None if value is None else round(value, 1)


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """CPU seconds of this process (not wall time): other jobs on a shared machine then
    slow a run far less; both libraries search in the calling thread, so it all counts."""
    started = time.process_time()
    result = action()
    return time.process_time() - started, result


def interleaved(names: list[str], action: Callable[[str], Any],
                repeat: int) -> tuple[dict[str, float], dict[str, Any]]:
    """Best time per contender, taking turns each round so that load from other processes
    on the machine falls on all of them alike."""
    best = dict.fromkeys(names, float("inf"))
    results: dict[str, Any] = {}
    for _ in range(repeat):
        for name in names:
            seconds, results[name] = timed(lambda name=name: action(name))
            best[name] = min(best[name], seconds)
    return best, results


def pickle_seconds(built: Any) -> float | None:
    """Dump and load time, for handing a built automaton to worker processes; None when the
    object cannot be pickled (ahocorasick-rs: each worker must build its own)."""
    try:
        seconds, _ = timed(lambda: pickle.loads(pickle.dumps(built)))
    except (TypeError, pickle.PicklingError):
        return None
    return round(seconds, 4)


def agreement(reference: list[list[Candidate]], other: list[list[Candidate]]) -> int:
    """How many texts have exactly the same set of (start, end, payload) in both."""
    return sum(sorted(a) == sorted(b) for a, b in zip(reference, other, strict=True))


def leftmost_longest_rs(keys: list[str], texts: list[str], selected: list[list[Candidate]],
                        repeat: int, megabytes: float) -> dict[str, Any] | None:
    """For reference: rs's own non-overlapping leftmost-longest search (no boundary test).

    It is the fastest way to search but is not what we need; the count of texts where it
    disagrees with our selection shows why the selection stays in Python.
    """
    if ahocorasick_rs is None:
        return None
    automaton = ahocorasick_rs.AhoCorasick(
        keys, matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST
    )
    best, found = interleaved(
        ["ll"], lambda _: [automaton.find_matches_as_indexes(t) for t in texts], repeat
    )
    differ = sum(
        [(s, e) for _, s, e in mine] != [(s, e) for s, e, _ in ours]
        for mine, ours in zip(found["ll"], selected, strict=True)
    )
    return {"mb_s": round(megabytes / best["ll"], 2), "texts_differing_from_selection": differ}


def run_set(label: str, table: dict[str, Payload], texts: list[str], repeat: int,
            full: bool = True) -> dict[str, Any]:
    """Measure every contender on one pattern set; `full=False` skips memory and the DFA."""
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    names = contenders(len(table), dfa=full)
    build_s, built = interleaved(names, lambda n: LIBRARIES[n][0](table), repeat)

    def find_all(name: str) -> list[list[Candidate]]:
        return [LIBRARIES[name][1](built[name], text) for text in texts]

    def find_selected(name: str) -> list[list[Candidate]]:
        return [select(text, LIBRARIES[name][1](built[name], text)) for text in texts]

    all_s, found = interleaved(names, find_all, repeat)
    select_s, selected = interleaved(names, find_selected, repeat)
    reference = names[0]
    rows = []
    for name in names:
        row: dict[str, Any] = {
            "library": name,
            "build_s": round(build_s[name], 4),
            "memory_mb": memory_mb(name, table) if full else None,
            "all_mb_s": round(megabytes / all_s[name], 2),
            "select_mb_s": round(megabytes / select_s[name], 2),
            "matches": sum(map(len, found[name])),
            "selected": sum(map(len, selected[name])),
        }
        row["pickle_s"] = pickle_seconds(built[name])
        if name != reference:
            row["same_matches_texts"] = agreement(found[reference], found[name])
            row["same_selection_texts"] = agreement(selected[reference], selected[name])
        rows.append(row)
    return {
        "set": label,
        "keys": len(table),
        "texts": len(texts),
        "megabytes": round(megabytes, 3),
        "rows": rows,
        "rs_leftmost_longest": leftmost_longest_rs(list(table), texts, selected[reference],
                                                   repeat, megabytes),
    }


# --- output --------------------------------------------------------------------------------


def print_table(report: dict[str, Any]) -> None:
    print(f"texts: {report['texts']} documents, {report['megabytes']} MB folded UTF-8; "
          f"fold(): {report['fold_mb_s']} MB/s; repeat {report['repeat']} (best)")
    product = report["gazetteer_find"]
    print(f"forms: {report['kb_forms']} from the knowledge base ({report['kb_entries']} entries)"
          f" -> {product['size']} keys; Gazetteer.find end to end: {product['find_mb_s']} MB/s, "
          f"{product['hits']} hits")
    header = (f"{'set':<14}{'keys':>9}  {'library':<20}{'build s':>9}{'pickle s':>9}{'mem MB':>8}"
              f"{'all MB/s':>10}{'sel MB/s':>10}{'matches':>9}{'kept':>7}  same")
    print(header)
    print("-" * len(header))
    for result in report["sets"]:
        for row in result["rows"]:
            memory = "-" if row["memory_mb"] is None else f"{row['memory_mb']:.1f}"
            pickled = "no" if row["pickle_s"] is None else f"{row['pickle_s']:.3f}"
            same = (f"{row['same_matches_texts']}/{result['texts']} all, "
                    f"{row['same_selection_texts']}/{result['texts']} sel"
                    if "same_matches_texts" in row else "(reference)")
            print(f"{result['set']:<14}{result['keys']:>9}  {row['library']:<20}"
                  f"{row['build_s']:>9.3f}{pickled:>9}{memory:>8}{row['all_mb_s']:>10.1f}"
                  f"{row['select_mb_s']:>10.1f}{row['matches']:>9}{row['selected']:>7}  {same}")
        extra = result["rs_leftmost_longest"]
        if extra:
            print(f"{'':<25}rs leftmost-longest, no boundary test: {extra['mb_s']:.1f} MB/s, "
                  f"differs from our selection in {extra['texts_differing_from_selection']}"
                  f"/{result['texts']} texts")


def megabytes_of(texts: Iterable[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def end_to_end(forms: list[tuple[str, str, str]], originals: list[str],
               repeat: int) -> dict[str, Any]:
    """The product's own `Gazetteer.find` (fold + search + select + offsets back), for scale."""
    gazetteer = Gazetteer(forms)
    best, found = interleaved(["find"], lambda _: [gazetteer.find(t) for t in originals], repeat)
    return {
        "size": gazetteer.size,
        "find_mb_s": round(megabytes_of(originals) / best["find"], 2),
        "hits": sum(map(len, found["find"])),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                        help="the shared folder holding corpus/ and seed/")
    parser.add_argument("--synthetic", type=int, default=50000,
                        help="synthetic names added for the second pattern set (0: none)")
    parser.add_argument("--repeat", type=int, default=5, help="timings are the best of this")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 20 texts, 2000 synthetic names, once, no memory or DFA")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    args = parser.parse_args(argv)
    if args.quick:
        args.synthetic, args.repeat = min(args.synthetic, 2000), 1
    if args.repeat < 1 or args.synthetic < 0:
        parser.error("--repeat must be at least 1 and --synthetic not negative")
    originals = corpus_texts(args.shared, limit=20 if args.quick else None)
    fold_s, texts = interleaved(["fold"], lambda _: [fold(t) for t in originals], args.repeat)
    texts = texts["fold"]
    forms = kb_forms()
    table = gazetteer_table(forms)
    product = end_to_end(forms, originals, args.repeat)
    if product["size"] != len(table):  # the bench must index what the product indexes
        raise SystemExit(f"key count {len(table)} differs from Gazetteer.size "
                         f"{product['size']}: update gazetteer_table()")
    report: dict[str, Any] = {
        "texts": len(texts),
        "megabytes": round(megabytes_of(texts), 3),
        "fold_mb_s": round(megabytes_of(originals) / fold_s["fold"], 1),
        "gazetteer_find": product,
        "repeat": args.repeat,
        "kb_entries": len({entry_id for _, entry_id, _ in forms}),
        "kb_forms": len(forms),
        "sets": [run_set("kb", table, texts, args.repeat, full=not args.quick)],
    }
    if args.synthetic:
        big = gazetteer_table([*forms, *synthetic_forms(args.synthetic)])
        report["sets"].append(run_set(f"kb+{args.synthetic}syn", big, texts, args.repeat,
                                      full=not args.quick))
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
