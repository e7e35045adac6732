"""One monitor run's findings: the anomalies of its series (``detect_anomalies``) that are new enough
to alert on, and the points past its threshold rule if it has one, each explained by
``explain_change``. A point both anomalous and past the threshold is one finding.

Both tools run as tool calls through the caller's executor -- the one path from a plan to rows,
so the monitor owner's access policy, the privacy threshold and the guard apply exactly as they
would to the same questions asked in the chat. Only complete periods are looked at (a week still
in progress would look like a drop).
"""
from __future__ import annotations

import calendar
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from app.engine.monitors.series import MonitorSeries
from app.engine.pipeline.execute import ExecutionError, PlanExecutor
from app.engine.planning.plan import SemanticQueryPlan, ToolCallPlan
from semantic_layer import METRIC_TIME, SemanticQuery

log = logging.getLogger(__name__)
CONTEXT = {"day": 56, "week": 26, "month": 12}  # points shown in the chart (and fitted on) before the end
DRIVERS = 3  # top drivers per anomaly


@dataclass
class Finding:
    """One anomalous point, what was expected, and (when explained) its top drivers."""

    period_start: dt.date
    period_end: dt.date
    actual: float
    expected: float | None  # None: past the threshold only, not an anomaly
    low: float | None
    high: float | None
    direction: str  # spike | drop (an anomaly); above | below (the threshold only)
    drivers: list[dict[str, Any]] = field(default_factory=list)  # explain_change's rows, by column name
    explanation: str | None = None  # explain_change's narrative
    explain_error: str | None = None  # why it could not be explained (e.g. a metric not decomposable)
    breach: str | None = None  # the threshold rule it is past ("fraud_rate > 0.05"), if any

    @property
    def anomalous(self) -> bool:
        return self.expected is not None

    @property
    def change_ratio(self) -> float | None:
        return (self.actual - self.expected) / abs(self.expected) if self.expected else None

    def to_json(self) -> dict[str, Any]:
        return {"period_start": self.period_start.isoformat(), "period_end": self.period_end.isoformat(),
                "actual": self.actual, "expected": self.expected, "low": self.low, "high": self.high,
                "direction": self.direction, "change_ratio": self.change_ratio, "drivers": self.drivers,
                "explanation": self.explanation, "explain_error": self.explain_error,
                "anomalous": self.anomalous, "threshold_breach": self.breach}


@dataclass
class Evaluation:
    series: MonitorSeries
    start: dt.date  # the first point looked at for new anomalies
    end: dt.date  # the last complete period's last day
    findings: list[Finding]  # new anomalies in [start, end], oldest first
    chart: dict[str, Any] | None  # detect_anomalies' figure: the series, its normal range, anomalies marked
    summary: str  # detect_anomalies' narrative


def last_complete_day(grain: str, as_of: dt.date) -> dt.date:
    """The last day of the newest period of ``grain`` that ended before ``as_of``."""
    yesterday = as_of - dt.timedelta(days=1)
    if grain == "week":  # weeks start on Monday: the Sunday before as_of
        return yesterday - dt.timedelta(days=(yesterday.weekday() + 1) % 7)
    if grain == "month":
        return as_of.replace(day=1) - dt.timedelta(days=1)
    return yesterday


def period_end(grain: str, start: dt.date) -> dt.date:
    if grain == "week":
        return start + dt.timedelta(days=6)
    if grain == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start


def _back(grain: str, end: dt.date, points: int) -> dt.date:
    """The first day of the ``points``-th period of ``grain`` counting back from the one ending at ``end``."""
    if grain == "day":
        return end - dt.timedelta(days=points - 1)
    if grain == "week":
        return end - dt.timedelta(days=7 * points - 1)
    month = end.year * 12 + end.month - 1 - (points - 1)
    return dt.date(month // 12, month % 12 + 1, 1)


def evaluate(executor: PlanExecutor, series: MonitorSeries, as_of: dt.date,
             already_posted: set[str] = frozenset()) -> Evaluation:
    """Raises ExecutionError when the series cannot be read (the run records it); an anomaly that
    cannot be explained is still reported, with the reason. ``already_posted``: ISO dates of
    anomalies every audience has seen (not explained again, not reported)."""
    end = last_complete_day(series.grain, as_of)
    start = _back(series.grain, end, series.window)
    shown_from = _back(series.grain, end, CONTEXT[series.grain])
    filters = [f.model_dump(mode="json") for f in series.filters]
    detected = executor.run(ToolCallPlan(tool="detect_anomalies", arguments={
        "metric": series.metric, "grain": series.grain, "filters": filters,
        "start": min(start, shown_from).isoformat(), "end": end.isoformat()}))
    names = detected.result.column_names()
    findings = []
    for row in detected.result.rows:
        point = dict(zip(names, row))
        day = point["date"]
        if day < start or day.isoformat() in already_posted:
            continue
        finding = Finding(day, period_end(series.grain, day), point["actual"], point["expected"],
                          point["low"], point["high"], point["direction"])
        findings.append(finding)
    if series.threshold is not None:
        findings = _with_breaches(executor, series, findings, start, end, already_posted)
    for finding in findings:
        _explain(executor, series, finding, filters)
    figure = (detected.chart or {}).get("figure")
    return Evaluation(series, start, end, findings, figure, detected.narrative or "")


def _values(executor: PlanExecutor, series: MonitorSeries, start: dt.date, end: dt.date) -> list[tuple]:
    """(first day, value) of each point of the series in [start, end], through the semantic layer."""
    query = SemanticQuery(metrics=(series.metric,), dimensions=(METRIC_TIME,), grain=series.grain,
                          filters=tuple(series.filters), time_range=(start, end))
    rows = executor.run(SemanticQueryPlan(query=query)).result.rows
    day = [r[0].date() if isinstance(r[0], dt.datetime) else r[0] for r in rows]
    return sorted((d, float(r[1])) for d, r in zip(day, rows) if r[1] is not None)


def _with_breaches(executor: PlanExecutor, series: MonitorSeries, findings: list[Finding], start: dt.date,
                   end: dt.date, already_posted: set[str]) -> list[Finding]:
    """The anomalies, marked when past the threshold, and the other points past it, oldest first."""
    rule = series.threshold
    by_day = {f.period_start: f for f in findings}
    for day, value in _values(executor, series, start, end):
        if not rule.breached(value) or day.isoformat() in already_posted:
            continue
        if day not in by_day:
            by_day[day] = Finding(day, period_end(series.grain, day), value, None, None, None, rule.direction)
        by_day[day].breach = rule.text(series.metric)
    return [by_day[d] for d in sorted(by_day)]


def _explain(executor: PlanExecutor, series: MonitorSeries, finding: Finding, filters: list[dict]) -> None:
    arguments = {"metric": series.metric, "current_start": finding.period_start.isoformat(),
                 "current_end": finding.period_end.isoformat(), "filters": filters,
                 "dimensions": series.dimensions, "limit": DRIVERS}
    try:
        explained = executor.run(ToolCallPlan(tool="explain_change", arguments=arguments))
    except ExecutionError as exc:  # not decomposable, refused by a policy, ...: the anomaly still counts
        finding.explain_error = exc.message
        return
    names = explained.result.column_names()
    finding.drivers = [dict(zip(names, row)) for row in explained.result.rows[:DRIVERS]]
    finding.explanation = explained.narrative
