"""The dev set and how a case's conversation is planned (shared by the offline planner tests)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from app.engine.planning.plan import PlanningContext

AS_OF = dt.date(2026, 7, 1)
DEV_SET = Path(__file__).with_name("dev_set.yaml")


def load_dev_set() -> dict:
    return yaml.safe_load(DEV_SET.read_text())


def plan_conversation(planner, turns: list[str], question: str):
    """Plan earlier turns first (each sees the ones before), then the question."""
    previous: tuple = ()
    for turn in turns:
        previous += (planner.plan(turn, PlanningContext(as_of=AS_OF, previous_plans=previous)),)
    return planner.plan(question, PlanningContext(as_of=AS_OF, previous_plans=previous))
