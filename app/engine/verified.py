"""Verified queries as the assistant uses them (docs/governance.md, "Verified queries").

A question a reviewer verified for a tenant is answered with the verified plan (``exact``: the
same question after the cache's normalization); an answer planned afresh whose semantic query
equals a verified one is labelled too (``same_query``). Both run through the caller's executor,
so access policies apply to verified queries as to any plan. Matching is part of the semantic
cache (off with ``ASKLYTICS_CACHE_ENABLED=false``, as in evals, which must plan afresh).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.engine.cache.keys import normalize_question
from app.engine.contract import VerifiedOut
from app.engine.planning.plan import Plan, SemanticQueryPlan, SqlPlan
from appdb import Database
from appdb.tables import verified_queries
from appdb.verified import find_by_question
from semantic_layer import SemanticQuery


@dataclass(frozen=True)
class VerifiedQuery:
    id: str
    question: str
    semantic_query: dict[str, Any] | None
    sql: str | None

    def plan(self, dialect: str) -> Plan:
        if self.semantic_query is not None:
            return SemanticQueryPlan(query=SemanticQuery.from_contract(self.semantic_query),
                                     rationale=f"verified query {self.id}")
        return SqlPlan(sql=self.sql or "", dialect=dialect, rationale=f"verified query {self.id}")

    def label(self, match: str) -> VerifiedOut:
        return VerifiedOut(id=self.id, question=self.question, match=match)


def exact_match(database: Database, scope: str, question: str) -> VerifiedQuery | None:
    with database.connect() as connection:
        row = find_by_question(connection, scope, normalize_question(question))
    return _query(row) if row is not None else None


def same_query(database: Database, scope: str, semantic_query: dict[str, Any] | None) -> VerifiedQuery | None:
    """A verified query of ``scope`` whose semantic query is this one."""
    if not semantic_query:
        return None
    select = sa.select(verified_queries).where(verified_queries.c.scope == scope,
                                               verified_queries.c.active == sa.true(),
                                               verified_queries.c.semantic_query.is_not(None))
    with database.connect() as connection:
        rows = [dict(r) for r in connection.execute(select).mappings()]
    wanted = _canonical(semantic_query)
    found = next((r for r in rows if _canonical(r["semantic_query"]) == wanted), None)
    return _query(found) if found is not None else None


def verified_examples(database: Database, scope: str, question: str, limit: int = 4) -> list[dict[str, Any]]:
    """The tenant's verified queries most like ``question`` (shared words of the normalized
    questions, Jaccard), as the LLM planner's first examples; those sharing no word are left out."""
    select = sa.select(verified_queries).where(verified_queries.c.scope == scope,
                                               verified_queries.c.active == sa.true())
    with database.connect() as connection:
        rows = [dict(r) for r in connection.execute(select).mappings()]
    asked = set(normalize_question(question).split())
    scored = [(_overlap(asked, set(row["normalized_question"].split())), row) for row in rows]
    best = sorted((pair for pair in scored if pair[0] > 0), key=lambda pair: (-pair[0], pair[1]["id"]))
    return [{"question": row["question"], "semantic_query": row["semantic_query"], "sql": row["sql"],
             "verified": row["id"]} for _, row in best[:limit]]


def with_verified_first(retrieved: dict[str, list[Any]],
                        verified: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """``retrieved`` with the verified examples first among the examples (the planner's prompt lists
    ``examples`` before ``example``), and a retrieved example with the same question dropped."""
    if not verified:
        return retrieved
    questions = {normalize_question(v["question"]) for v in verified}
    others = [e for e in retrieved.get("example") or ()
              if normalize_question(_question_of(e)) not in questions]
    return {**retrieved, "examples": [*verified, *(retrieved.get("examples") or ())], "example": others}


def _question_of(example: Any) -> str:
    return str(example.get("question", "")) if isinstance(example, dict) else str(example)


def _overlap(first: set[str], second: set[str]) -> float:
    return len(first & second) / len(first | second) if first and second else 0.0


def _canonical(query: dict[str, Any]) -> dict[str, Any]:
    return SemanticQuery.from_contract(query).to_contract()


def _query(row: dict) -> VerifiedQuery:
    return VerifiedQuery(row["id"], row["question"], row["semantic_query"], row["sql"])
