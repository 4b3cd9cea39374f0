"""`raqib eval`: run the extractor over the documents a gold file names, and score it."""

from __future__ import annotations

import json
from pathlib import Path

from raqib.evaluate import format_report, report_to_dict, run_eval
from raqib.ingest.sources import RawItem, sniff_kind
from raqib.pipeline import build_document, extract


def extract_file(path: Path, published: str | None) -> dict:
    """The contract object for one file, as `raqib extract` would print it."""
    content = path.read_bytes()
    item = RawItem(source=str(path), content=content, content_type=None,
                   kind=sniff_kind(content, path.name))
    return extract(build_document(item, published=published)).to_dict()


def run_eval_command(gold: list[Path], shared: Path | None, *, as_json: bool,
                     details: bool) -> str:
    report = run_eval(gold, shared, extract_file)
    if as_json:
        return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2)
    return format_report(report, details=details)
