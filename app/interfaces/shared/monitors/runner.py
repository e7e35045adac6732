"""A monitor run: claim -> evaluate -> one digest per audience -> record what was posted -> release.

``run_due`` is what ``asklytics monitor run --due`` and the scheduler inside ``serve`` do;
``run_one`` is ``--id`` (any time, the schedule is left as it is). Every monitor is claimed in the
application database before it is evaluated (``appdb.monitors.claim_monitor``), so with several
workers, replicas or a CLI beside a server each due run posts once. ``dry_run`` claims nothing,
posts nothing and records nothing: it returns the digests that would be posted.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.engine.assistant import Assistant
from app.engine.insights.wording import metric_words, unit_of
from app.engine.monitors import MonitorError, MonitorSeries, evaluate, parse_schedule
from app.interfaces.shared.monitors.delivery import DeliveryError, deliver
from app.interfaces.shared.monitors.digest import Digest, DigestItem, slack_blocks, webhook_body
from app.interfaces.shared.state import AppState
from app.settings import Settings
from appdb import Database
from appdb import monitors as rows
from common.errors import AsklyticsError

log = logging.getLogger(__name__)
RETRY_BROKEN_S = 86_400.0


@dataclass
class MonitorOutcome:
    id: str
    name: str
    status: str  # ok | error | delivery_failed
    new_anomalies: int = 0
    posted_to: list[str] = field(default_factory=list)  # slack:<channel>, webhook
    error: str | None = None


@dataclass
class RunReport:
    runner: str
    monitors: list[MonitorOutcome] = field(default_factory=list)
    digests: list[dict[str, Any]] = field(default_factory=list)  # dry runs: what would be posted
    skipped: list[str] = field(default_factory=list)  # claimed by another runner meanwhile


def runner_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class MonitorRunner:
    """``assistant``: how to reach the process's assistant (built on first use: a run with nothing due
    opens no warehouse)."""

    def __init__(self, settings: Settings, database: Database, assistant: Callable[[], Assistant], *,
                 name: str | None = None, clock: Callable[[], float] = time.time):
        self.settings, self.database, self.assistant = settings, database, assistant
        self.name, self.clock = name or runner_id(), clock

    @classmethod
    def from_state(cls, state: AppState, **kwargs) -> MonitorRunner:
        return cls(state.settings, state.database, state.assistant, **kwargs)

    def run_due(self) -> RunReport:
        with self.database.connect() as connection:
            due = rows.due_monitor_ids(connection, self.clock())
        return self._run(due, due_only=True, dry_run=False)

    def run_one(self, monitor_id: str, *, scope: str | None = None, dry_run: bool = False) -> RunReport:
        """MonitorError (code ``not_found``) when there is no such active monitor (in ``scope``)."""
        with self.database.connect() as connection:
            if rows.get_monitor(connection, monitor_id, scope) is None:
                raise MonitorError(f"no monitor {monitor_id!r}; see `asklytics monitor list`",
                                   code="not_found")
        return self._run([monitor_id], due_only=False, dry_run=dry_run)

    def _run(self, ids: list[str], *, due_only: bool, dry_run: bool) -> RunReport:
        report = RunReport(self.name)
        claimed = [row for row in (self._claim(i, due_only, dry_run, report) for i in ids) if row]
        items = {row["id"]: self._evaluate(row, report) for row in claimed}
        digests = self._digests(claimed, items)
        if dry_run:
            now = dt.datetime.now(dt.UTC)
            report.digests = [{"audience": d.audience, "target": d.target, "slack_blocks": slack_blocks(d)}
                              if d.audience == "slack" else {"audience": d.audience, "target": d.target,
                                                             "webhook_body": webhook_body(d, now)}
                              for d in digests]
        else:
            for digest in digests:
                self._post(digest, report)
        for row in claimed:
            self._finish(row, report, due_only, dry_run)
        return report

    def _claim(self, monitor_id: str, due_only: bool, dry_run: bool, report: RunReport) -> dict | None:
        with self.database.begin() as connection:
            claimed = dry_run or rows.claim_monitor(connection, monitor_id, self.name, now=self.clock(),
                                                    lease_s=self.settings.monitor_lease_s, due_only=due_only)
            if not claimed:
                report.skipped.append(monitor_id)
                return None
            row = rows.get_monitor(connection, monitor_id)
        if row is not None:
            report.monitors.append(MonitorOutcome(row["id"], row["name"], "ok"))
        return row

    def _evaluate(self, row: dict, report: RunReport) -> tuple[DigestItem, dict[str, set[str]]] | None:
        outcome = _outcome(report, row["id"])
        with self.database.connect() as connection:
            posted = rows.posted_periods(connection, row["id"])
        audiences = [posted.get(audience, set()) for audience, _ in _targets(row)]
        seen_by_all = set.intersection(*audiences) if audiences else set()
        try:
            assistant = self.assistant()
            series = MonitorSeries.from_row(row)
            series.check(assistant.model)
            executor = assistant.executor_for(assistant.policy_for(row["scope"], row["key_id"]))
            evaluation = evaluate(executor, series, self.settings.resolved_as_of(), seen_by_all)
        except AsklyticsError as exc:
            outcome.status, outcome.error = "error", exc.message
            return None
        except Exception:  # one monitor's failure must not stop the others
            log.exception("evaluating monitor %s failed", row["id"])
            outcome.status, outcome.error = "error", "evaluating the monitor failed; the error was logged"
            return None
        outcome.new_anomalies = len(evaluation.findings)
        model = assistant.model
        item = DigestItem(row, evaluation, evaluation.findings, metric_words(model, series.metric),
                          unit_of(model, series.metric))
        return item, posted

    def _digests(self, claimed: list[dict], items: dict) -> list[Digest]:
        """One digest per audience (channel or URL), holding each monitor's findings not yet posted there."""
        digests: dict[tuple[str, str], Digest] = {}
        for row in claimed:
            if items.get(row["id"]) is None:
                continue
            item, posted = items[row["id"]]
            for audience, target in _targets(row):
                seen = posted.get(audience, set())
                fresh = [f for f in item.findings if f.period_start.isoformat() not in seen]
                if not fresh:
                    continue
                digest = digests.setdefault((audience, target), Digest(
                    audience, target, self.settings.resolved_as_of(), self.settings.resolved_public_url()))
                digest.items.append(DigestItem(row, item.evaluation, fresh, item.words, item.unit))
        return list(digests.values())

    def _post(self, digest: Digest, report: RunReport) -> None:
        try:
            deliver(self.settings, digest)
        except Exception as exc:  # nothing is recorded as posted: the next run tries again
            if isinstance(exc, DeliveryError):
                message = exc.message
                log.warning("posting a digest to %s failed: %s", digest.audience, message)
            else:
                message = "posting the digest failed; the error was logged"
                log.exception("posting a digest to %s failed", digest.audience)
            for item in digest.items:
                outcome = _outcome(report, item.monitor["id"])
                outcome.status, outcome.error = "delivery_failed", message
            return
        with self.database.begin() as connection:
            for item in digest.items:
                rows.record_posted(connection, item.monitor["id"], digest.audience,
                                   [f.to_json() for f in item.findings], now=self.clock())
                label = f"slack:{digest.target}" if digest.audience == "slack" else "webhook"
                _outcome(report, item.monitor["id"]).posted_to.append(label)

    def _finish(self, row: dict, report: RunReport, due_only: bool, dry_run: bool) -> None:
        if dry_run:
            return
        outcome, now = _outcome(report, row["id"]), self.clock()
        next_run = None
        if due_only:
            try:
                next_run = parse_schedule(row["schedule"]).next_timestamp(now)
            except AsklyticsError as exc:  # schedules are checked when added; say so rather than loop
                next_run, outcome.status, outcome.error = now + RETRY_BROKEN_S, "error", exc.message
        with self.database.begin() as connection:
            rows.finish_run(connection, row["id"], self.name, now=now, status=outcome.status,
                            error=outcome.error, next_run_at=next_run)


def _outcome(report: RunReport, monitor_id: str) -> MonitorOutcome:
    return next(o for o in report.monitors if o.id == monitor_id)


def _targets(row: dict) -> list[tuple[str, str]]:
    found = []
    if row.get("slack_channel"):
        found.append(("slack", row["slack_channel"]))
    if row.get("webhook_url"):
        found.append(("webhook", row["webhook_url"]))
    return found
