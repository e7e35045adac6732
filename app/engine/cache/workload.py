"""Replay a question workload through a cache the way the Assistant asks it.

Used by benchmarks/bench_cache.py and by the hard-negative test: exact tier,
then the offline plan's slots, then the semantic tier; a miss with a storable
plan is stored, as a successful answer would be. The workload file format is
described at the top of benchmarks/cache_workload.yaml.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.engine.cache.keys import CacheScope
from app.engine.cache.semantic import CacheHit, SemanticCache
from app.engine.cache.slots import extract_slots
from app.engine.planning.plan import PlanningContext


@dataclass(frozen=True)
class Base:
    id: str
    question: str
    paraphrases: tuple[str, ...]


@dataclass(frozen=True)
class HardNegative:
    kind: str
    a: str
    b: str


@dataclass(frozen=True)
class Workload:
    as_of: dt.date
    bases: tuple[Base, ...]
    hard_negatives: tuple[HardNegative, ...]


def load_workload(path: Path | str) -> Workload:
    data = yaml.safe_load(Path(path).read_text())
    bases = tuple(Base(b["id"], b["question"], tuple(b["paraphrases"])) for b in data["bases"])
    pairs = tuple(HardNegative(p["kind"], p["a"], p["b"]) for p in data["hard_negatives"])
    return Workload(as_of=data["as_of"], bases=bases, hard_negatives=pairs)


@dataclass
class Asked:
    question: str
    hit: CacheHit | None
    stored: bool
    timings_ms: dict[str, float] = field(default_factory=dict)


class CacheReplayer:
    """``ask(question, tenant)`` against ``cache`` with ``planner`` (an OfflinePlanner) for slots."""

    def __init__(self, cache: SemanticCache, planner: Any, as_of: dt.date, *, planner_label: str = "offline",
                 usage: dict[str, int] | None = None):
        self.cache, self.planner, self.as_of = cache, planner, as_of
        self.planner_label, self.usage = planner_label, usage or {}

    def scope(self, tenant: str) -> CacheScope:
        return CacheScope(tenant=tenant, warehouse_id="demo", model_version="workload", as_of=self.as_of)

    def ask(self, question: str, tenant: str = "bench") -> Asked:
        scope, timings = self.scope(tenant), {}
        began = time.perf_counter()
        hit = self.cache.lookup_exact(scope, question)
        timings["exact"] = _ms(began)
        if hit is None:
            began = time.perf_counter()
            plan = self.planner.plan(question, PlanningContext(as_of=self.as_of))
            slots = extract_slots(question, plan, self.as_of, getattr(self.planner, "values", None),
                                  getattr(self.planner, "lexicon", None))
            timings["slots"] = _ms(began)
            began = time.perf_counter()
            hit = self.cache.lookup_semantic(scope, question, slots)
            timings["semantic"] = _ms(began)
        self.cache.record(hit)
        stored = hit is None and slots is not None
        if stored:
            self.cache.put(scope, question, slots, plan, planner=self.planner_label, usage=self.usage)
        return Asked(question, hit, stored, timings)


def wrong_hits_on_hard_negatives(replayer: CacheReplayer, pairs: tuple[HardNegative, ...],
                                 tenant_prefix: str = "pair") -> tuple[list[tuple[HardNegative, Asked]], int]:
    """Each pair in its own tenant: store ``a``, ask ``b``.
    Returns (wrong hits, pairs whose ``a`` was stored)."""
    wrong, stored = [], 0
    for number, pair in enumerate(pairs):
        tenant = f"{tenant_prefix}-{number}"
        stored += replayer.ask(pair.a, tenant).stored
        asked = replayer.ask(pair.b, tenant)
        if asked.hit is not None:
            wrong.append((pair, asked))
    return wrong, stored


def _ms(began: float) -> float:
    return (time.perf_counter() - began) * 1000
