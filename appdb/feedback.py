"""Ratings of answers, with any corrected SQL (recorded for review, never run unreviewed)."""
from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from appdb.tables import feedback

FIELDS = ("scope", "answer_id", "rating", "question", "sql", "corrected_sql", "comment",
          "verified_example_id")


def insert_feedback(connection: Connection, row: dict[str, Any]) -> None:
    values = {f: row.get(f) for f in FIELDS}
    connection.execute(feedback.insert().values(**values, created_at=row.get("created_at") or time.time()))


def list_feedback(connection: Connection, *, scope: str | None = None, rating: str | None = None,
                  limit: int = 100) -> list[dict]:
    select = sa.select(feedback).order_by(feedback.c.id.desc()).limit(limit)
    if scope is not None:
        select = select.where(feedback.c.scope == scope)
    if rating is not None:
        select = select.where(feedback.c.rating == rating)
    return [dict(row) for row in connection.execute(select).mappings()]
