"""Adding, listing and removing monitors: what the CLI and ``/api/v1/monitors`` share. Input is
checked before anything is stored (the metric and dimensions against the semantic model, the
schedule, the audience), and every error is a RequestError with a message saying what to change."""
from __future__ import annotations

import datetime as dt
import re
import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.engine.monitors import MonitorSeries, Threshold, parse_schedule
from app.interfaces.shared.errors import RequestError
from app.interfaces.shared.monitors.delivery import webhook_problem
from appdb import Database
from appdb import monitors as rows
from common.errors import AsklyticsError
from semantic_layer import Filter, SemanticModel

_CHANNEL = re.compile(r"^[#@]?[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


class MonitorIn(BaseModel):
    """A monitor: the series watched, when it runs, where its digest goes."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200, examples=["iOS installs"])
    metric: str = Field(min_length=1, max_length=200, examples=["installs"])
    filters: list[Filter] = Field(default_factory=list, max_length=20)
    grain: Literal["day", "week", "month"] = "day"
    dimensions: list[str] = Field(default_factory=list, max_length=10,
                                  description="Explain anomalies by these dimensions only (default: all).")
    lookback: int | None = Field(None, ge=1, le=90, description="Alert on anomalies of the last N points "
                                 "(default 7 days, 4 weeks, 3 months).")
    threshold: Threshold | None = Field(None, description="Also alert on every point of the window past "
                                        "this value (a ratio as a fraction: 0.05 for 5%).")
    schedule: str = Field(max_length=64, examples=["daily 08:00"],
                          description="'hourly', 'hourly:MM', 'daily HH:MM' or 'weekly DAY HH:MM', in UTC.")
    slack_channel: str | None = Field(None, max_length=80, examples=["C0123456789"])
    webhook_url: str | None = Field(None, max_length=2000, examples=["https://hooks.example.com/asklytics"])

    def series(self) -> MonitorSeries:
        return MonitorSeries(metric=self.metric, filters=self.filters, grain=self.grain,
                             dimensions=self.dimensions, lookback=self.lookback, threshold=self.threshold)


class MonitorOut(BaseModel):
    id: str
    name: str
    scope: str
    owner: str | None = None
    question: str | None = None
    metric: str
    filters: list[str]
    grain: str
    dimensions: list[str]
    lookback: int
    threshold: Threshold | None = None
    schedule: str
    slack_channel: str | None = None
    webhook_url: str | None = None
    next_run_at: dt.datetime | None = None
    last_run_at: dt.datetime | None = None
    last_status: str | None = None
    last_error: str | None = None


def _moment(value: float | None) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(value, dt.UTC) if value is not None else None


def monitor_out(row: dict) -> MonitorOut:
    series = MonitorSeries.from_row(row)
    return MonitorOut(id=row["id"], name=row["name"], scope=row["scope"], owner=row.get("owner"),
                      question=row.get("question"), metric=series.metric,
                      filters=[f.to_text() for f in series.filters], grain=series.grain,
                      dimensions=series.dimensions, lookback=series.window, threshold=series.threshold,
                      schedule=row["schedule"],
                      slack_channel=row.get("slack_channel"), webhook_url=row.get("webhook_url"),
                      next_run_at=_moment(row.get("next_run_at")),
                      last_run_at=_moment(row.get("last_run_at")), last_status=row.get("last_status"),
                      last_error=row.get("last_error"))


def _not_found(monitor_id: str, scope: str | None) -> RequestError:
    return RequestError(404, "not_found", f"no monitor {monitor_id!r}" + (" in your scope" if scope else ""))


def _invalid(message: str) -> RequestError:
    return RequestError(422, "invalid_monitor", message)


def check_monitor(request: MonitorIn, model: SemanticModel) -> None:
    """RequestError 422 naming the first problem."""
    try:
        request.series().check(model)
        parse_schedule(request.schedule)
    except AsklyticsError as exc:
        raise _invalid(exc.message) from None
    if not (request.slack_channel or request.webhook_url):
        raise _invalid("give an audience: a Slack channel, a webhook URL, or both")
    if request.slack_channel and not _CHANNEL.match(request.slack_channel):
        raise _invalid(f"{request.slack_channel!r} is not a Slack channel id or name (e.g. C0123456789)")
    problem = webhook_problem(request.webhook_url) if request.webhook_url else None
    if problem:
        raise _invalid(problem)


def add_monitor(database: Database, model: SemanticModel, request: MonitorIn, *, scope: str, owner: str,
                key_id: str | None = None, now: float | None = None) -> MonitorOut:
    check_monitor(request, model)
    series = request.series()
    stored, condition = series.stored()
    schedule = parse_schedule(request.schedule)
    with database.begin() as connection:
        monitor_id = rows.add_monitor(
            connection, scope=scope, name=request.name, question=series.question(), series=stored,
            schedule=schedule.text, condition=condition, owner=owner, key_id=key_id,
            slack_channel=request.slack_channel, webhook_url=request.webhook_url,
            next_run_at=schedule.next_timestamp(time.time() if now is None else now))
        return monitor_out(rows.get_monitor(connection, monitor_id))


def list_monitors(database: Database, scope: str | None = None) -> list[MonitorOut]:
    with database.connect() as connection:
        return [monitor_out(row) for row in rows.list_monitors(connection, scope)]


def get_monitor(database: Database, monitor_id: str, scope: str | None = None) -> MonitorOut:
    with database.connect() as connection:
        row = rows.get_monitor(connection, monitor_id, scope)
    if row is None:
        raise _not_found(monitor_id, scope)
    return monitor_out(row)


def remove_monitor(database: Database, monitor_id: str, *, actor: str, scope: str | None = None) -> None:
    with database.begin() as connection:
        removed = rows.remove_monitor(connection, monitor_id, actor=actor, scope=scope)
    if not removed:
        raise _not_found(monitor_id, scope)
