"""Ratings of answers, with any corrected SQL (recorded for review, never run unreviewed)."""
from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from appdb.tables import answers, feedback

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


def rated_answers(connection: Connection, scope: str, rating: str, limit: int = 50) -> list[dict]:
    """The answers of ``scope`` rated ``rating``, most recently rated first, one dict per answer: its
    question and SQL, the answer log's status and semantic query, every comment and the latest
    corrected SQL of those ratings (a rater may send several)."""
    latest = (sa.select(feedback.c.answer_id, sa.func.max(feedback.c.id).label("last"))
              .where(feedback.c.scope == scope, feedback.c.rating == rating)
              .group_by(feedback.c.answer_id).order_by(sa.desc("last")).limit(limit).subquery())
    select = (sa.select(feedback, answers.c.status, answers.c.semantic_query, latest.c.last)
              .join(latest, latest.c.answer_id == feedback.c.answer_id)
              .outerjoin(answers, sa.and_(answers.c.answer_id == feedback.c.answer_id,
                                          answers.c.scope == scope))
              .where(feedback.c.scope == scope, feedback.c.rating == rating)
              .order_by(latest.c.last.desc(), feedback.c.id))
    found: dict[str, dict] = {}
    for row in connection.execute(select).mappings():
        entry = found.setdefault(row["answer_id"], {
            "answer_id": row["answer_id"], "question": row["question"], "sql": row["sql"],
            "status": row["status"], "semantic_query": row["semantic_query"], "comments": [],
            "corrected_sql": None, "rated_at": row["created_at"]})
        if row["comment"]:
            entry["comments"].append(row["comment"])
        entry["corrected_sql"] = row["corrected_sql"] or entry["corrected_sql"]
        entry["rated_at"] = max(entry["rated_at"], row["created_at"])
    return list(found.values())
