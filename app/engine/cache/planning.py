"""Glue between the cache and the planners: slots from the offline plan, planned once per ask.

The semantic tier needs the offline planner's plan of the question (its slots); on a miss
the router needs the same plan. ``OfflinePlanning`` makes it once for the ask that owns it
and both read it; nothing is remembered between asks or threads.
"""
from __future__ import annotations

from typing import Any

from app.engine.cache.keys import CacheScope, context_signature, digest, model_version
from app.engine.cache.slots import Slots, extract_slots
from app.engine.planning.plan import Plan, PlanningContext


class OfflinePlanning:
    """The offline plan of one question in one ask, made at most once.

    The cache's semantic tier reads its slots; on a miss the router takes the same plan
    (``PlannerRouter.plan(..., offline_plan=planning.plan)``), so a question is planned once.
    """

    def __init__(self, planner: Any, question: str, context: PlanningContext):
        self.planner, self.question, self.context = planner, question, context
        self._plan: Plan | None = None

    def plan(self) -> Plan:
        if self._plan is None:
            self._plan = self.planner.plan(self.question, self.context)
        return self._plan

    def slots(self) -> Slots | None:
        return extract_slots(self.question, self.plan(), self.context.as_of, self.planner.values,
                             self.planner.lexicon)


class ScopeBuilder:
    """Builds the :class:`CacheScope` of a question; versions are memoized per model/schema object."""

    def __init__(self, warehouse: Any):
        self.warehouse_id = warehouse_id(warehouse)
        self._versions: dict[tuple[int, int], str] = {}

    def version(self, model: Any, schema: Any) -> str:
        key = (id(model), id(schema))
        if key not in self._versions:
            self._versions = {key: model_version(model, schema)}  # only the current one matters
        return self._versions[key]

    def scope(self, tenant: str, model: Any, schema: Any, context: PlanningContext) -> CacheScope:
        return CacheScope(tenant=tenant, warehouse_id=self.warehouse_id,
                          model_version=self.version(model, schema), as_of=context.as_of,
                          context=context_signature(context.previous_plans))


def warehouse_id(warehouse: Any) -> str:
    """Engine name plus a hash of where it points (file or server), never the credentials."""
    address = getattr(warehouse, "path", None) or getattr(warehouse, "address", None)
    if hasattr(address, "host"):
        address = f"{address.host}:{address.port}/{address.database}"
    return f"{getattr(warehouse, 'name', type(warehouse).__name__)}:{digest(str(address), 12)}"
