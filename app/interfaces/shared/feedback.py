"""Feedback on an answer: a thumbs-up teaches retrieval a verified example,
a thumbs-down evicts it from the cache.

A verified example belongs to the rater's tenant (scope): only that tenant's later
questions retrieve it. Every rating is also recorded in the application database's
``feedback`` table (with any corrected SQL) for review, and audited: user-written SQL is
recorded, never learned unreviewed, because a verified example steers later answers for
every user of the tenant.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from app.engine.contract import Answer
from app.interfaces.shared.errors import RequestError
from appdb import Database, audit
from appdb import feedback as feedback_rows

log = logging.getLogger(__name__)


class FeedbackRequest(BaseModel):
    answer_id: str = Field(..., max_length=64, examples=["a-0123456789abcdef"])
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=2000)
    corrected_sql: str | None = Field(None, max_length=20_000, description="Recorded for review, not run.")


class FeedbackResult(BaseModel):
    answer_id: str
    rating: Literal["up", "down"]
    verified_example_id: str | None = Field(
        None, description="Set when a thumbs-up became a retrieval example.")
    evicted: bool = Field(
        False, description="A thumbs-down removed the answer from the semantic cache.")


class FeedbackService:
    def __init__(self, data_dir: Path, database: Database):
        self.data_dir = Path(data_dir)
        self.database = database
        self._store = None
        self._lock = threading.Lock()

    def record(self, assistant, answer: Answer | None, request: FeedbackRequest,
               scope: str) -> FeedbackResult:
        if answer is None:
            raise RequestError(404, "not_found", f"no recent answer {request.answer_id} in your scope; "
                           "feedback is taken on answers this server gave")
        result = FeedbackResult(answer_id=request.answer_id, rating=request.rating)
        if request.rating == "up":
            result.verified_example_id = self._learn(assistant, answer, scope)
        else:
            result.evicted = bool(assistant.evict_answer(request.answer_id))
        self._append(answer, request, scope, result)
        return result

    def _learn(self, assistant, answer: Answer, scope: str) -> str | None:
        if answer.status != "answered" or not (answer.semantic_query or answer.sql):
            return None  # only an executed answer is an example worth retrieving
        return self.retrieval_for(assistant).add_example(answer.question, answer.semantic_query, answer.sql,
                                                         scope=scope)

    def retrieval_for(self, assistant):
        """The assistant's retrieval store when it has one, else ours over ``<data_dir>/index``."""
        shared = getattr(assistant, "retrieval", None)
        if shared is not None:
            return shared
        with self._lock:
            if self._store is None:
                from retrieval import RetrievalStore

                self._store = RetrievalStore.open(self.data_dir / "index", semantic_model=assistant.model,
                                                  schema=assistant.warehouse.schema())
            return self._store

    def _append(self, answer: Answer, request: FeedbackRequest, scope: str, result: FeedbackResult) -> None:
        row = {"scope": scope, "answer_id": request.answer_id, "rating": request.rating,
               "question": answer.question, "sql": answer.sql, "corrected_sql": request.corrected_sql,
               "comment": request.comment, "verified_example_id": result.verified_example_id}
        try:
            with self.database.begin() as connection:
                feedback_rows.insert_feedback(connection, row)
                audit.record(connection, f"scope:{scope}", "feedback", scope=scope, target=request.answer_id,
                             detail={"rating": request.rating})
        except Exception:  # the rating's effect already happened; losing the record must not fail it
            log.exception("could not record feedback on %s", request.answer_id)
