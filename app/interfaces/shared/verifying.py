"""Marking an answer as verified (the web/API side of ``asklytics verified add``): the answer comes
from the answer log of the caller's scope, so a tenant can only verify its own answers. A reviewer
accepts the answer's plan, or gives corrected SQL for its question (or a question with its SQL),
which must run for the reviewer -- under their access policy and privacy threshold -- before it is
kept. Audited (``verified_add``)."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.engine.cache.keys import normalize_question
from app.engine.planning.plan import SqlPlan
from app.interfaces.shared.answer_log import AnswerLog
from app.interfaces.shared.errors import RequestError
from appdb.verified import add_verified, list_verified
from common.errors import AsklyticsError

# Why SQL may not run, as the HTTP status the reviewer gets.
REFUSED = frozenset({"access_denied", "privacy_threshold"})
UNAVAILABLE = frozenset({"warehouse_unavailable", "query_timeout"})


class VerifyAnswer(BaseModel):
    """An answer of your scope: its plan is kept, or ``sql`` for its question."""

    model_config = ConfigDict(extra="forbid")
    answer_id: str = Field(..., max_length=64, examples=["a-0123456789abcdef"])
    sql: str | None = Field(None, min_length=1, max_length=20_000,
                            description="Corrected SQL in the warehouse's dialect; it must run for you.")


class VerifyQuestion(BaseModel):
    """A question with the SQL that answers it."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(..., min_length=1, max_length=1000)
    sql: str = Field(..., min_length=1, max_length=20_000,
                     description="SQL in the warehouse's dialect; it must run for you.")


VerifyRequest = VerifyAnswer | VerifyQuestion


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
    return _add(answers, scope, actor, answer.question, answer.semantic_query, answer.sql, answer_id)


def verify_request(assistant, answers: AnswerLog, request: VerifyRequest, scope: str, key_id: str | None,
                   actor: str) -> VerifiedQueryOut:
    """The answer's plan, or ``request.sql`` (checked by running it as the caller) for its question."""
    if isinstance(request, VerifyQuestion):
        _check_runs(assistant, request.sql, scope, key_id)
        return _add(answers, scope, actor, request.question, None, request.sql, None)
    if request.sql is None:
        return verify_answer(answers, request.answer_id, scope, actor)
    answer = answers.get(request.answer_id, scope)
    if answer is None:
        raise RequestError(404, "not_found", f"no answer {request.answer_id} in your scope to correct")
    _check_runs(assistant, request.sql, scope, key_id)
    return _add(answers, scope, actor, answer.question, None, request.sql, request.answer_id)


def _check_runs(assistant, sql: str, scope: str, key_id: str | None) -> None:
    try:
        executor = assistant.executor_for(assistant.policy_for(scope, key_id))
        executor.run(SqlPlan(sql=sql, dialect=assistant.warehouse.dialect))
    except AsklyticsError as exc:  # the executor's errors, and a threshold that cannot be built
        status = 403 if exc.code in REFUSED else 503 if exc.code in UNAVAILABLE else 422
        raise RequestError(status, exc.code, f"this SQL does not run for you, so it cannot be verified: "
                                             f"{exc.message}") from None


def _add(answers: AnswerLog, scope: str, actor: str, question: str, semantic_query: dict | None,
         sql: str | None, answer_id: str | None) -> VerifiedQueryOut:
    with answers.database.begin() as connection:
        verified_id = add_verified(connection, scope=scope, question=question,
                                   normalized_question=normalize_question(question),
                                   semantic_query=semantic_query, sql=sql, verified_by=actor,
                                   source_answer_id=answer_id)
    return VerifiedQueryOut(id=verified_id, question=question, sql=sql, semantic_query=semantic_query,
                            verified_by=actor, source_answer_id=answer_id)


def verified_of(answers: AnswerLog, scope: str) -> list[VerifiedQueryOut]:
    with answers.database.connect() as connection:
        rows = list_verified(connection, scope)
    return [VerifiedQueryOut(**{k: row[k] for k in VerifiedQueryOut.model_fields}) for row in rows]
