"""``asklytics metrics``: list the catalog, validate a model file, query metrics."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from app.interfaces.cli.common import console, fail, load_settings, print_json

metrics_app = typer.Typer(no_args_is_help=True, help="The semantic layer: list, validate, query metrics.")

ModelOption = Annotated[Path | None,
                        typer.Option("--model", help="Semantic model YAML file or folder (default: "
                                     "ASKLYTICS_SEMANTIC_MODEL, else the demo model).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _model_path(path: Path | None) -> Path:
    from app.engine.semantic_source import semantic_model_path
    from common.errors import ConfigurationError

    try:
        return path or semantic_model_path(load_settings())
    except ConfigurationError as exc:
        fail(exc.message)


def _load_model(path: Path | None):
    from semantic_layer import SemanticModelError, load_semantic_model

    try:
        return load_semantic_model(_model_path(path))
    except SemanticModelError as exc:
        fail(f"{exc}\nrun `asklytics metrics validate --path FILE` for details")


@metrics_app.command("list")
def list_metrics(model: ModelOption = None, as_json: JsonOption = False) -> None:
    """The metric catalog: name, type, units and description."""
    semantic_model = _load_model(model)
    metrics = list(semantic_model.metrics.values())
    if as_json:
        print_json([{"name": m.name, "type": m.type, "units": m.units, "description": m.description,
                     "synonyms": list(m.synonyms)} for m in metrics])
        return
    table = Table("name", "type", "units", "description", title=f"{len(metrics)} metrics")
    for metric in metrics:
        table.add_row(metric.name, metric.type, metric.units or "", metric.description)
    console.print(table)
    console.print("dimensions: " + ", ".join(semantic_model.dimensions))


@metrics_app.command("validate")
def validate(
    path: Annotated[Path | None, typer.Option("--path", help="Model file or folder to check.")] = None,
    warehouse: Annotated[bool, typer.Option(
        "--warehouse/--no-warehouse",
        help="Also check it against the configured warehouse: tables, columns, types, join keys.")] = True,
) -> None:
    """Run every validation rule, then check the model against the warehouse; exit 1 on a problem."""
    from semantic_layer import SemanticModel
    from semantic_layer.loader import validate_model_file

    target = _model_path(path)
    spec, violations = validate_model_file(target)
    if not violations and spec is not None and warehouse:
        violations = _check_against_warehouse(SemanticModel(spec, target))
    for violation in violations:
        console.print(f"[red]✗[/] {violation.file}: [bold]{violation.path or '(file)'}[/]: "
                      f"{violation.message}\n    fix: {violation.hint}", highlight=False)
    if violations:
        raise typer.Exit(1)
    checked = " and the warehouse it queries" if warehouse else ""
    console.print(f"[green]✓[/] {target}{checked}: no problems")


def _check_against_warehouse(model):
    """The model against the configured warehouse: its schema, and the queries of its `sql:` models."""
    from app.engine.warehouse import open_warehouse
    from semantic_layer import check_against_schema
    from warehouse.errors import WarehouseError

    try:
        with open_warehouse(load_settings()) as wh:
            return check_against_schema(model, wh.schema(), wh)
    except WarehouseError as exc:
        fail(f"{exc.message}\n(use --no-warehouse to check the model file alone)")


@metrics_app.command("query")
def query(
    metric: Annotated[list[str], typer.Option("--metric", "-m", help="Metric name; repeat for several.")],
    by: Annotated[list[str] | None, typer.Option("--by", help="Dimension to group by; repeatable.")] = None,
    grain: Annotated[str | None,
                     typer.Option("--grain", help="Time grain: day, week, month, quarter, year.")] = None,
    where: Annotated[list[str] | None,
                     typer.Option("--where", help="Filter, e.g. \"platform = 'iOS'\".")] = None,
    date_from: Annotated[dt.datetime | None, typer.Option("--from", formats=["%Y-%m-%d"])] = None,
    date_to: Annotated[dt.datetime | None, typer.Option("--to", formats=["%Y-%m-%d"])] = None,
    order: Annotated[list[str] | None,
                     typer.Option("--order", help="Field; prefix '-' for descending.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1)] = None,
    explain_only: Annotated[bool, typer.Option("--explain", help="Print the SQL; do not run it.")] = False,
    as_json: JsonOption = False,
    model: ModelOption = None,
) -> None:
    """Compute metrics on the configured warehouse."""
    from semantic_layer import SemanticQueryError

    semantic_model = _load_model(model)
    try:
        semantic_query = _build_query(metric, by, grain, where, date_from, date_to, order, limit)
        settings = load_settings()
        if explain_only:
            _print_explain(semantic_model, semantic_query, settings)
            return
        _run_and_print(semantic_model, semantic_query, settings, as_json)
    except SemanticQueryError as exc:
        fail(exc.message)


def _build_query(metrics, by, grain, where, date_from, date_to, order, limit):
    from semantic_layer import OrderBy, SemanticQuery, SemanticQueryError, parse_filter

    if (date_from is None) != (date_to is None):
        raise SemanticQueryError("give both --from and --to (YYYY-MM-DD), or neither")
    time_range = (date_from.date(), date_to.date()) if date_from else None
    orders = [OrderBy(field=o.lstrip("-+"), direction="desc" if o.startswith("-") else "asc")
              for o in order or ()]
    return SemanticQuery(metrics=metrics, dimensions=by or (), grain=grain, time_range=time_range,
                         limit=limit, filters=[parse_filter(text) for text in where or ()],
                         order_by=orders)


def _print_explain(semantic_model, semantic_query, settings) -> None:
    from semantic_layer import explain
    from warehouse.registry import engine_class

    dialect = engine_class(settings.warehouse).dialect
    console.print(explain(semantic_model, semantic_query, dialect), highlight=False, soft_wrap=True)


def _run_and_print(semantic_model, semantic_query, settings, as_json: bool) -> None:
    from app.engine.warehouse import open_warehouse
    from semantic_layer import explain, run_query
    from warehouse.errors import WarehouseError
    from warehouse.guard import GuardError

    try:
        with open_warehouse(settings) as warehouse:
            result = run_query(semantic_model, semantic_query, warehouse, max_rows=settings.max_rows)
            sql = explain(semantic_model, semantic_query, warehouse.dialect, schema=warehouse.schema(),
                          max_rows=settings.max_rows)
    except (WarehouseError, GuardError) as exc:
        fail(getattr(exc, "message", str(exc)))
    if as_json:
        print_json({"semantic_query": semantic_query.to_contract(), "sql": sql,
                    "columns": [{"name": c.name, "type": c.type} for c in result.columns],
                    "rows": [list(r) for r in result.rows], "row_count": result.row_count,
                    "truncated": result.truncated})
        return
    table = Table(*result.column_names())
    for row in result.rows:
        table.add_row(*[_cell(v) for v in row])
    console.print(table)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.4f}"
    return "" if value is None else str(value)
