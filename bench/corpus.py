"""The shared evaluation corpus as benchmark input: Arabic and English texts."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def corpus_paths() -> dict[str, list[Path]]:
    """Arabic: ANERcorp passages and the seed; English: re3d texts and Treasury releases."""
    c = SHARED / "corpus"
    arabic = [*sorted((c / "anercorp" / "passages").glob("*.txt")),
              SHARED / "seed" / "bout-houthis.ar.txt"]
    english = [*sorted((c / "re3d" / "txt").rglob("*.txt")),
               *sorted((c / "treasury").glob("*.txt"))]
    return {"ar": arabic, "en": english}


def corpus() -> dict[str, list[str]]:
    """The same documents, read as text."""
    return {lang: [p.read_text(encoding="utf-8") for p in paths if p.is_file()]
            for lang, paths in corpus_paths().items()}
