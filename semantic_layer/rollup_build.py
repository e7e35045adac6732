"""Build rollups into the warehouse, incrementally by day, and read their state back.

Each rollup is a table (``rollup_<name>``) filled month by month from its first day to the
last day in the base data. The state row in ``asklytics_rollups`` records the definition
hash, the watermark (the last day built) and the row count. The next build deletes and
rebuilds from the watermark day on (that day may have been partial) up to the new last day;
a changed definition rebuilds the table from scratch. One rollup is built in one transaction,
so a reader of the same database sees the old or the new rollup, never half of one.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sqlglot import exp

from common.errors import AsklyticsError
from semantic_layer.branches import table_source
from semantic_layer.expressions import model_expression
from semantic_layer.model import SemanticModel
from semantic_layer.pushdown import prune_unused_columns
from semantic_layer.rollup_sql import rollup_select
from semantic_layer.rollups import DAY_COLUMN, STATE_TABLE, RollupState, definition_hash
from semantic_layer.schema import RollupTable
from semantic_layer.sqltree import aliased, select_node

if TYPE_CHECKING:
    from warehouse.base import Schema, Warehouse

Progress = Callable[[str, int, int], None]  # (rollup name, partitions done, partitions in all)


class RollupWriter(Protocol):
    """A read-write connection to the warehouse the rollups live in."""

    dialect: str

    def run(self, sql: str) -> list[tuple]: ...


@dataclass(frozen=True)
class BuildReport:
    name: str
    rebuilt: bool  # from scratch (new or changed definition) rather than from the watermark
    partitions: int
    rows: int
    watermark: dt.date | None


class DuckDBRollupWriter:
    """Rollups in a DuckDB file, opened for writing for the build only: in place, or -- while a
    server reads the file -- in a copy that replaces it when the writer closes
    (``warehouse.duckdb_writes``)."""

    dialect = "duckdb"

    def __init__(self, path):
        from warehouse.duckdb_writes import open_for_writing

        self._writing = open_for_writing(path)
        self.connection = self._writing.__enter__()

    def run(self, sql: str) -> list[tuple]:
        return self.connection.execute(sql).fetchall()

    def close(self) -> None:
        """Publish what was built (committed per rollup; a failed rollup's transaction rolled back)."""
        self._writing.__exit__(None, None, None)


class DuckDBRollupReader:
    """The rollup states of a DuckDB file, read only (``rollups status``): beside a server too."""

    dialect = "duckdb"

    def __init__(self, path):
        import duckdb

        self.connection = duckdb.connect(str(path), read_only=True)

    def run(self, sql: str) -> list[tuple]:
        return self.connection.execute(sql).fetchall()

    def close(self) -> None:
        self.connection.close()


class ChdbRollupWriter:
    """Rollups in a chdb folder (ClickHouse in process): MergeTree tables, the same SQL transpiled.

    chdb opens one data folder per process: build while no other chdb warehouse is open here.
    """

    dialect = "clickhouse"

    def __init__(self, path):
        from warehouse.chdb_process import ProcessFolder

        self.folder = ProcessFolder.claim(Path(path).expanduser().resolve())
        self.connection = self.folder.connect({"session_timezone": "UTC"})

    def run(self, sql: str) -> list[tuple]:
        text = self.connection.query(sql, "JSONCompactEachRow").bytes().decode()
        return [tuple(json.loads(line)) for line in text.splitlines() if line.strip()]

    def close(self) -> None:
        self.connection.close()
        self.folder.release()


def build_rollups(model: SemanticModel, writer: RollupWriter, *, names: Iterable[str] | None = None,
                  full: bool = False, progress: Progress | None = None) -> list[BuildReport]:
    """Build (or bring up to date) the model's rollups; ``full`` rebuilds them from scratch."""
    wanted = set(names) if names is not None else None
    _ensure_state_table(writer)
    states = _states(writer.run(f"SELECT name, definition, watermark, row_count FROM {STATE_TABLE}"))
    return [_build_one(model, writer, rollup, states.get(rollup.name), full, progress)
            for rollup in model.spec.rollups if wanted is None or rollup.name in wanted]


def read_rollup_states(warehouse: Warehouse) -> dict[str, RollupState]:
    """The built rollups recorded in a warehouse whose tables its schema shows (empty when none).

    The state table is internal (``asklytics_*``: hidden from the schema and the SQL guard),
    so it is read directly; a warehouse without it has no rollups. A rollup whose table the
    connector's schema does not list (built after the schema was read) is left out: the guard
    would refuse a query that reads it.
    """
    schema = warehouse.schema()
    try:
        sql = f"SELECT name, definition, watermark, row_count, table_name FROM {STATE_TABLE}"
        rows = warehouse.execute(sql).rows
    except AsklyticsError:
        return {}
    return _states(r[:4] for r in rows if schema.table(r[4]) is not None)


def rollup_table_names(warehouse: Warehouse, model: SemanticModel | None = None) -> set[str]:
    """The tables that hold rollups: those recorded as built, and those ``model`` declares."""
    declared = {r.table_name for r in model.spec.rollups} if model is not None else set()
    try:
        rows = warehouse.execute(f"SELECT table_name FROM {STATE_TABLE}").rows
    except AsklyticsError:  # no state table: nothing was built
        return declared
    return declared | {str(row[0]) for row in rows}


def without_rollups(schema: Schema, warehouse: Warehouse, model: SemanticModel | None = None) -> Schema:
    """``schema`` as people and planners should see it: rollup tables are an implementation detail
    of answering faster (the compiler routes to them), not data to plan against or describe."""
    return schema.without(rollup_table_names(warehouse, model))


def _states(rows) -> dict[str, RollupState]:
    return {name: RollupState(name, definition, _as_date(watermark), int(count or 0))
            for name, definition, watermark, count in rows}


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _ensure_state_table(writer: RollupWriter) -> None:
    columns = "name VARCHAR, definition VARCHAR, table_name VARCHAR, watermark DATE, row_count BIGINT"
    if writer.dialect == "clickhouse":
        columns = ("name String, definition String, table_name String, watermark Nullable(Date), "
                   "row_count Int64")
        writer.run(f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} ({columns}) ENGINE = MergeTree ORDER BY name")
    else:
        writer.run(f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} ({columns})")


def _build_one(model: SemanticModel, writer: RollupWriter, rollup: RollupTable, state: RollupState | None,
               full: bool, progress: Progress | None) -> BuildReport:
    definition = definition_hash(model, rollup)
    first, last = _base_days(model, rollup, writer)
    rebuilt = full or state is None or state.definition != definition or state.watermark is None
    start = first if rebuilt or first is None else max(
        first, state.watermark - dt.timedelta(days=rollup.refresh_days))
    if start and rollup.grain == "month":  # a month's row is rebuilt whole
        start = start.replace(day=1)
    parts = _months(start, last) if start and last else []
    target = rollup.table_name
    transactional = writer.dialect == "duckdb"
    if transactional:
        writer.run("BEGIN TRANSACTION")
    if rebuilt:
        writer.run(f"DROP TABLE IF EXISTS {target}")
        _create_empty(model, writer, rollup, first or dt.date(2000, 1, 1))
    elif parts:
        writer.run(f"DELETE FROM {target} WHERE {DAY_COLUMN} >= {_date_sql(start, writer.dialect)}")
    for done, (part_start, part_end) in enumerate(parts, start=1):
        select = rollup_select(model, rollup, part_start, part_end).sql(dialect=writer.dialect)
        writer.run(f"INSERT INTO {target} {select}{_settings(writer)}")
        if progress:
            progress(rollup.name, done, len(parts))
    rows = int(writer.run(f"SELECT COUNT(*) FROM {target}")[0][0])
    watermark = last if parts else (state.watermark if state else None)
    _record(writer, rollup, definition, watermark, rows)
    if transactional:
        writer.run("COMMIT")
    return BuildReport(rollup.name, rebuilt, len(parts), rows, watermark)


def _create_empty(model: SemanticModel, writer: RollupWriter, rollup: RollupTable, day: dt.date) -> None:
    select = rollup_select(model, rollup, day, day).sql(dialect=writer.dialect)
    if writer.dialect == "clickhouse":
        writer.run(f"CREATE TABLE {rollup.table_name} ENGINE = MergeTree ORDER BY tuple() "
                   f"AS {select} LIMIT 0{_settings(writer)}")
    else:
        writer.run(f"CREATE TABLE {rollup.table_name} AS {select} LIMIT 0")


def _settings(writer: RollupWriter) -> str:
    """ClickHouse fills unmatched LEFT JOIN columns with defaults unless told to use NULLs, as DuckDB does."""
    return " SETTINGS join_use_nulls = 1" if writer.dialect == "clickhouse" else ""


def _record(writer: RollupWriter, rollup: RollupTable, definition: str, watermark, rows: int) -> None:
    quoted = rollup.name.replace("'", "''")
    writer.run(f"DELETE FROM {STATE_TABLE} WHERE name = '{quoted}'")
    day = _date_sql(watermark, writer.dialect) if watermark else "NULL"
    writer.run(f"INSERT INTO {STATE_TABLE} VALUES ('{quoted}', '{definition}', '{rollup.table_name}', "
               f"{day}, {rows})")


def _date_sql(day: dt.date, dialect: str) -> str:
    return f"toDate('{day.isoformat()}')" if dialect == "clickhouse" else f"DATE '{day.isoformat()}'"


def _base_days(model: SemanticModel, rollup: RollupTable, writer: RollupWriter):
    """The first and last day of the rollup's measures in the base data (None, None when empty)."""
    table = model.tables[rollup.semantic_model]
    measure = model.measure(rollup.measures[0])[1]
    day = model_expression(table.dimension(measure.agg_time_dimension).column_expr, table.name, model.dialect)
    source = table_source(model, table)
    bounds = [aliased(exp.Min(this=day), "first_day"), aliased(exp.Max(this=day.copy()), "last_day")]
    select = select_node(bounds, source)
    if table.sql:
        prune_unused_columns(select, source, table.name)
    first, last = writer.run(select.sql(dialect=writer.dialect) + _settings(writer))[0]
    return _as_date(first), _as_date(last)


def _months(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """``start..end`` cut at month ends: the build's partitions."""
    parts, day = [], start
    while day <= end:
        next_month = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        parts.append((day, min(end, next_month - dt.timedelta(days=1))))
        day = next_month
    return parts
