"""Shared by the planted-incident tests: scale-1 demos with one incident set each, built once per module."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.pipeline.execute import PlanExecutor
from app.engine.tools import ToolContext
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model
from warehouse.demo import build_demo_warehouse
from warehouse.duckdb import DuckDBWarehouse


@pytest.fixture(scope="module")
def incident_executor(tmp_path_factory):
    """``seed -> PlanExecutor`` over a scale-1 demo (seed 42) with that incident seed's planted
    incidents, as benchmarks/bench_insights.py builds them; each warehouse is built on first use and
    closed at the end."""
    model = load_semantic_model(DEMO_MODEL_PATH)
    folder = tmp_path_factory.mktemp("incidents")
    opened: dict[int, tuple[DuckDBWarehouse, PlanExecutor]] = {}

    def executor(seed: int) -> PlanExecutor:
        if seed not in opened:
            path = folder / f"incidents-{seed}.duckdb"
            build_demo_warehouse(path, scale=1, seed=42, incidents=seed, labels_path=folder / f"{seed}.json")
            warehouse = DuckDBWarehouse(path, timeout_s=120, max_rows=100_000)
            context = ToolContext(warehouse, folder, dt.date(2026, 7, 1))
            opened[seed] = (warehouse, PlanExecutor(model, warehouse, max_rows=1000,
                                                    tool_context=lambda c=context: c))
        return opened[seed][1]

    yield executor
    for warehouse, _ in opened.values():
        warehouse.close()
