"""Access policy rows: per tenant scope (a Slack workspace is the tenant ``slack:<team id>``) or per
API key. What a policy means and how it is enforced: app/engine/access.py, warehouse/access/."""
from __future__ import annotations

import time
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from appdb import audit
from appdb.tables import access_policies

SUBJECT_TYPES = ("tenant", "key")
FIELDS = ("subject_type", "subject", "metrics", "dimensions", "row_filters", "allow_sql", "min_group_size",
          "updated_at")


def set_policy(connection: Connection, subject_type: str, subject: str, *, metrics: list[str] | None,
               dimensions: list[str] | None, row_filters: list[str], allow_sql: bool, actor: str,
               min_group_size: int | None = None) -> None:
    """Create or replace the policy of one subject (audited). ``min_group_size``: the privacy
    threshold this subject is held to at least (None: none of its own)."""
    values = {"metrics": metrics, "dimensions": dimensions, "row_filters": list(row_filters),
              "allow_sql": allow_sql, "min_group_size": min_group_size, "updated_at": time.time()}
    where = (access_policies.c.subject_type == subject_type, access_policies.c.subject == subject)
    if connection.execute(access_policies.update().where(*where).values(**values)).rowcount == 0:
        connection.execute(access_policies.insert().values(subject_type=subject_type, subject=subject,
                                                           created_at=values["updated_at"], **values))
    detail = {k: v for k, v in values.items() if k != "updated_at"}
    audit.record(connection, actor, "policy_set", scope=subject if subject_type == "tenant" else None,
                 target=f"{subject_type}:{subject}", detail=detail)


def delete_policy(connection: Connection, subject_type: str, subject: str, *, actor: str) -> bool:
    deleted = connection.execute(access_policies.delete().where(
        access_policies.c.subject_type == subject_type, access_policies.c.subject == subject)).rowcount
    if deleted:
        audit.record(connection, actor, "policy_delete", target=f"{subject_type}:{subject}")
    return bool(deleted)


def policies_for(connection: Connection, subjects: Iterable[tuple[str, str]]) -> list[dict]:
    """The policies of these (subject_type, subject) pairs; every one that exists applies."""
    pairs = [sa.and_(access_policies.c.subject_type == kind, access_policies.c.subject == subject)
             for kind, subject in subjects]
    if not pairs:
        return []
    rows = connection.execute(sa.select(*[access_policies.c[f] for f in FIELDS]).where(sa.or_(*pairs)))
    return [dict(row) for row in rows.mappings()]


def list_policies(connection: Connection) -> list[dict]:
    select = sa.select(*[access_policies.c[f] for f in FIELDS]).order_by(access_policies.c.subject_type,
                                                                          access_policies.c.subject)
    return [dict(row) for row in connection.execute(select).mappings()]
