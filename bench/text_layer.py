"""Text-layer throughput: Arabic folding and normalisation, tokenisation, segmentation.

Runs each function document by document (as the pipeline does) over the shared corpus:
  - Arabic: the ANERcorp passages and the seed article,
  - English: the re3d texts and the US Treasury press releases,
  - ANERcorp: the whole token-per-line corpus joined back into ~4 kB documents (a larger
    Arabic sample than the passages, with a realistic vocabulary),
and prints MB/s (UTF-8 bytes of input per CPU second: the machine is shared, so wall-clock
time would measure the neighbours too) and the process's peak RSS.

`tokenize` memoises the analysis of each distinct word, so it is timed twice: "cold"
clears that cache before every pass (a first document of a new vocabulary), "warm"
keeps it (a long-running worker). Dates and numbers are timed by bench/text.py.

Usage: .venv/bin/python bench/text_layer.py [--min-seconds 1.0]
"""

from __future__ import annotations

import argparse
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

from raqib.text import arabic, segment, tokens  # noqa: E402


def anercorp_documents(path: Path, size: int = 4000) -> list[str]:
    """The corpus's tokens joined by spaces, cut into documents of about `size` characters."""
    if not path.is_file():
        return []
    docs, words, length = [], [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.rsplit(" ", 1)[0]
        words.append(word)
        length += len(word) + 1
        if length >= size and word == ".":
            docs.append(" ".join(words))
            words, length = [], 0
    if words:
        docs.append(" ".join(words))
    return docs


def _cold_tokenize(text: str) -> object:
    tokens._cached_parts.cache_clear()
    return tokens.tokenize(text)


def functions() -> dict[str, Callable[[str], object]]:
    return {
        "arabic.fold": arabic.fold,
        "arabic.normalize": arabic.normalize,
        "tokenize (cold)": _cold_tokenize,
        "tokenize (warm)": tokens.tokenize,
        "paragraphs": segment.paragraphs,
        "sentences": segment.sentences,
    }


def throughput(func: Callable[[str], object], docs: list[str], min_seconds: float) -> float:
    """MB/s of `func` over every document, repeated until `min_seconds` have passed.

    One untimed pass first, so that data loaded and patterns compiled on first use are
    not timed.
    """
    size = sum(len(d.encode("utf-8")) for d in docs)
    if not size:
        return 0.0
    for doc in docs:
        func(doc)
    rounds, start = 0, time.process_time()
    while True:
        for doc in docs:
            func(doc)
        rounds += 1
        elapsed = time.process_time() - start
        if elapsed >= min_seconds:
            return size * rounds / elapsed / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-seconds", type=float, default=1.0)
    args = parser.parse_args()

    docs = corpus()
    sizes = {lang: sum(len(d.encode("utf-8")) for d in ds) / 1e6 for lang, ds in docs.items()}
    print("corpus: " + ", ".join(
        f"{lang} {len(ds)} docs {sizes[lang]:.2f} MB" for lang, ds in docs.items()
    ))
    print(f"{'function':<18}" + "".join(f"{lang + ' MB/s':>15}" for lang in docs))
    for name, func in functions().items():
        cells = [throughput(func, ds, args.min_seconds) for ds in docs.values()]
        print(f"{name:<18}" + "".join(f"{c:>15.2f}" for c in cells))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
