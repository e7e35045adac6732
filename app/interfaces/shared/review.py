"""The review of rated answers (the web UI's review page, ``GET /api/v1/feedback``): the answers of the
caller's scope rated up or down, with what the raters said and whether a reviewer has verified them."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from appdb import Database
from appdb.feedback import rated_answers
from appdb.verified import verified_from_answers


class RatedAnswerOut(BaseModel):
    answer_id: str
    question: str | None
    sql: str | None = Field(None, description="The SQL the answer ran.")
    semantic_query: dict | None = Field(None, description="The answer's plan, when it was a semantic query.")
    status: str | None = Field(None, description="The answer's status (answered, error, ...).")
    comments: list[str] = Field(default_factory=list, description="What the raters wrote.")
    corrected_sql: str | None = Field(None, description="SQL a rater suggested (not run until verified).")
    rated_at: float
    verified_id: str | None = Field(None, description="The verified query made from this answer, if any.")


def rated_answers_of(database: Database, scope: str, rating: Literal["up", "down"],
                     limit: int) -> list[RatedAnswerOut]:
    with database.connect() as connection:
        rows = rated_answers(connection, scope, rating, limit)
        verified = verified_from_answers(connection, scope, [row["answer_id"] for row in rows])
    return [RatedAnswerOut(**row, verified_id=verified.get(row["answer_id"])) for row in rows]
