"""``asklytics model``: a first semantic model for a warehouse nobody described yet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.interfaces.cli.common import console, fail, load_settings
from app.interfaces.cli.model_describe import add_descriptions, describer_or_fail, with_describe_note

model_app = typer.Typer(no_args_is_help=True, help="Bootstrap a semantic model from the warehouse.")


@model_app.command("init")
def init(
    out: Annotated[Path, typer.Option("--out", help="Where to write the model YAML.")] = Path("model.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
    describe: Annotated[
        bool, typer.Option("--describe", help="Ask the configured LLM for descriptions and synonyms.")
    ] = False,
) -> None:
    """Introspect the configured warehouse (tables, types, keys and joins by value containment, time
    columns, low-cardinality text columns, numbers) and write a commented model to edit."""
    from app.engine.warehouse import open_warehouse
    from semantic_layer import SemanticModel, check_against_schema
    from semantic_layer.bootstrap import bootstrap_model, render_yaml
    from semantic_layer.loader import validate_model_file
    from semantic_layer.rollup_build import without_rollups
    from warehouse.errors import WarehouseError

    if out.exists() and not force:
        fail(f"{out} exists; pass --force to overwrite it, or --out another file")
    settings = load_settings()
    describer = describer_or_fail(settings) if describe else None
    notes, described = [], False
    try:
        with open_warehouse(settings) as wh:
            schema = without_rollups(wh.schema(), wh)  # built from the data, not from our rollups
            if not schema.table_names():
                fail(
                    "the warehouse has no tables: import your data first (`asklytics import FILES --into "
                    "FILE.duckdb`, docs/own-data.md)"
                )
            with console.status("reading the warehouse") as status:
                model = bootstrap_model(
                    schema,
                    lambda sql: wh.execute(sql).rows,
                    dialect=wh.dialect,
                    progress=lambda table: status.update(f"reading {table}"),
                )
                if describer is not None:
                    notes, described = add_descriptions(
                        model, schema, lambda sql: wh.execute(sql).rows, describer, status
                    )
            source = (
                settings.resolved_warehouse_path() if settings.warehouse != "clickhouse" else "ClickHouse"
            )
            try:
                text = render_yaml(model, str(source))
                out.write_text(with_describe_note(text, describer) if described else text, encoding="utf-8")
            except OSError as exc:
                fail(f"cannot write {out}: {exc.strerror}")
            spec, problems = validate_model_file(out)
            if spec is not None and not problems:
                problems = check_against_schema(SemanticModel(spec, out), schema, wh)
    except WarehouseError as exc:
        fail(exc.message)
    tables = len(model["semantic_models"])
    console.print(
        f"[green]✓[/] wrote {out}: {tables} tables, {len(model['metrics'])} metrics, "
        f"{sum(len(t.get('dimensions', [])) for t in model['semantic_models'])} dimensions"
    )
    for note in notes:
        console.print(note, highlight=False)
    for problem in problems:
        console.print(
            f"[yellow]![/] {problem.path}: {problem.message} (fix: {problem.hint})", highlight=False
        )
    console.print(
        f"next: edit {out} (descriptions, units, synonyms, ratio metrics), then "
        f"ASKLYTICS_SEMANTIC_MODEL={out} asklytics metrics validate"
    )


@model_app.command("import-dbt")
def import_dbt(
    path: Annotated[Path, typer.Argument(help="The dbt project folder (or one of its YAML files).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model YAML.")] = Path("model.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
    dialect: Annotated[str, typer.Option("--dialect", help="The SQL dialect of the project's expressions "
                                         "(a sqlglot name: duckdb, clickhouse, snowflake, ...).")] = "duckdb",
) -> None:
    """Translate a dbt project's MetricFlow semantic_models and metrics into an Asklytics model; what
    Asklytics cannot express is listed, and written as `# skipped:` comments."""
    import sqlglot
    from rich.markup import escape

    from semantic_layer.dbt_import import DbtImportError, import_dbt_project, render_yaml
    from semantic_layer.loader import validate_model_file

    if out.exists() and not force:
        fail(f"{out} exists; pass --force to overwrite it, or --out another file")
    try:
        sqlglot.Dialect.get_or_raise(dialect)
    except ValueError:
        fail(f"unknown --dialect {dialect!r}; use a sqlglot dialect name such as duckdb or clickhouse")
    try:
        result = import_dbt_project(path, dialect=dialect, exclude=out)
    except DbtImportError as exc:
        fail(escape(str(exc)))
    try:
        out.write_text(render_yaml(result, str(path)), encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror}")
    _, problems = validate_model_file(out)
    model = result.model
    console.print(
        f"[green]✓[/] wrote {out}: {len(model['semantic_models'])} semantic models, {len(model['metrics'])} "
        f"metrics, {sum(len(t.get('dimensions', [])) for t in model['semantic_models'])} dimensions"
    )
    if result.skipped:
        console.print(f"[yellow]![/] skipped {len(result.skipped)} (Asklytics cannot express them; listed as "
                      f"`# skipped:` in {out}):", highlight=False)
    for item in result.skipped:
        console.print(f"  - {escape(str(item))}", highlight=False)
    for item in result.notes:
        console.print(f"note: {escape(str(item))}", highlight=False)
    for problem in problems:
        console.print(f"[red]✗[/] {escape(str(problem))}", highlight=False)
    if problems:
        fail(f"{out} does not pass validation ({len(problems)} problem(s)); fix it, then run "
             f"`asklytics metrics validate --path {out}`")
    console.print(f"next: check it against your warehouse: ASKLYTICS_SEMANTIC_MODEL={out} asklytics metrics "
                  "validate")
