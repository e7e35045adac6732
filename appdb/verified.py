"""Verified queries: a question with the semantic query or SQL a reviewer vouched for, per tenant."""
from __future__ import annotations

import secrets
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from appdb import audit
from appdb.tables import verified_queries

FIELDS = ("id", "scope", "question", "normalized_question", "semantic_query", "sql", "source_answer_id",
          "verified_by", "created_at")


def add_verified(connection: Connection, *, scope: str, question: str, normalized_question: str,
                 semantic_query: dict[str, Any] | None, sql: str | None, verified_by: str,
                 source_answer_id: str | None = None) -> str:
    verified_id = f"v-{secrets.token_hex(6)}"
    connection.execute(verified_queries.insert().values(
        id=verified_id, scope=scope, question=question, normalized_question=normalized_question,
        semantic_query=semantic_query, sql=sql, source_answer_id=source_answer_id, verified_by=verified_by,
        created_at=time.time(), active=True))
    audit.record(connection, verified_by, "verified_add", scope=scope, target=verified_id,
                 detail={"question": question, "sql": sql, "answer_id": source_answer_id})
    return verified_id


def remove_verified(connection: Connection, verified_id: str, *, actor: str) -> bool:
    done = connection.execute(verified_queries.update().where(
        verified_queries.c.id == verified_id, verified_queries.c.active == sa.true()).values(active=False))
    if done.rowcount:
        audit.record(connection, actor, "verified_remove", target=verified_id)
    return bool(done.rowcount)


def list_verified(connection: Connection, scope: str | None = None) -> list[dict]:
    select = (sa.select(*[verified_queries.c[f] for f in FIELDS])
              .where(verified_queries.c.active == sa.true())
              .order_by(verified_queries.c.created_at, verified_queries.c.id))
    if scope is not None:
        select = select.where(verified_queries.c.scope == scope)
    return [dict(row) for row in connection.execute(select).mappings()]


def find_by_question(connection: Connection, scope: str, normalized_question: str) -> dict | None:
    select = (sa.select(*[verified_queries.c[f] for f in FIELDS])
              .where(verified_queries.c.scope == scope,
                     verified_queries.c.normalized_question == normalized_question,
                     verified_queries.c.active == sa.true())
              .order_by(verified_queries.c.created_at.desc()).limit(1))
    row = connection.execute(select).mappings().first()
    return dict(row) if row is not None else None


def verified_from_answers(connection: Connection, scope: str, answer_ids: list[str]) -> dict[str, str]:
    """answer id -> the id of the active verified query made from it, for those of ``answer_ids`` that
    have one in ``scope``."""
    if not answer_ids:
        return {}
    select = (sa.select(verified_queries.c.source_answer_id, verified_queries.c.id)
              .where(verified_queries.c.scope == scope, verified_queries.c.active == sa.true(),
                     verified_queries.c.source_answer_id.in_(answer_ids))
              .order_by(verified_queries.c.created_at))
    return {row.source_answer_id: row.id for row in connection.execute(select)}
