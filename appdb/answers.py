"""The answer log: every answer given, by id and tenant scope, so feedback, conversation views and
the review of wrong answers find them from any process."""
from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from appdb.tables import answers


def insert_answer(connection: Connection, answer: dict[str, Any], scope: str, *, key_id: str | None = None,
                  user_id: str | None = None) -> None:
    connection.execute(answers.insert().values(
        answer_id=answer["answer_id"], scope=scope, key_id=key_id, user_id=user_id,
        conversation_id=answer.get("conversation_id"), question=answer.get("question") or "",
        status=answer.get("status") or "error", planner=answer.get("planner"), sql=answer.get("sql"),
        semantic_query=answer.get("semantic_query"), cached=bool(answer.get("cached")),
        timings_ms=answer.get("timings_ms"), answer=answer, created_at=time.time()))


def get_answer(connection: Connection, answer_id: str, scope: str) -> dict[str, Any] | None:
    row = connection.execute(sa.select(answers.c.answer)
                             .where(answers.c.answer_id == answer_id, answers.c.scope == scope)).first()
    return row[0] if row is not None else None


def recent_answers(connection: Connection, scope: str | None = None, limit: int = 50) -> list[dict]:
    select = sa.select(answers).order_by(answers.c.created_at.desc()).limit(limit)
    if scope is not None:
        select = select.where(answers.c.scope == scope)
    return [dict(row) for row in connection.execute(select).mappings()]
