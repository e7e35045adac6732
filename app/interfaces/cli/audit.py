"""``asklytics audit``: query the append-only audit log (answers, SQL runs, key and policy changes,
exports), newest first."""
from __future__ import annotations

import datetime as dt
import re
import time
from typing import Annotated

import typer
from rich.table import Table

from app.interfaces.cli.common import console, fail, load_settings, print_json

audit_app = typer.Typer(help="The audit log: who did what, when.", invoke_without_command=True)
_AGO = re.compile(r"^(\d+)\s*([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_since(text: str | None) -> float | None:
    """``30m``, ``12h``, ``7d`` (ago) or an ISO date/time (UTC) -> epoch seconds."""
    if not text:
        return None
    ago = _AGO.match(text.strip())
    if ago:
        return time.time() - int(ago.group(1)) * _SECONDS[ago.group(2)]
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        fail(f"--since {text!r}: use e.g. 30m, 12h, 7d or 2026-07-01T09:00")
    return moment.replace(tzinfo=moment.tzinfo or dt.UTC).timestamp()


@audit_app.callback()
def audit(
    since: Annotated[str | None, typer.Option("--since", help="30m, 12h, 7d, or an ISO time (UTC).")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="e.g. key:<key_id>, cli:<user>.")] = None,
    scope: Annotated[str | None, typer.Option("--scope", help="Tenant scope.")] = None,
    action: Annotated[str | None, typer.Option(
        "--action", help="answer, sql_run, key_create, key_revoke, policy_set, export, ...")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Audit entries, newest first."""
    from app.engine.app_database import open_app_database
    from appdb import DatabaseError
    from appdb.audit import AuditQuery, search

    try:
        database = open_app_database(load_settings())
    except DatabaseError as exc:
        fail(exc.message)
    query = AuditQuery(since=parse_since(since), actor=actor, scope=scope, action=action, limit=limit)
    with database.connect() as connection:
        rows = search(connection, query)
    database.close()
    if as_json:
        print_json([{**row, "at": _iso(row["at"])} for row in rows])
        return
    table = Table("at (UTC)", "actor", "scope", "action", "target", title=f"{len(rows)} audit entries")
    for row in rows:
        table.add_row(_iso(row["at"]), row["actor"], row["scope"] or "", row["action"], row["target"] or "")
    console.print(table)


def _iso(at: float) -> str:
    return dt.datetime.fromtimestamp(at, dt.UTC).isoformat(timespec="seconds")
