"""``asklytics sql check|run``: the SQL guard from the command line.

``check`` prints the guard's verdict as JSON (exit 0 accepted, 1 refused);
``run`` guards, executes on the configured warehouse and prints the rows.
A missing or unreachable warehouse exits 2 with the step that fixes it.
"""
from __future__ import annotations

import datetime as dt
import decimal
import math
import uuid
from typing import Annotated, Any, Literal

import typer
from rich.table import Table

from app.interfaces.cli.common import console, fail, load_settings, print_json, record_audit
from warehouse.errors import WarehouseError, WarehouseUnavailable
from warehouse.guard import GuardError, guard_sql

sql_app = typer.Typer(no_args_is_help=True, help="Check SQL with the guard, or run it.")

Dialect = Literal["duckdb", "clickhouse", "sqlite"]
SqlArg = Annotated[str, typer.Argument(help="One SQL statement.")]
DialectOpt = Annotated[Dialect | None, typer.Option(
    "--dialect", help="Dialect the SQL is written in (default: the warehouse's).")]
MaxRowsOpt = Annotated[int | None, typer.Option(
    "--max-rows", min=1, help="Row cap (default: ASKLYTICS_MAX_ROWS).")]


def _open_configured_warehouse(max_rows: int | None):
    settings = load_settings(max_rows=max_rows)
    from app.engine.warehouse import open_warehouse

    try:
        return settings, open_warehouse(settings)
    except WarehouseUnavailable as exc:
        fail(exc.message, code=2)  # the connector's message already names the fix


def _guard_for(warehouse, sql: str, dialect: str | None, target: str | None, max_rows: int):
    return guard_sql(sql, schema=warehouse.schema(), dialect=dialect or warehouse.dialect,
                     target_dialect=target or warehouse.dialect, max_rows=max_rows)


@sql_app.command("check")
def check(
    sql: SqlArg,
    dialect: DialectOpt = None,
    target: Annotated[Dialect | None, typer.Option(
        "--target", help="Dialect to emit (default: the warehouse's).")] = None,
    max_rows: MaxRowsOpt = None,
) -> None:
    """Print {"ok", "sql", "error"} for SQL; exit 0 when accepted, 1 when refused."""
    settings, warehouse = _open_configured_warehouse(max_rows)
    try:
        guarded = _guard_for(warehouse, sql, dialect, target, settings.max_rows)
    except GuardError as refused:
        print_json({"ok": False, "sql": None, "error": refused.to_dict()})
        raise typer.Exit(1) from None
    except WarehouseError as exc:
        fail(exc.message, code=2)
    finally:
        warehouse.close()
    print_json({"ok": True, "sql": guarded.sql, "error": None})


@sql_app.command("run")
def run(
    sql: SqlArg,
    dialect: DialectOpt = None,
    max_rows: MaxRowsOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print columns/rows as JSON.")] = False,
) -> None:
    """Guard SQL, run it on the configured warehouse and print the rows."""
    settings, warehouse = _open_configured_warehouse(max_rows)
    try:
        # One row over the cap lets the connector tell "exactly N rows" from
        # "more than N" (it keeps max_rows and sets ``truncated``).
        guarded = _guard_for(warehouse, sql, dialect, None, settings.max_rows + 1)
        result = warehouse.execute(guarded.sql)
    except GuardError as refused:
        fail(f"{refused.code}: {refused}")
    except WarehouseError as exc:
        fail(f"{exc.code}: {exc.message}")
    finally:
        warehouse.close()
    record_audit(settings, "sql_run", detail={"sql": guarded.sql, "rows": result.row_count})
    if as_json:
        print_json(_result_payload(result, guarded.sql))
    else:
        _print_table(result)


def _result_payload(result, sql: str) -> dict[str, Any]:
    return {
        "columns": [{"name": c.name, "type": c.type} for c in result.columns],
        "rows": [[json_safe(v) for v in row] for row in result.rows],
        "row_count": result.row_count,
        "truncated": result.truncated or bool(result.truncation),
        "truncation": list(result.truncation),
        "sql": sql,
    }


def json_safe(value: Any) -> Any:
    """A cell as plain JSON: ISO dates, floats for decimals, null for NaN/inf."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        return json_safe(float(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (dt.timedelta, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    return value


def _print_table(result) -> None:
    table = Table(*(c.name for c in result.columns), show_lines=False)
    for row in result.rows:
        table.add_row(*("NULL" if v is None else str(json_safe(v)) for v in row))
    console.print(table)
    suffix = f" (truncated at {result.row_count} rows)" if result.truncated else ""
    suffix += " (long values cut)" if "max_cell_bytes" in result.truncation else ""
    console.print(f"{result.row_count} row{'s' if result.row_count != 1 else ''}{suffix}")
