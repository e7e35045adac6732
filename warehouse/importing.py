"""Load CSV, Parquet and JSON files into a DuckDB file (``asklytics import``).

The import opens its own ordinary read-write DuckDB connection to the target, with file
access, and closes it when done; the serving connection (:mod:`warehouse.duckdb`) stays
locked down. Types are DuckDB's readers' own inference (``read_csv`` auto-detection,
``read_parquet``, ``read_json_auto``), except that a CSV column kept as text by NA-style missing
markers alone gets its real type with the markers as NULL (:mod:`warehouse._import_missing`).
Each table is written in one transaction, so a failed table is left as it was (absent, or the old
one under ``replace``) and the tables imported before it stay.
"""
from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse._import_missing import MARKERS as MISSING_MARKERS
from warehouse._import_missing import convert_markers, marked_columns
from warehouse._import_names import snake_case_names
from warehouse._import_sources import ImportPlan, SourceGroup, plan_import
from warehouse._import_target import open_target
from warehouse._inflight import engine_message
from warehouse._schema_scan import quote_double
from warehouse.errors import ImportRefused

__all__ = ["MISSING_MARKERS", "FailedTable", "ImportPlan", "ImportRefused", "ImportSummary", "ImportedTable",
           "import_files", "plan_import", "run_import", "snake_case_names"]

# Several files are read by column name, so parts whose columns come in another order still line up.
READERS = {"csv": "read_csv", "parquet": "read_parquet", "json": "read_json_auto"}
# The CSV and JSON readers infer types from a sample of rows; a value past the sample that does
# not fit fails the read, and the table is read once more with types inferred from every row.
# (A broken file fails that second read too, with the same message.)
_SAMPLED = {"csv", "json"}
_TYPE_SURPRISES = (duckdb.ConversionException, duckdb.InvalidInputException)

Progress = Callable[[str, int], None]  # (the table being loaded, files done so far)


@dataclass(frozen=True)
class ImportedTable:
    table: str
    rows: int
    columns: int
    sources: tuple[Path, ...]
    seconds: float
    replaced: bool = False
    # (column, cells read as missing): CSV columns given their real type by reading NA-style markers
    # (and NaN in floating-point columns) as NULL; see warehouse._import_missing
    missing: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class FailedTable:
    table: str
    sources: tuple[Path, ...]
    reason: str


@dataclass(frozen=True)
class ImportSummary:
    target: Path
    tables: tuple[ImportedTable, ...]
    failures: tuple[FailedTable, ...]
    skipped: tuple[Path, ...]
    seconds: float

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)


class _TableRefused(Exception):
    """One table cannot be written (it exists, its parts differ, a file is empty)."""


def import_files(paths: Sequence[str | Path], target: str | Path, *, table: str | None = None,
                 separate: bool = False, replace: bool = False, snake_case: bool = False,
                 progress: Progress | None = None) -> ImportSummary:
    """Plan (every refusal before anything is written), then load table by table."""
    plan = plan_import(paths, table=table, separate=separate)
    return run_import(plan, target, replace=replace, snake_case=snake_case, progress=progress)


def run_import(plan: ImportPlan, target: str | Path, *, replace: bool = False, snake_case: bool = False,
               progress: Progress | None = None) -> ImportSummary:
    started = time.perf_counter()
    target = Path(target).expanduser().resolve()
    conn = open_target(target)
    outcomes, done = [], 0
    try:
        for group in plan.groups:
            if progress:
                progress(group.table, done)
            outcomes.append(_import_group(conn, group, target, replace, snake_case))
            done += len(group.files)
    finally:
        conn.close()
    if progress:
        progress("done", done)
    ours = {target, target.with_name(f"{target.name}.wal")}  # the target inside an imported folder
    return ImportSummary(target, tuple(o for o in outcomes if isinstance(o, ImportedTable)),
                         tuple(o for o in outcomes if isinstance(o, FailedTable)),
                         tuple(p for p in plan.skipped if p not in ours), time.perf_counter() - started)


