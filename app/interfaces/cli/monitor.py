"""``asklytics monitor``: watch a metric on a schedule and post its new anomalies, explained, to Slack
and/or a webhook (docs/monitors.md) -- add, list, remove, run."""
from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from app.interfaces.cli.common import cli_actor, console, fail, load_settings, print_json

monitor_app = typer.Typer(no_args_is_help=True, help="Monitors: add, list, remove, run.")
ScopeOption = Annotated[str, typer.Option("--scope", help="The tenant scope it belongs to (its access "
                                                           "policy applies to the runs).")]


def _database(settings):
    from app.engine.app_database import open_app_database
    from appdb import DatabaseError

    try:
        return open_app_database(settings)
    except DatabaseError as exc:
        fail(exc.message)


@monitor_app.command("add")
def add(
    name: Annotated[str, typer.Option("--name", help="What the digest calls it.")],
    metric: Annotated[str, typer.Option("--metric", help="A metric of `asklytics metrics list`.")],
    schedule: Annotated[str, typer.Option("--schedule", help="'hourly', 'hourly:MM', 'daily HH:MM' or "
                                                             "'weekly DAY HH:MM' (UTC).")],
    where: Annotated[list[str] | None, typer.Option("--where", help="Filter, e.g. \"platform = 'iOS'\" "
                                                    "(repeat to AND).")] = None,
    grain: Annotated[str, typer.Option("--grain", help="day, week or month.")] = "day",
    dimension: Annotated[list[str] | None, typer.Option("--dimension", help="Explain anomalies by this "
                                                        "dimension (repeat; default: all).")] = None,
    lookback: Annotated[int | None, typer.Option(
        "--lookback", min=1, max=90,
        help="Alert on anomalies of the last N points (default 7 days, 4 weeks, 3 months).")] = None,
    threshold: Annotated[str | None, typer.Option(
        "--threshold", help="Also alert when a point is past this: '> 5%' (a ratio), '< 1000', "
        "'below 1000'.")] = None,
    slack_channel: Annotated[str | None, typer.Option("--slack-channel", help="Slack channel id.")] = None,
    webhook: Annotated[str | None, typer.Option("--webhook",
                                                help="URL that receives the digest as JSON.")] = None,
    scope: ScopeOption = "default",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Add a monitor; it first runs at the next time its schedule names."""
    from pydantic import ValidationError

    from app.engine.monitors import parse_threshold
    from app.engine.semantic_source import load_configured_model
    from app.interfaces.shared.monitors.service import MonitorIn, add_monitor
    from common.errors import AsklyticsError
    from semantic_layer import parse_filter

    settings = load_settings()
    try:
        request = MonitorIn(name=name, metric=metric, filters=[parse_filter(w) for w in where or ()],
                            grain=grain, dimensions=dimension or [], lookback=lookback, schedule=schedule,
                            threshold=parse_threshold(threshold) if threshold else None,
                            slack_channel=slack_channel, webhook_url=webhook)
        model = load_configured_model(settings)
        database = _database(settings)
        added = add_monitor(database, model, request, scope=scope, owner=cli_actor())
    except ValidationError as exc:
        fail("; ".join(f"{'.'.join(map(str, e['loc'])) or 'monitor'}: {e['msg']}" for e in exc.errors()))
    except AsklyticsError as exc:
        fail(exc.message)
    database.close()
    if as_json:
        print_json(added.model_dump(mode="json"))
        return
    console.print(f"added monitor [bold]{added.id}[/] ({added.name}); next run "
                  f"{added.next_run_at:%Y-%m-%d %H:%M} UTC", highlight=False)


@monitor_app.command("list")
def list_command(scope: Annotated[str | None, typer.Option("--scope", help="Only this tenant.")] = None,
                 as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The active monitors, with their next and last run."""
    from app.interfaces.shared.monitors.service import list_monitors

    database = _database(load_settings())
    monitors = list_monitors(database, scope)
    database.close()
    if as_json:
        print_json([m.model_dump(mode="json") for m in monitors])
        return
    table = Table("id", "name", "scope", "series", "schedule", "audience", "next run (UTC)", "last run",
                  title=f"{len(monitors)} monitors")
    for m in monitors:
        series = f"{m.metric} by {m.grain}" + (f" where {' and '.join(m.filters)}" if m.filters else "")
        series += f"; alert if {m.threshold.op} {m.threshold.value:g}" if m.threshold else ""
        audience = ", ".join(a for a in (m.slack_channel and f"slack {m.slack_channel}",
                                         m.webhook_url and "webhook") if a)
        last = f"{m.last_status} {m.last_run_at:%Y-%m-%d %H:%M}" if m.last_run_at else "never"
        table.add_row(m.id, m.name, m.scope, series, m.schedule, audience,
                      f"{m.next_run_at:%Y-%m-%d %H:%M}" if m.next_run_at else "", last)
    console.print(table)


@monitor_app.command("remove")
def remove(monitor_id: Annotated[str, typer.Argument(help="An id from `asklytics monitor list`.")]) -> None:
    """Stop a monitor (what it posted stays recorded; the removal is audited)."""
    from app.interfaces.shared.monitors.service import remove_monitor
    from common.errors import AsklyticsError

    database = _database(load_settings())
    try:
        remove_monitor(database, monitor_id, actor=cli_actor())
    except AsklyticsError as exc:
        fail(f"{exc.message}; see `asklytics monitor list`")
    finally:
        database.close()
    console.print(f"removed {monitor_id}")


@monitor_app.command("run")
def run(
    due: Annotated[bool, typer.Option("--due",
                                      help="Run the monitors whose time has come (the default).")] = False,
    monitor_id: Annotated[str | None, typer.Option("--id", help="Run this monitor now, due or not.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the digests; post and record nothing "
                                          "(with --id).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Evaluate monitors, post one digest per audience, record what was posted."""
    from app.engine.assistant import Assistant
    from app.interfaces.shared.monitors.runner import MonitorRunner
    from common.errors import AsklyticsError

    if due and monitor_id:
        fail("give --due or --id ID, not both")
    if dry_run and not monitor_id:
        fail("--dry-run needs --id ID (a dry run of every due monitor would move no schedule anyway)")
    settings = load_settings()
    database = _database(settings)
    assistant: list[Assistant] = []

    def shared_assistant() -> Assistant:  # built only when a monitor is run
        if not assistant:
            assistant.append(Assistant(settings, database=database))
        return assistant[0]

    runner = MonitorRunner(settings, database, shared_assistant)
    try:
        report = runner.run_one(monitor_id, dry_run=dry_run) if monitor_id else runner.run_due()
    except AsklyticsError as exc:
        fail(exc.message)
    finally:
        for built in assistant:
            built.close()
        database.close()
    _print_report(report, as_json, dry_run)
    if any(o.status != "ok" for o in report.monitors):
        raise typer.Exit(1)


def _print_report(report, as_json: bool, dry_run: bool) -> None:
    if as_json:
        print_json({"runner": report.runner, "skipped": report.skipped, "digests": report.digests,
                    "monitors": [vars(o) for o in report.monitors]})
        return
    if report.skipped:
        console.print(f"another runner is running {', '.join(report.skipped)}; not run here", highlight=False)
    if not report.monitors and not report.skipped:
        console.print("no monitor is due")
    for o in report.monitors:
        where = ", ".join(o.posted_to) or ("nowhere (dry run)" if dry_run else "nowhere")
        plural = "y" if o.new_anomalies == 1 else "ies"
        line = f"{o.id} ({o.name}): {o.status}, {o.new_anomalies} new anomal{plural}"
        console.print(line + f", posted to {where}" + (f" -- {o.error}" if o.error else ""), highlight=False)
    if dry_run:
        print_json(report.digests)
