"""``asklytics import PATH... --into FILE.duckdb``: load CSV, Parquet and JSON files into DuckDB.

The work is :mod:`warehouse.importing`'s; this module shows a progress bar over the files,
then a summary table, and turns every problem into a message and exit code 1. A table that
fails leaves the tables imported before and after it in place.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.interfaces.cli.common import console, err_console, fail
from warehouse.importing import (
    MISSING_MARKERS,
    ImportPlan,
    ImportRefused,
    ImportSummary,
    plan_import,
    run_import,
)

# Source files named in a summary row; more are counted.
SHOWN_SOURCES = 3


def _run_with_progress(plan: ImportPlan, into: Path, replace: bool, snake_case: bool) -> ImportSummary:
    columns = (TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("starting", total=plan.file_count)
        return run_import(plan, into, replace=replace, snake_case=snake_case,
                          progress=lambda table, done: bar.update(task, description=table, completed=done))


def _sources(paths: tuple[Path, ...]) -> str:
    names = [path.name for path in paths[:SHOWN_SOURCES]]
    more = len(paths) - SHOWN_SOURCES
    return ", ".join(names) + (f" (+{more} more)" if more > 0 else "")


def _summary_table(summary: ImportSummary) -> Table:
    table = Table(title=f"Imported into {summary.target.name}")
    for name, justify in (("table", "left"), ("rows", "right"), ("columns", "right"),
                          ("source files", "left"), ("seconds", "right")):
        table.add_column(name, justify=justify)
    for done in summary.tables:
        name = f"{done.table} (replaced)" if done.replaced else done.table
        table.add_row(name, f"{done.rows:,}", str(done.columns), _sources(done.sources),
                      f"{done.seconds:.1f}")
    return table


def _missing(summary: ImportSummary) -> list[str]:
    """Per table, the cells read as missing: markers in columns of numbers, dates and times."""
    tables = [done for done in summary.tables if done.missing]
    if not tables:
        return []
    heading = (f"missing-value markers ({', '.join(MISSING_MARKERS)}) read as NULL in columns of numbers, "
               "dates and times (cells per column):")
    cells = {done.table: ", ".join(f"{name} {count:,}" for name, count in done.missing) for done in tables}
    return [heading] + [f"  {table}: {counts}" for table, counts in cells.items()]


def _report(summary: ImportSummary) -> None:
    if summary.tables:
        console.print(_summary_table(summary))
    for line in _missing(summary):
        console.print(line, highlight=False)
    if summary.skipped:
        console.print(f"left out {len(summary.skipped)} file(s) that are not CSV, Parquet or JSON: "
                      f"{_sources(summary.skipped)}")
    for failed in summary.failures:
        err_console.print(f"[bold red]error:[/] table {failed.table}: {failed.reason}")
    console.print(f"{len(summary.tables)} table(s), {summary.rows:,} rows imported into {summary.target} "
                  f"in {summary.seconds:.1f} s")


def import_command(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH",
        help="CSV, TSV, Parquet, JSON or NDJSON files (.gz too), folders (searched recursively) or "
             "quoted globs such as 'exports/*.csv'.", show_default=False)],
    into: Annotated[Path, typer.Option("--into", help="The DuckDB file to write; created if missing.",
                                       show_default=False)],
    table: Annotated[str | None, typer.Option(
        "--table", help="Load every file into this one table (columns matched by name).")] = None,
    separate: Annotated[bool, typer.Option(
        "--separate", help="One table per file, even for a multi-part export like installs_2026-01.csv, "
                           "installs_2026-02.csv.")] = False,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace tables that exist already (else an existing table is an error).")] = False,
    snake_case: Annotated[bool, typer.Option(
        "--snake-case", help="Rewrite column names to snake_case: 'Install Time' -> install_time.")] = False,
) -> None:
    """Load CSV, Parquet and JSON files into a DuckDB file, one table per file or export."""
    try:
        plan = plan_import(paths, table=table, separate=separate)
        summary = _run_with_progress(plan, into, replace, snake_case)
    except ImportRefused as exc:
        fail(f"{exc.message}; nothing was imported")
    _report(summary)
    if summary.failures:
        kept = f"; the {len(summary.tables)} imported table(s) are kept" if summary.tables else ""
        fail(f"{len(summary.failures)} of {len(plan.groups)} table(s) not imported{kept}")