def _import_group(conn, group: SourceGroup, target: Path, replace: bool,
                  snake_case: bool) -> ImportedTable | FailedTable:
    started = time.perf_counter()
    try:
        _refuse_empty(group)
        try:
            loaded = _load(conn, group, target, replace, snake_case, full_sample=False)
        except _TYPE_SURPRISES:
            if group.format not in _SAMPLED:
                raise
            loaded = _load(conn, group, target, replace, snake_case, full_sample=True)
    except _TableRefused as exc:
        return FailedTable(group.table, group.files, str(exc))
    except duckdb.Error as exc:
        return FailedTable(group.table, group.files, f"could not read {_names(group.files)}: {_problem(exc)}")
    except OSError as exc:
        return FailedTable(group.table, group.files, f"could not read {exc.filename}: {exc.strerror}")
    rows, columns, replaced, missing = loaded
    return ImportedTable(group.table, rows, columns, group.files, time.perf_counter() - started, replaced,
                         missing)


def _load(conn, group: SourceGroup, target: Path, replace: bool, snake_case: bool,
          full_sample: bool) -> tuple[int, int, bool, tuple[tuple[str, int], ...]]:
    """(rows, columns, whether a table was replaced, cells read as missing), in one transaction."""
    files = [[str(path) for path in group.files]]
    source = _reader_sql(group, full_sample)
    conn.execute("BEGIN TRANSACTION")
    try:
        replaced = _clear_the_way(conn, group.table, target, replace)
        described = _described(conn, source, files)
        columns = [name for name, _ in described]
        if group.parts:
            _refuse_differing_parts(conn, group, columns)
        marked = marked_columns(conn, files, described, full_sample) if group.format == "csv" else {}
        create = f"CREATE TABLE {quote_double(group.table)} AS SELECT {_select_list(columns, snake_case)}"
        rows = conn.execute(f"{create} FROM {source}", files).fetchone()[0]
        missing = ()
        if group.format == "csv":
            names = dict(zip(columns, snake_case_names(columns) if snake_case else columns, strict=True))
            missing = convert_markers(conn, group.table, {names[c]: how for c, how in marked.items()})
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            conn.execute("ROLLBACK")
        raise
    return rows, len(columns), replaced, missing


def _reader_sql(group: SourceGroup, full_sample: bool) -> str:
    sample = ", sample_size = -1" if full_sample else ""
    return f"{READERS[group.format]}($1, union_by_name = true{sample})"


def _described(conn, source: str, files: list) -> list[tuple[str, str]]:
    """[(column, type)] as the reader will load them."""
    return [(row[0], row[1]) for row in conn.execute(f"DESCRIBE SELECT * FROM {source}", files).fetchall()]


def _column_names(conn, source: str, files: list) -> list[str]:
    return [name for name, _ in _described(conn, source, files)]


def _clear_the_way(conn, table: str, target: Path, replace: bool) -> bool:
    """Drops the existing table under ``replace``; True when there was one."""
    row = conn.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_catalog = "
        "current_database() AND table_schema = 'main' AND lower(table_name) = ?", [table]).fetchone()
    if row is None:
        return False
    if row[1] == "VIEW":
        raise _TableRefused(f"{table} is a view in {target}; choose another table name with --table NAME")
    if not replace:
        raise _TableRefused(f"the table {table} already exists in {target}; pass --replace to replace it")
    conn.execute(f"DROP TABLE {quote_double(row[0])}")
    return True


def _refuse_empty(group: SourceGroup) -> None:
    empty = [path for path in group.files if path.stat().st_size == 0]
    if empty:
        raise _TableRefused(f"{_names(empty)} is empty (not even a header); remove it or fill it")


def _refuse_differing_parts(conn, group: SourceGroup, columns: list[str]) -> None:
    for path in group.files:
        own = {name.lower() for name in _column_names(conn, _reader_sql(group, False), [[str(path)]])}
        if own != {name.lower() for name in columns}:
            missing = ", ".join(repr(c) for c in columns if c.lower() not in own)
            raise _TableRefused(
                f"{_names(group.files)} look like parts of one export (table {group.table}) but their "
                f"columns differ: {path.name} lacks {missing}; pass --separate for one table per file, "
                f"or --table {group.table} to combine them anyway (missing columns become NULL)")


def _select_list(columns: list[str], snake_case: bool) -> str:
    if not snake_case:
        return "*"
    return ", ".join(f"{quote_double(old)} AS {quote_double(new)}"
                     for old, new in zip(columns, snake_case_names(columns), strict=True))


def _problem(exc: duckdb.Error) -> str:
    """The engine's first paragraph (a CSV error's line and its cause), not its echo of our SQL."""
    lines = str(exc).strip().split("\n\n")[0].splitlines()[:3]
    return "; ".join(line.strip() for line in lines) or engine_message(exc)


def _names(paths: Sequence[Path]) -> str:
    return ", ".join(path.name for path in paths)
