"""Fixtures of the LLM planner tests: the demo semantic model and a real executing check."""

from __future__ import annotations

import datetime as dt

import pytest
from llm_checks import ExecutingCheck

from app.engine.planning.plan import PlanningContext
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model


@pytest.fixture(scope="session")
def semantic_model():
    return load_semantic_model(DEMO_MODEL_PATH)


@pytest.fixture(scope="session")
def catalog(semantic_model) -> str:
    from app.engine.planning.llm.catalog import describe_semantic_model

    return describe_semantic_model(semantic_model)


@pytest.fixture
def executing_check(duckdb_wh, semantic_model) -> ExecutingCheck:
    return ExecutingCheck(duckdb_wh, semantic_model)


@pytest.fixture
def context() -> PlanningContext:
    return PlanningContext(as_of=dt.date(2026, 7, 1), dialect="duckdb")
