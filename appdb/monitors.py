"""Monitors: saved questions run on a schedule (docs/monitors.md), and what they posted.

A run **claims** a monitor before it evaluates it: one conditional UPDATE that succeeds only if
nobody holds an unexpired lease (and, for a scheduled run, the monitor is due). Both engines
apply it to one row at a time -- SQLite holds its write lock for the statement, PostgreSQL locks
the row and re-checks the condition after a concurrent claim commits -- so of two workers or
replicas racing for one monitor exactly one gets ``True``. The lease expires (``claimed_until``)
so a runner that died does not hold its monitors forever.
"""
from __future__ import annotations

import secrets
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from appdb import audit
from appdb.tables import monitor_alerts, monitors

FIELDS = ("id", "scope", "name", "question", "semantic_query", "schedule", "condition", "created_at", "owner",
          "key_id", "slack_channel", "webhook_url", "next_run_at", "claimed_by", "claimed_until",
          "last_run_at", "last_status", "last_error")


def add_monitor(connection: Connection, *, scope: str, name: str, question: str, series: dict[str, Any],
                schedule: str, condition: dict[str, Any], owner: str, key_id: str | None,
                slack_channel: str | None, webhook_url: str | None, next_run_at: float) -> str:
    monitor_id = f"m-{secrets.token_hex(6)}"
    connection.execute(monitors.insert().values(
        id=monitor_id, scope=scope, name=name, question=question, semantic_query=series, schedule=schedule,
        condition=condition, active=True, created_at=time.time(), owner=owner, key_id=key_id,
        slack_channel=slack_channel, webhook_url=webhook_url, next_run_at=next_run_at))
    audit.record(connection, owner, "monitor_add", scope=scope, target=monitor_id,
                 detail={"name": name, "series": series, "schedule": schedule,
                         "slack_channel": slack_channel, "webhook": bool(webhook_url)})
    return monitor_id


def remove_monitor(connection: Connection, monitor_id: str, *, actor: str, scope: str | None = None) -> bool:
    """Deactivate it (its rows stay for the audit trail); ``scope``: only a monitor of that tenant."""
    where = [monitors.c.id == monitor_id, monitors.c.active == sa.true()]
    if scope is not None:
        where.append(monitors.c.scope == scope)
    done = connection.execute(monitors.update().where(*where).values(active=False, next_run_at=None))
    if done.rowcount:
        audit.record(connection, actor, "monitor_remove", scope=scope, target=monitor_id)
    return bool(done.rowcount)


def _select():
    return sa.select(*[monitors.c[f] for f in FIELDS]).where(monitors.c.active == sa.true())


def list_monitors(connection: Connection, scope: str | None = None) -> list[dict]:
    select = _select().order_by(monitors.c.created_at, monitors.c.id)
    if scope is not None:
        select = select.where(monitors.c.scope == scope)
    return [dict(row) for row in connection.execute(select).mappings()]


def get_monitor(connection: Connection, monitor_id: str, scope: str | None = None) -> dict | None:
    select = _select().where(monitors.c.id == monitor_id)
    if scope is not None:
        select = select.where(monitors.c.scope == scope)
    row = connection.execute(select).mappings().first()
    return dict(row) if row is not None else None


def _unclaimed(now: float):
    return sa.or_(monitors.c.claimed_until.is_(None), monitors.c.claimed_until < now)


def due_monitor_ids(connection: Connection, now: float) -> list[str]:
    """Active monitors whose next run is due and that nobody is running (oldest due first)."""
    select = (sa.select(monitors.c.id)
              .where(monitors.c.active == sa.true(), monitors.c.next_run_at <= now, _unclaimed(now))
              .order_by(monitors.c.next_run_at, monitors.c.id))
    return [row.id for row in connection.execute(select)]


def claim_monitor(connection: Connection, monitor_id: str, runner: str, *, now: float, lease_s: float,
                  due_only: bool = True) -> bool:
    """Take the lease on one monitor; True for exactly one of several runners racing for it.
    ``due_only``: only when its next run is due (the scheduler); False: any time (a run asked for)."""
    where = [monitors.c.id == monitor_id, monitors.c.active == sa.true(), _unclaimed(now)]
    if due_only:
        where.append(monitors.c.next_run_at <= now)
    done = connection.execute(monitors.update().where(*where).values(claimed_by=runner,
                                                                     claimed_until=now + lease_s))
    return done.rowcount == 1


def finish_run(connection: Connection, monitor_id: str, runner: str, *, now: float, status: str,
               error: str | None = None, next_run_at: float | None = None) -> bool:
    """Release the lease and note the outcome; ``next_run_at`` (a scheduled run) moves the schedule on.
    False when the lease was no longer this runner's (it expired and another runner took it)."""
    values: dict[str, Any] = {"claimed_by": None, "claimed_until": None, "last_run_at": now,
                              "last_status": status, "last_error": error}
    if next_run_at is not None:
        values["next_run_at"] = next_run_at
    done = connection.execute(monitors.update().where(monitors.c.id == monitor_id,
                                                      monitors.c.claimed_by == runner).values(**values))
    return done.rowcount == 1


def posted_periods(connection: Connection, monitor_id: str) -> dict[str, set[str]]:
    """audience -> the anomalous points (ISO dates) already posted there by this monitor."""
    select = sa.select(monitor_alerts.c.audience, monitor_alerts.c.period_start).where(
        monitor_alerts.c.monitor_id == monitor_id)
    posted: dict[str, set[str]] = {}
    for row in connection.execute(select):
        posted.setdefault(row.audience, set()).add(row.period_start)
    return posted


def record_posted(connection: Connection, monitor_id: str, audience: str, alerts: list[dict[str, Any]],
                  *, now: float) -> None:
    """``alerts``: one dict per anomaly posted, with ``period_start`` (ISO date) and what was said."""
    for alert in alerts:
        exists = connection.execute(sa.select(monitor_alerts.c.id).where(
            monitor_alerts.c.monitor_id == monitor_id, monitor_alerts.c.audience == audience,
            monitor_alerts.c.period_start == alert["period_start"])).first()
        if exists is None:
            connection.execute(monitor_alerts.insert().values(
                monitor_id=monitor_id, period_start=alert["period_start"], audience=audience, posted_at=now,
                detail=alert))
