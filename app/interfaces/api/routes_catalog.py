"""The semantic catalog (``GET /metrics``) and starter questions built from it (``GET /suggestions``),
both limited to the metrics the caller's access policy allows."""
from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from app.interfaces.api.deps import StateDep
from app.interfaces.api.errors import ERROR_RESPONSES
from app.interfaces.api.security import Caller, CallerDep

router = APIRouter(prefix="/api/v1", tags=["catalog"], responses=ERROR_RESPONSES)

# (metric, question): a starter question is offered only when its metric is in the catalog,
# so a custom semantic model never gets suggestions it cannot answer.
STARTER_QUESTIONS = (
    ("installs", "Installs by platform last month"),
    ("roas", "Top 5 campaigns by ROAS last month"),
    ("cost", "Spend by media source last month"),
    ("revenue", "Revenue by week over the last 3 months"),
    ("fraud_rate", "Fraud rate by media source last month"),
    ("cpi", "CPI by channel last month"),
    ("retention_d7", "D7 retention by country last month"),
    ("dau", "Daily active users over the last 30 days"),
)


class MetricOut(BaseModel):
    name: str
    type: str
    units: str | None
    description: str
    synonyms: list[str]


class Suggestion(BaseModel):
    question: str
    metric: str
    description: str


@router.get("/metrics", response_model=list[MetricOut], summary="The metric catalog of the semantic layer")
async def list_metrics(state: StateDep, caller: CallerDep) -> list[MetricOut]:
    metrics = await run_in_threadpool(_allowed_metrics, state, caller)
    return [MetricOut(name=m.name, type=m.type, units=m.units, description=m.description,
                      synonyms=list(m.synonyms)) for m in metrics.values()]


@router.get("/suggestions", response_model=list[Suggestion], summary="Starter questions from the catalog")
async def suggestions(state: StateDep, caller: CallerDep,
                      limit: int = Query(6, ge=1, le=len(STARTER_QUESTIONS))) -> list[Suggestion]:
    metrics = await run_in_threadpool(_allowed_metrics, state, caller)
    offered = [Suggestion(question=q, metric=name, description=metrics[name].description)
               for name, q in STARTER_QUESTIONS if name in metrics]
    return offered[:limit]


def _allowed_metrics(state, caller: Caller) -> dict:
    assistant = state.assistant()
    policy = assistant.policy_for(caller.scope, caller.key_id)
    return {name: metric for name, metric in assistant.model.metrics.items()
            if policy is None or policy.allows_metric(name)}
