"""Predictor fixtures: the three models trained once per session on a copy of the scale-1 demo.

Copies keep the shared cached demo file untouched (scoring writes tables) and
let DuckDB open each file with its own settings within one process.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

# Before any test module imports xgboost: idle OpenMP threads must not spin on shared cores.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

AS_OF = dt.date(2026, 7, 1)


def copy_demo(demo_db_path: Path, folder: Path, name: str = "demo.duckdb") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(demo_db_path, target)
    return target


@pytest.fixture(scope="session")
def trained(demo_db_path, tmp_path_factory):
    """{"registry": ModelRegistry, "artifacts": {name: ModelArtifact}, "train_db": Path}."""
    import duckdb

    from predictors.features.base import ConnectionSource
    from predictors.registry import ModelRegistry
    from predictors.train import train_model

    root = tmp_path_factory.mktemp("predictors")
    train_db = copy_demo(demo_db_path, root / "train")
    registry = ModelRegistry(root / "data" / "models")
    connection = duckdb.connect(str(train_db), read_only=True)
    try:
        artifacts = {name: train_model(name, ConnectionSource(connection), registry, AS_OF)
                     for name in ("fraud", "churn", "ltv")}
    finally:
        connection.close()
    return {"registry": registry, "artifacts": artifacts, "train_db": train_db, "root": root}


@pytest.fixture(scope="session")
def train_source(trained):
    """A read-only connection source over the training copy (features for checks)."""
    import duckdb

    from predictors.features.base import ConnectionSource

    connection = duckdb.connect(str(trained["train_db"]), read_only=True)
    yield ConnectionSource(connection)
    connection.close()
