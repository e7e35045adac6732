"""``asklytics demo build``: generate the demo warehouse (DuckDB, optionally chdb).

The DuckDB file is always built first; ``--engine chdb`` then copies it into a
chdb folder. ``--if-absent`` makes the command a cheap no-op when the target
exists (``make run`` calls it on every start).
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.interfaces.cli.common import console, fail, load_settings
from warehouse.errors import WarehouseError

demo_app = typer.Typer(no_args_is_help=True, help="Build the demo warehouse.")

Engine = Literal["duckdb", "chdb"]


def _duckdb_target(settings, engine: Engine, path: Path | None) -> Path:
    if engine == "duckdb" and path is not None:
        return path
    if settings.warehouse == "duckdb":
        return settings.resolved_warehouse_path()
    return settings.data_dir / "demo.duckdb"


def _chdb_target(settings, path: Path | None) -> Path:
    if path is not None:
        return path
    if settings.warehouse == "chdb":
        return settings.resolved_warehouse_path()
    return settings.model_copy(update={"warehouse": "chdb", "warehouse_path": None}).resolved_warehouse_path()


def _summary(report) -> Table:
    table = Table(title="Demo warehouse")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in report.rows.items():
        table.add_row(name, f"{rows:,}")
    return table


def _build_duckdb(path: Path, scale: float, seed: int, overwrite: bool, incidents: int | None = None,
                  labels: Path | None = None) -> None:
    from warehouse.demo import build_demo_warehouse

    path.parent.mkdir(parents=True, exist_ok=True)
    columns = (TextColumn("{task.description:<16}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("starting", total=1.0)
        report = build_demo_warehouse(
            path, scale=scale, seed=seed, overwrite=overwrite, incidents=incidents, labels_path=labels,
            progress=lambda step, done: bar.update(task, description=step, completed=done),
        )
    console.print(_summary(report))
    console.print(f"built {report.path} (scale {report.scale:g}, seed {report.seed}) "
                  f"in {report.seconds:.1f} s")
    if report.labels is not None:
        console.print(f"planted {len(report.incidents)} incidents (seed {incidents}); "
                      f"labels in {report.labels}")


def _exists_message(path: Path) -> str:
    return f"{path} already exists; pass --force to rebuild it (or --if-absent to keep it)"


def _load_chdb(duckdb_path: Path, chdb_path: Path) -> None:
    from warehouse.chdb import load_demo_from_duckdb

    with console.status(f"loading {duckdb_path} into chdb at {chdb_path}"):
        load_demo_from_duckdb(duckdb_path, chdb_path)
    console.print(f"chdb warehouse ready at {chdb_path}")


def _build_rollups(duckdb_path: Path) -> None:
    """The demo model's rollups, into the DuckDB file (a chdb copy takes them along)."""
    from app.interfaces.cli.rollups import build_with_progress, print_reports
    from semantic_layer import DEMO_MODEL_PATH, load_semantic_model
    from semantic_layer.rollup_build import DuckDBRollupWriter

    writer = DuckDBRollupWriter(duckdb_path)
    try:
        print_reports(build_with_progress(load_semantic_model(DEMO_MODEL_PATH), writer))
    finally:
        writer.close()


def _build(engine: Engine, duckdb_path: Path, chdb_path: Path, scale: float, seed: int, force: bool,
           rollups: bool, incidents: int | None = None, labels: Path | None = None) -> None:
    if engine == "duckdb" or not duckdb_path.exists():
        _build_duckdb(duckdb_path, scale, seed, overwrite=force, incidents=incidents, labels=labels)
    elif incidents is not None:
        fail(f"--incidents plants incidents while the DuckDB file is built, and {duckdb_path} exists "
             "already; remove it or build with --engine duckdb --path NEW.duckdb first")
    else:
        console.print(f"using the existing DuckDB demo at {duckdb_path}")
    if rollups:
        _build_rollups(duckdb_path)
    if engine == "chdb":
        shutil.rmtree(chdb_path, ignore_errors=True)
        _load_chdb(duckdb_path, chdb_path)


@demo_app.command("build")
def build(
    scale: Annotated[float, typer.Option(help="Data volume: 1 = ~200k installs, ~3M events.")] = 1.0,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed and scale give the same data.")] = 42,
    path: Annotated[Path | None, typer.Option(
        help="Target DuckDB file or chdb folder; default from settings "
             "(data/demo.duckdb or data/demo.chdb).")] = None,
    engine: Annotated[str, typer.Option(help="duckdb, or chdb (builds DuckDB, then copies it).")] = "duckdb",
    force: Annotated[bool, typer.Option("--force", help="Replace an existing warehouse.")] = False,
    if_absent: Annotated[bool, typer.Option("--if-absent", help="Do nothing if it exists.")] = False,
    rollups: Annotated[bool, typer.Option(
        "--rollups/--no-rollups", help="Build the demo model's rollups too (docs/semantic-layer.md).",
    )] = True,
    incidents: Annotated[int | None, typer.Option(
        help="Plant labelled incidents drawn from this seed (docs/insights.md, 'Planted incidents'); "
             "without it the demo is the plain one.")] = None,
    incidents_labels: Annotated[Path | None, typer.Option(
        help="Where the incidents' labels (JSON) go; default <warehouse>.incidents.json beside it.")] = None,
) -> None:
    """Generate the synthetic mobile-marketing demo warehouse."""
    if engine not in ("duckdb", "chdb"):
        fail(f"unknown engine {engine!r}; choose duckdb or chdb")
    if not scale > 0:
        fail(f"--scale must be a positive number, got {scale:g}")
    settings = load_settings()
    duckdb_path = _duckdb_target(settings, engine, path)
    target = duckdb_path if engine == "duckdb" else _chdb_target(settings, path)
    if target.exists() and if_absent:
        console.print(f"demo warehouse already exists at {target}; nothing to do")
        return
    if target.exists() and not force:
        fail(_exists_message(target))
    try:
        _build(engine, duckdb_path, target, scale, seed, force, rollups, incidents, incidents_labels)
    except (OSError, ValueError, WarehouseError) as exc:
        fail(f"demo build failed: {exc}")
