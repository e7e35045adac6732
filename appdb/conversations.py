"""Conversation turns: one row per question of a conversation, per tenant scope, in the order asked
(the id), so follow-ups find their earlier turns from any process and after a restart."""
from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from appdb.tables import conversation_turns as turns_table


def append_turn(connection: Connection, scope: str, conversation_id: str, *, question: str,
                plan: dict[str, Any] | None, status: str, answer_id: str | None,
                created_at: float | None = None) -> None:
    connection.execute(turns_table.insert().values(
        scope=scope, conversation_id=conversation_id, question=question, plan=plan, status=status,
        answer_id=answer_id, created_at=time.time() if created_at is None else created_at))


def conversation_turns(connection: Connection, scope: str, conversation_id: str) -> list[dict[str, Any]]:
    select = (sa.select(turns_table.c.question, turns_table.c.plan, turns_table.c.status,
                        turns_table.c.answer_id, turns_table.c.created_at)
              .where(turns_table.c.scope == scope, turns_table.c.conversation_id == conversation_id)
              .order_by(turns_table.c.id))
    return [dict(row) for row in connection.execute(select).mappings()]


def delete_conversation(connection: Connection, scope: str, conversation_id: str) -> bool:
    deleted = connection.execute(turns_table.delete().where(
        turns_table.c.scope == scope, turns_table.c.conversation_id == conversation_id))
    return deleted.rowcount > 0


def conversation_ids(connection: Connection, scope: str, limit: int = 1000) -> list[str]:
    """The scope's conversations, the most recently continued first."""
    last = sa.func.max(turns_table.c.id)
    select = (sa.select(turns_table.c.conversation_id).where(turns_table.c.scope == scope)
              .group_by(turns_table.c.conversation_id).order_by(last.desc()).limit(limit))
    return list(connection.execute(select).scalars())
