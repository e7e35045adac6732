"""Glue between the cache and the planners: slots from the offline plan, planned once.

The semantic tier needs the offline planner's plan of the question (its slots);
on a miss the router would plan the same question again. ``PlanOnce`` wraps the
offline planner and hands back the plan it just made for the same question and
context, so a miss costs one offline planning, not two.
"""
from __future__ import annotations

import threading
from typing import Any

from app.engine.cache.keys import CacheScope, context_signature, digest, model_version
from app.engine.cache.slots import Slots, extract_slots
from app.engine.planning.plan import Plan, PlanningContext


class PlanOnce:
    """An offline planner that remembers its last plan per thread."""

    def __init__(self, planner: Any):
        self.planner = planner
        self._last = threading.local()

    def __getattr__(self, name: str) -> Any:  # .values, .embeddings, ... of the wrapped planner
        return getattr(self.planner, name)

    def plan(self, question: str, context: PlanningContext) -> Plan:
        remembered = getattr(self._last, "item", None)
        if remembered is not None and remembered[0] == question and remembered[1] is context:
            return remembered[2]
        plan = self.planner.plan(question, context)
        self._last.item = (question, context, plan)
        return plan

    def slots(self, question: str, context: PlanningContext) -> Slots | None:
        return extract_slots(question, self.plan(question, context), context.as_of,
                             getattr(self.planner, "values", None), getattr(self.planner, "lexicon", None))


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
        return CacheScope(tenant=tenant, warehouse_id=self.warehouse_id, model_version=self.version(model, schema),
                          as_of=context.as_of, context=context_signature(context.previous_plans))


def warehouse_id(warehouse: Any) -> str:
    """Engine name plus a hash of where it points (file or server), never the credentials."""
    address = getattr(warehouse, "path", None) or getattr(warehouse, "address", None)
    if hasattr(address, "host"):
        address = f"{address.host}:{address.port}/{address.database}"
    return f"{getattr(warehouse, 'name', type(warehouse).__name__)}:{digest(str(address), 12)}"
