"""`raqib kb import`: FollowTheMoney / OpenSanctions entity files -> the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from raqib.store import Store, StoreError
from raqib.store.kb import ImportStats

if TYPE_CHECKING:
    from raqib.kb.ftm import ReadReport

MAX_BAD_LINES_SHOWN = 20


def run_kb_import(path: str, store: Store, console: Console, quiet: bool) -> int:
    """Import the FtM entities in `path` ("-" for stdin); 0 on success, 1 on failure.

    Progress (bytes read) is shown on a terminal; bad lines are reported with their line
    numbers and skipped. A read or database error stops the import, keeping what was
    stored before it, and returns 1; so does a file in which no line was usable.
    """
    from raqib.kb.ftm import FtmReadError, ReadReport, iter_ftm_entities  # slow: on use

    report = ReadReport()
    stats = ImportStats()
    failure: str | None = None
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
        TimeElapsedColumn(), console=console, disable=quiet or not console.is_terminal,
        transient=True,
    ) as progress:
        task = progress.add_task("importing", total=None)

        def on_progress(done: ImportStats) -> None:
            nonlocal stats
            stats = done  # kept, so that a failure later still reports what was stored
            progress.update(task, completed=report.position, total=report.size,
                            description=f"importing: {done.entities:,} entities")

        try:
            stats = store.import_kb_entities(iter_ftm_entities(path, report=report),
                                             on_progress=on_progress)
        except (FtmReadError, StoreError) as exc:
            failure = str(exc)
    _print_bad_lines(report, console, quiet)
    if not quiet and (failure is None or report.lines):
        console.print(summary_line(stats, report), highlight=False, soft_wrap=True)
    if failure is not None:
        console.print(f"[red]error:[/red] {escape(failure)}", highlight=False, soft_wrap=True)
        return 1
    return 1 if report.bad_count and not (stats.entities or stats.sanctions) else 0


def summary_line(stats: ImportStats, report: ReadReport) -> str:
    """"imported N entities (M names), K skipped lines", then the details that apply."""
    details = [f"{stats.added} new", f"{stats.updated} updated", f"{stats.unchanged} unchanged"]
    if stats.sanctions:
        details.append(f"{stats.sanctions} sanction records")
    if report.ignored:
        details.append(f"{report.ignored} other entities ignored")
    return (f"imported {stats.entities} entities ({stats.names} names), "
            f"{report.bad_count} skipped lines ({', '.join(details)})")


def _print_bad_lines(report: ReadReport, console: Console, quiet: bool) -> None:
    if quiet or not report.bad_lines:
        return
    shown = report.bad_lines[:MAX_BAD_LINES_SHOWN]
    for item in shown:
        console.print(f"[yellow]skipped[/yellow] {escape(report.source)}:{item.line}: "
                      f"{escape(item.reason)}", highlight=False, soft_wrap=True)
    hidden = report.bad_count - len(shown)
    if hidden > 0:
        console.print(f"[yellow]skipped[/yellow] {hidden} more bad lines",
                      highlight=False, soft_wrap=True)
