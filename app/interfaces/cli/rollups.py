"""``asklytics rollups build|status``: the semantic model's rollups in the configured warehouse.

``build`` brings every rollup (or those named) up to date: incrementally from its watermark,
from scratch when its definition changed or with ``--full``; a progress bar per rollup.
``status`` lists each declared rollup with its table, watermark, rows and whether it is current.
Both work on the DuckDB file or chdb folder of the settings (``--path`` for another one).
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.interfaces.cli.common import console, fail, load_settings
from common.errors import AsklyticsError

rollups_app = typer.Typer(no_args_is_help=True, help="Pre-aggregated tables the compiler answers from.")

PathOption = Annotated[Path | None, typer.Option(
    help="DuckDB file or chdb folder; default: the configured warehouse.")]


def _model():
    from app.engine.semantic_source import semantic_model_path
    from semantic_layer import SemanticModelError, load_semantic_model

    try:
        return load_semantic_model(semantic_model_path(load_settings()))
    except SemanticModelError as exc:
        fail(str(exc))


def _writer(path: Path | None, *, read_only: bool = False):
    """A writer on the warehouse (``read_only``: a DuckDB file only read, so a status never writes
    a copy of a file a server is reading)."""
    from semantic_layer.rollup_build import ChdbRollupWriter, DuckDBRollupReader, DuckDBRollupWriter

    settings = load_settings()
    if settings.warehouse not in ("duckdb", "chdb"):
        fail("rollups are built into a DuckDB file or a chdb folder; "
             f"the warehouse is {settings.warehouse!r}")
    target = path or settings.resolved_warehouse_path()
    if not target.exists():
        fail(f"no warehouse at {target}; build it first (asklytics demo build)")
    if target.is_dir():
        return ChdbRollupWriter(target), target
    return (DuckDBRollupReader if read_only else DuckDBRollupWriter)(target), target


def build_with_progress(model, writer, *, names=None, full: bool = False) -> list:
    """Build with one progress bar per rollup (month partitions); returns the build reports."""
    from semantic_layer.rollup_build import build_rollups

    columns = (TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def advance(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done, total=total)

        return build_rollups(model, writer, names=names, full=full, progress=advance)


def print_reports(reports) -> None:
    table = Table(title="Rollups built")
    for column in ("rollup", "build", "partitions", "rows", "watermark"):
        table.add_column(column, justify="right" if column in ("partitions", "rows") else "left")
    for r in reports:
        table.add_row(r.name, "full" if r.rebuilt else "incremental", str(r.partitions), f"{r.rows:,}",
                      str(r.watermark or "-"))
    console.print(table)


@rollups_app.command("build")
def build(
    name: Annotated[list[str] | None, typer.Option("--name", help="Only this rollup (repeatable).")] = None,
    full: Annotated[bool, typer.Option("--full", help="Rebuild from scratch, not from the watermark.")]
    = False,
    path: PathOption = None,
) -> None:
    """Build or bring up to date the semantic model's rollups."""
    model = _model()
    if not model.spec.rollups:
        console.print("the semantic model declares no rollups; nothing to build")
        return
    unknown = sorted(set(name or ()) - {r.name for r in model.spec.rollups})
    if unknown:
        fail(f"unknown rollup {', '.join(map(repr, unknown))}; the model declares: "
             + ", ".join(r.name for r in model.spec.rollups))
    writer, target = _writer(path)
    try:
        reports = build_with_progress(model, writer, names=name, full=full)
    except AsklyticsError as exc:
        fail(f"rollup build failed: {exc.message}")
    finally:
        writer.close()
    print_reports(reports)
    console.print(f"rollups of {target} up to date")


@rollups_app.command("status")
def status(path: PathOption = None) -> None:
    """Each declared rollup: table, watermark, rows, and whether the compiler can use it."""
    from semantic_layer.rollups import STATE_TABLE, definition_hash

    model = _model()
    writer, target = _writer(path, read_only=True)
    try:
        rows = writer.run(f"SELECT name, definition, watermark, row_count FROM {STATE_TABLE}")
    except Exception:  # noqa: BLE001 -- the engines raise their own types for a missing table
        rows = []
    finally:
        writer.close()
    recorded = {r[0]: r for r in rows}
    table = Table(title=f"Rollups of {target}")
    for column in ("rollup", "table", "watermark", "rows", "state"):
        table.add_column(column, justify="right" if column == "rows" else "left")
    for rollup in model.spec.rollups:
        row = recorded.get(rollup.name)
        current = row is not None and row[1] == definition_hash(model, rollup)
        state = "not built" if row is None else "current" if current else "stale: definition changed, rebuild"
        table.add_row(rollup.name, rollup.table_name, str(row[2]) if row else "-",
                      f"{int(row[3]):,}" if row else "-", state)
    console.print(table)
