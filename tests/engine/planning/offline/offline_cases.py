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


def fixture_planner(tmp_path_factory, name: str):
    """An offline planner on a fixture warehouse (evals/fixtures) built in a temporary folder, with its
    own model and no embedder; a generator for module-scoped pytest fixtures (closes the warehouse)."""
    from app.engine.planning.offline import OfflinePlanner
    from evals.fixtures import build_fixture
    from semantic_layer import load_semantic_model
    from warehouse.duckdb import DuckDBWarehouse

    fixture = build_fixture(name, tmp_path_factory.mktemp(name))
    warehouse = DuckDBWarehouse(fixture.warehouse_path, max_rows=100_000)
    yield OfflinePlanner(load_semantic_model(fixture.model_path), warehouse.schema(), warehouse=warehouse,
                         embedder=False)
    warehouse.close()
