"""`raqib ingest`: sources -> store, with a progress bar and one outcome line per source."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from raqib.ingest.fetch import Fetcher
from raqib.ingest.run import Outcome, ingest_items
from raqib.ingest.sources import iter_sources
from raqib.kb.loader import KBError
from raqib.pipeline import extractor_for_store
from raqib.settings import Settings
from raqib.store import Store, StoreError


def format_outcome(outcome: Outcome) -> str:
    """One tab-separated line: status, short id, source, and the title or the reason."""
    short = (outcome.doc_id or "-")[:12]
    detail = outcome.reason if outcome.status == "failed" else (outcome.title or "")
    if outcome.duplicate_of:
        detail = f"duplicate of {outcome.duplicate_of[:12]}; {detail}"
    return f"{outcome.status}\t{short}\t{outcome.source}\t{detail}"


def run_ingest(
    sources: list[str], *, store: Store, settings: Settings, published: str | None,
    allow_private: bool, respect_robots: bool, quiet: bool, console: Console,
) -> int:
    """Ingest every source; 0 when anything was stored (or already was), 1 otherwise.

    The extractor (bundled knowledge base, RAQIB_KB_PATH, the store's imported names)
    is built first: bad extra knowledge-base files stop the run before any fetching."""
    try:
        extractor = extractor_for_store(store, settings.kb_paths)
    except (KBError, StoreError) as error:
        console.print(f"[red]error:[/red] {escape(str(error))}", highlight=False, soft_wrap=True)
        return 1
    fetcher = Fetcher(
        user_agent=settings.user_agent, timeout=settings.fetch_timeout,
        max_bytes=settings.fetch_max_bytes, delay=settings.fetch_delay,
        allow_private=allow_private, respect_robots=respect_robots,
    )
    items = iter_sources(sources, fetcher=fetcher, stdin=sys.stdin.buffer,
                         max_bytes=settings.max_input_bytes)
    show_progress = not quiet and console.is_terminal
    # Outcome lines are data (stdout); when stdout is the same terminal as the progress
    # bar, print through the bar's console so the two do not garble each other.
    through_bar = show_progress and sys.stdout.isatty()
    with fetcher, Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=console, disable=not show_progress, transient=True,
    ) as progress:
        task = progress.add_task("ingesting", total=None)

        def report(outcome: Outcome) -> None:
            label = f"{outcome.status}: {outcome.source[-50:]}"
            progress.update(task, advance=1, description=label)
            if quiet:
                return
            line = format_outcome(outcome)
            if through_bar:
                progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
            else:
                print(line, flush=True)

        summary = ingest_items(items, store, published=published, on_outcome=report,
                               extractor=extractor)
    if not quiet:
        console.print(summary.line(), highlight=False)
    return 0 if summary.stored_any else 1
