"""``asklytics eval``: accuracy by execution, on our suites or a public benchmark.

Suites (``--suite``, repeatable) run through the same service call as the API
and are scored on the configured warehouse; ``--spider DEV.json --db-dir DIR``
runs a Spider/BIRD dev file against its SQLite databases. The command exits 0
whenever it ran, unless ``--min-accuracy`` is given and a suite falls below it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from app.interfaces.cli.common import console, fail, load_settings
from warehouse.errors import WarehouseError

PlannerChoice = Literal["offline", "llm", "auto"]
# Scoring re-runs gold and answer SQL with a row cap far above any suite's results.
SCORING_MAX_ROWS = 100_000


def eval_command(
    suite: Annotated[list[Path] | None, typer.Option("--suite", help="Suite YAML file (repeatable).")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write the JSON report here.")] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write an HTML report with per-case details.")
    ] = None,
    planner: Annotated[
        PlannerChoice | None, typer.Option("--planner", help="offline or llm (default: settings).")
    ] = None,
    min_accuracy: Annotated[
        float | None,
        typer.Option("--min-accuracy", min=0.0, max=1.0, help="Exit 1 when a suite scores below this."),
    ] = None,
    spider: Annotated[Path | None, typer.Option("--spider", help="Spider/BIRD-format dev JSON file.")] = None,
    db_dir: Annotated[
        Path | None, typer.Option("--db-dir", help="Folder of <db_id>/<db_id>.sqlite files.")
    ] = None,
    fixture: Annotated[
        list[str] | None,
        typer.Option("--fixture", help="A fixture warehouse (appsflyer, flights): built in a temporary "
                     "folder, then its suite runs on it with its own model (repeatable); NAME=SUITE.yaml "
                     "runs another suite on that fixture."),
    ] = None,
    asker: Annotated[
        str | None, typer.Option("--asker", hidden=True, help="module:callable asker factory.")
    ] = None,
    verified: Annotated[
        bool, typer.Option("--verified", help="Replay the verified queries of --verified-scope (planned "
                           "afresh, scored against their verified SQL): catches regressions.")
    ] = False,
    verified_scope: Annotated[str, typer.Option("--verified-scope", help="Their tenant scope.")] = "default",
) -> None:
    """Score the assistant by execution on eval suites or a Spider/BIRD dev set."""
    from evals.askers import load_asker_factory
    from evals.suite import SuiteError

    settings = load_settings(planner=planner)
    suite = list(suite or []) + ([_verified_suite(settings, verified_scope)] if verified else [])
    if not suite and spider is None and not fixture:
        fail("give at least one --suite FILE or --fixture NAME, or --spider DEV.json --db-dir DIR")
    if spider is not None and db_dir is None:
        fail("--spider needs --db-dir, the folder holding one SQLite file per db_id")
    try:
        factory = load_asker_factory(asker)
        reports = _run_suites(suite or [], settings, factory)
        reports += _run_fixtures(fixture or [], settings, factory)
        reports += _run_spider(spider, db_dir, settings, factory)
    except (SuiteError, ValueError, TypeError) as exc:
        fail(str(exc))
    except WarehouseError as exc:
        fail(exc.message, code=2)
    _write_reports(reports, report, html)
    _enforce_floor(reports, min_accuracy)


def _verified_suite(settings, scope: str) -> Path:
    """The tenant's verified queries as a suite file (``asklytics verified export``'s)."""
    import tempfile

    from app.engine.app_database import open_app_database
    from app.interfaces.cli.verified import suite_yaml
    from appdb import DatabaseError
    from appdb.verified import list_verified

    try:
        database = open_app_database(settings)
    except DatabaseError as exc:
        fail(exc.message)
    with database.connect() as connection:
        rows = [r for r in list_verified(connection, scope) if r["sql"]]
    database.close()
    if not rows:
        fail(f"no verified queries with SQL in scope {scope!r}; add some with `asklytics verified add`")
    descriptor, name = tempfile.mkstemp(suffix=".yaml", prefix="verified-")
    with open(descriptor, "w", encoding="utf-8") as handle:
        handle.write(suite_yaml(rows, scope, settings))
    return Path(name)


def _run_suites(paths: list[Path], settings, factory) -> list[dict[str, Any]]:
    from evals.suite import load_suite

    return [_run_one_suite(load_suite(path), settings, factory) for path in paths]


def _run_fixtures(names: list[str], settings, factory) -> list[dict[str, Any]]:
    """Each fixture's suite on its own warehouse and model, exactly as a user's configured one."""
    import tempfile

    from evals.fixtures import build_fixture
    from evals.suite import load_suite

    reports = []
    for spec in names:
        name, _, suite_file = spec.partition("=")
        with tempfile.TemporaryDirectory(prefix=f"asklytics-{name}-") as folder:
            with console.status(f"building the {name} fixture warehouse"):
                fixture = build_fixture(name, Path(folder))
            configured = settings.model_copy(update={
                "demo": False, "warehouse": "duckdb", "warehouse_path": fixture.warehouse_path,
                "semantic_model": fixture.model_path, "as_of": fixture.as_of})
            suite = load_suite(Path(suite_file) if suite_file else fixture.suite_path)
            reports.append(_run_one_suite(suite, configured, factory))
    return reports


def _run_one_suite(suite, settings, factory) -> dict[str, Any]:
    from app.engine.warehouse import open_warehouse
    from evals.askers import close_asker
    from evals.console import print_summary, progress_bar
    from evals.report import suite_report
    from evals.runner import run_suite

    suite_settings = settings.model_copy(update={"as_of": suite.as_of or settings.as_of})
    if suite.warehouse == "demo" and not settings.demo:
        # a demo suite asks about the demo, whatever warehouse the settings serve
        suite_settings = suite_settings.model_copy(update={"demo": True, "semantic_model": None,
                                                           "warehouse_path": None, "warehouse": "duckdb"})
    scoring = open_warehouse(suite_settings.model_copy(update={"max_rows": SCORING_MAX_ROWS}))
    asker = _open_asker(factory, suite_settings, None)
    try:
        with progress_bar(console, suite.name, len(suite.cases)) as on_case:
            run = run_suite(suite, asker, scoring, planner=settings.planner, on_case=on_case)
    finally:
        close_asker(asker)
        scoring.close()
    report = suite_report(run)
    print_summary(console, report, report["by_tag"])
    return report


def _run_spider(path: Path | None, db_dir: Path | None, settings, factory) -> list[dict[str, Any]]:
    if path is None:
        return []
    from evals.console import print_summary, progress_bar
    from evals.spider import benchmark_report, load_benchmark, run_benchmark

    benchmark = load_benchmark(path)

    def asker_for(db_path: Path, warehouse):
        # Spider/BIRD questions go to SQL; the semantic model is the demo's, as before, only so the
        # assistant has one (its metrics name nothing in these databases)
        from semantic_layer import DEMO_MODEL_PATH

        db_settings = settings.model_copy(update={"warehouse_path": db_path, "demo": False, "as_of": None,
                                                  "semantic_model": DEMO_MODEL_PATH})
        return _open_asker(factory, db_settings, warehouse)

    with progress_bar(console, benchmark.name, len(benchmark.cases)) as on_case:
        run = run_benchmark(benchmark, db_dir, asker_for, planner=settings.planner, on_case=on_case)
    report = benchmark_report(run)
    print_summary(console, report, report["by_difficulty"] or report["by_database"])
    return [report]


def _open_asker(factory, settings, warehouse):
    try:
        return factory(settings, warehouse)
    except ImportError as exc:
        fail(f"the ask pipeline is not available ({exc}); is app.engine.assistant installed?")


def _write_reports(reports: list[dict[str, Any]], report: Path | None, html: Path | None) -> None:
    from evals.report import combined_report, write_json
    from evals.report_html import write_html

    if report is not None:
        console.print(f"JSON report: {write_json(report, combined_report(reports))}")
    if html is not None:
        console.print(f"HTML report: {write_html(html, reports)}")


def _enforce_floor(reports: list[dict[str, Any]], floor: float | None) -> None:
    from evals.gate import shortfalls

    if floor is None:
        return
    messages = shortfalls(reports, floor)
    for message in messages:
        console.print(f"[bold red]{message}[/]")
    if messages:
        raise typer.Exit(1)
