"""Every answer given, by id and tenant scope, in the application database: feedback, conversation
views and the Slack buttons find an answer from any process or replica, after a restart too."""
from __future__ import annotations

import logging

from app.engine.contract import Answer
from appdb import Database, audit
from appdb import answers as answer_rows

log = logging.getLogger(__name__)


class AnswerLog:
    def __init__(self, database: Database):
        self.database = database

    def add(self, answer: Answer, scope: str, *, key_id: str | None = None,
            user_id: str | None = None) -> None:
        """Logged and audited; a database failure is logged, never the answer's failure."""
        if not answer.answer_id:
            return
        data = answer.model_dump(mode="json")
        actor = f"key:{key_id}" if key_id else (user_id or f"scope:{scope}")
        try:
            with self.database.begin() as connection:
                answer_rows.insert_answer(connection, data, scope, key_id=key_id, user_id=user_id)
                audit.record(connection, actor, "answer", scope=scope, target=answer.answer_id,
                             detail={"status": answer.status, "sql": answer.sql, "cached": answer.cached,
                                     "planner": answer.planner})
        except Exception:
            log.exception("could not log answer %s", answer.answer_id)

    def rehearse(self, answer: Answer, scope: str) -> None:
        """What ``add`` writes, in a transaction rolled back (a server's warm-up request): the
        statements and the connection are ready for the first answer, no row stays."""
        data = answer.model_dump(mode="json")
        try:
            with self.database.engine.connect() as connection:
                transaction = connection.begin()
                try:
                    answer_rows.insert_answer(connection, data, scope)
                    audit.record(connection, f"scope:{scope}", "answer", scope=scope, target=answer.answer_id,
                                 detail={"status": answer.status, "sql": answer.sql, "cached": answer.cached,
                                         "planner": answer.planner})
                finally:
                    transaction.rollback()
        except Exception:
            log.exception("could not rehearse logging answer %s", answer.answer_id)

    def get(self, answer_id: str | None, scope: str) -> Answer | None:
        if not answer_id:
            return None
        with self.database.connect() as connection:
            data = answer_rows.get_answer(connection, answer_id, scope)
        return Answer.model_validate(data) if data is not None else None
