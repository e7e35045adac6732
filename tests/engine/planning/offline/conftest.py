"""One offline planner per test session, on the real demo warehouse (campaign names included)."""
from __future__ import annotations

import pytest

from app.engine.planning.offline import OfflinePlanner
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model


@pytest.fixture(scope="session")
def semantic_model():
    return load_semantic_model(DEMO_MODEL_PATH)


@pytest.fixture(scope="session")
def planner(semantic_model, duckdb_wh):
    return OfflinePlanner(semantic_model, duckdb_wh.schema(), warehouse=duckdb_wh)
