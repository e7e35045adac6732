"""Marking an answer as verified (the web/API side of ``asklytics verified add``): the answer comes
from the answer log of the caller's scope, so a tenant can only verify its own answers; audited."""
from __future__ import annotations

from pydantic import BaseModel, Field

from app.engine.cache.keys import normalize_question
from app.interfaces.shared.answer_log import AnswerLog
from app.interfaces.shared.errors import RequestError
from appdb.verified import add_verified, list_verified


class VerifyRequest(BaseModel):
    answer_id: str = Field(..., max_length=64, examples=["a-0123456789abcdef"])


class VerifiedQueryOut(BaseModel):
    id: str
    question: str
    sql: str | None = None
    semantic_query: dict | None = None
    verified_by: str
    source_answer_id: str | None = None


def verify_answer(answers: AnswerLog, answer_id: str, scope: str, actor: str) -> VerifiedQueryOut:
    answer = answers.get(answer_id, scope)
    if answer is None or answer.status != "answered" or not (answer.sql or answer.semantic_query):
        raise RequestError(404, "not_found", f"no answered question {answer_id} in your scope to verify")
    with answers.database.begin() as connection:
        verified_id = add_verified(connection, scope=scope, question=answer.question,
                                   normalized_question=normalize_question(answer.question),
                                   semantic_query=answer.semantic_query, sql=answer.sql, verified_by=actor,
                                   source_answer_id=answer_id)
    return VerifiedQueryOut(id=verified_id, question=answer.question, sql=answer.sql,
                            semantic_query=answer.semantic_query, verified_by=actor,
                            source_answer_id=answer_id)


def verified_of(answers: AnswerLog, scope: str) -> list[VerifiedQueryOut]:
    with answers.database.connect() as connection:
        rows = list_verified(connection, scope)
    return [VerifiedQueryOut(**{k: row[k] for k in VerifiedQueryOut.model_fields}) for row in rows]
