"""The `raqib` command: a thin layer over the library, one function per command."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from raqib import __version__
from raqib.settings import load_settings

app = typer.Typer(
    name="raqib",
    help="Read news on arms trafficking: ingest articles, extract who supplies what to whom, "
    "and who says so.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
kb_app = typer.Typer(help="The knowledge base: bundled actors, weapons and outlets, plus "
                     "imported sanctions data.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")

err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: $RAQIB_DB_URL or sqlite:///raqib.db)."),
]
PublishedOption = Annotated[
    str | None,
    typer.Option(help="Publication date (ISO 8601) for documents that carry none."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _store(db: str | None):
    """Open the store; a bad URL or an unreadable database is a one-line error."""
    from raqib.store import StoreError, open_store

    try:
        return open_store(db or load_settings().db_url)
    except StoreError as error:
        raise _fail(str(error)) from None


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"raqib {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Raqib: who supplies weapons to whom, according to whom."""


@app.command()
def ingest(
    sources: Annotated[
        list[str], typer.Argument(help="Files, folders, URLs, feeds, WARC files, or - for stdin.")
    ],
    db: DbOption = None,
    published: PublishedOption = None,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private",
        help="Allow fetching from loopback/private addresses (tests, intranets).",
    )] = False,
    no_robots: Annotated[bool, typer.Option(
        "--ignore-robots", help="Do not consult robots.txt (only for sites you own).",
    )] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar and no per-source lines.",
    )] = False,
) -> None:
    """Ingest articles into the store: clean, de-duplicate, keep the raw input, extract.

    Prints one outcome line per source (ingested / duplicate / exists / failed) and a
    summary. Exits non-zero only when nothing could be ingested.

    Examples:
      raqib ingest examples/
      raqib ingest https://example.org/feed.xml --db sqlite:///news.db
      cat page.html | raqib ingest -
      raqib ingest crawl.warc.gz
    """
    from raqib.cli_ingest import run_ingest

    settings = load_settings()
    with _store(db) as store:  # closed (WAL checkpointed) before the process exits
        code = run_ingest(
            sources, store=store, settings=settings, published=published,
            allow_private=allow_private, respect_robots=not no_robots, quiet=quiet,
            console=err,
        )
    raise typer.Exit(code)


@app.command("extract")
def extract_command(
    files: Annotated[list[str], typer.Argument(help="Files to extract (or - for stdin).")],
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="json (JSON Lines, the contract) or text.",
    )] = "json",
    published: PublishedOption = None,
    db: Annotated[str | None, typer.Option(
        "--db", help="Also match the names imported into this database with `raqib kb "
                     "import` (read only; default: no database).",
    )] = None,
) -> None:
    """Print the extraction of each file without storing anything.

    One JSON object per line (the contract in shared/contract/EXTRACTION.md), UTF-8 with
    Arabic unescaped; --format text prints a readable summary instead.
    With --db the entities imported into that database are recognised too,
    and sanctioned ones flagged; the database must exist and is not written.

    Examples:
      raqib extract article.html
      raqib extract --published 2024-10-09 --format text seed.txt
      raqib extract *.txt | jq .events
      raqib extract article.html --db sqlite:///news.db --format text
    """
    from raqib.cli_extract import run_extract

    if fmt not in ("json", "text"):
        raise _fail(f"unknown format {fmt!r}: use json or text", 2)
    store = None
    if db is not None:
        from raqib.store import StoreError, open_store

        try:
            store = open_store(db, create=False)
        except StoreError as error:
            raise _fail(str(error)) from None
    try:
        code = run_extract(files, fmt=fmt, published=published, console=err, store=store)
    finally:
        if store is not None:
            store.close()
    raise typer.Exit(code)


@app.command()
def documents(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="How many documents to list.")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many documents.")] = 0,
    language: Annotated[str | None, typer.Option(help="Only this language (ar, en, ...).")] = None,
    as_json: JsonOption = False,
) -> None:
    """List stored documents, newest first.

    Examples:
      raqib documents
      raqib documents --language ar --json
    """
    from raqib.cli_show import print_documents

    with _store(db) as store:
        print_documents(store, limit=limit, offset=offset, language=language, as_json=as_json)


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="Document id or a unique prefix (6+ characters).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one stored document with its extraction.

    Examples:
      raqib show 3f9a1c
      raqib show 3f9a1c --json | jq .events
    """
    from raqib.cli_show import show_document

    try:
        with _store(db) as store:
            found = show_document(store, doc_id, as_json=as_json)
    except (LookupError, ValueError) as error:
        raise _fail(str(error)) from None
    if not found:
        raise _fail(f"no document with id {doc_id!r}")


@app.command()
def stats(
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Counts of what the store holds.

    Examples:
      raqib stats
      raqib stats --json
    """
    with _store(db) as store:
        data = store.stats()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    for key, value in data.items():
        typer.echo(f"{key}: {json.dumps(value, ensure_ascii=False, default=str)}")


@app.command("eval")
def eval_command(
    gold: Annotated[list[Path], typer.Argument(help="Gold annotation files (JSON Lines).")],
    shared: Annotated[Path | None, typer.Option(
        help="Folder the gold `file` paths are relative to (default: two levels above the "
             "gold file's folder).",
    )] = None,
    as_json: JsonOption = False,
    details: Annotated[bool, typer.Option("--details", help="List missed and spurious events.")]
    = False,
) -> None:
    """Score extraction against gold annotations (see shared/corpus/README.md).

    Prints a table per event type and a final one-line summary.

    Examples:
      raqib eval ../shared/corpus/gold/dev.jsonl
      raqib eval --json ../shared/corpus/gold/dev.jsonl | jq .overall
    """
    from raqib.cli_eval import run_eval_command

    try:
        output = run_eval_command(gold, shared, as_json=as_json, details=details)
    except (OSError, ValueError) as error:
        raise _fail(str(error)) from None
    typer.echo(output)


@kb_app.command("import")
def kb_import(
    file: Annotated[str, typer.Argument(
        help="FollowTheMoney entities, one JSON object per line (an OpenSanctions "
             "entities.ftm.json export), optionally gzip-compressed; - for stdin.",
    )],
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar, no skipped-line report, no summary.",
    )] = False,
) -> None:
    """Import people, organisations, vessels, aircraft and sanctions into the store.

    Entities are stored by their FtM id: importing the same file again changes
    nothing, a newer file updates what changed. Afterwards `raqib ingest` (and
    `raqib extract --db`) recognise the imported names, and mark entities on a
    sanctions list with `sanctioned: true` and the lists and programmes in
    `details.sanctions`. Lines that are not usable are reported and skipped.

    Examples:
      raqib kb import entities.ftm.json
      raqib kb import sanctions.ftm.json.gz --db sqlite:///news.db
      raqib kb import - --quiet < entities.ftm.json
    """
    from raqib.cli_kb import run_kb_import
    from raqib.store import StoreError

    try:
        store = _store(db)
    except StoreError as error:
        raise _fail(str(error)) from None
    with store:
        code = run_kb_import(file, store, err, quiet)
    raise typer.Exit(code)


@kb_app.command("stats")
def kb_stats(
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Counts of the imported knowledge base: entities, names, sanctioned entities.

    Examples:
      raqib kb stats
      raqib kb stats --db sqlite:///news.db --json
    """
    from raqib.store import StoreError

    try:
        with _store(db) as store:
            data = store.imported_summary()
    except StoreError as error:
        raise _fail(str(error)) from None
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, value in data.items():
        typer.echo(f"{key}: {json.dumps(value, ensure_ascii=False)}")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)


__all__ = ["app", "main"]
