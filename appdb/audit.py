"""The append-only audit log: who did what, when. Rows are only ever inserted (the database
refuses UPDATE and DELETE on the table; see migration 0001)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from appdb.tables import audit_log

ACTIONS = ("answer", "sql_run", "key_create", "key_revoke", "key_update", "policy_set", "policy_delete",
           "export", "verified_add", "verified_remove", "feedback", "legacy_import", "monitor_add",
           "monitor_remove")


@dataclass(frozen=True)
class AuditQuery:
    since: float | None = None
    until: float | None = None
    actor: str | None = None
    scope: str | None = None
    action: str | None = None
    limit: int = 100


def record(connection: Connection, actor: str, action: str, *, scope: str | None = None,
           target: str | None = None, detail: dict[str, Any] | None = None) -> None:
    connection.execute(audit_log.insert().values(at=time.time(), actor=actor[:128], scope=scope,
                                                 action=action, target=(target or "")[:256] or None,
                                                 detail=detail))


def search(connection: Connection, query: AuditQuery) -> list[dict]:
    """Newest first."""
    select = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(query.limit)
    for column, value in (("actor", query.actor), ("scope", query.scope), ("action", query.action)):
        if value is not None:
            select = select.where(audit_log.c[column] == value)
    if query.since is not None:
        select = select.where(audit_log.c.at >= query.since)
    if query.until is not None:
        select = select.where(audit_log.c.at < query.until)
    return [dict(row) for row in connection.execute(select).mappings()]
