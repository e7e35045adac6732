"""The demo warehouse with prediction tables (DuckDB and chdb), built once and cached like the demo.

The cache key is the demo build's own key (its file name) plus the sources that
shape the added tables, so a changed generator, scorer DDL or fixture rebuilds it.
The chdb copy is loaded in a subprocess: chdb embeds one data folder per process,
and the session's plain demo folder may already be the one.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_SOURCES = (Path(__file__).parent / "prediction_tables.py", REPO / "predictors" / "scoring.py",
            REPO / "predictors" / "segments.py", REPO / "predictors" / "clusters.py",
            REPO / "warehouse" / "chdb_loader.py")


STALE_AFTER_S = 3600


def _remove_older_builds(folder: Path, keep: str) -> None:
    """Builds of other keys, once old enough that no concurrent run can still be reading them."""
    cutoff = time.time() - STALE_AFTER_S
    for stale in [*folder.glob("scored-*.duckdb"), *folder.glob("chdb-scored-*")]:
        if keep not in stale.name and stale.stat().st_mtime < cutoff:
            shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)


def _scored_key(demo_db_path: Path) -> str:
    digest = hashlib.sha256(demo_db_path.name.encode())
    for source in _SOURCES:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def scored_db_path(demo_db_path) -> Path:
    """A read-only copy of the demo with churn_scores, fraud_scores, ltv_predictions and user_segments."""
    from tests.semantic_layer.prediction_tables import write_prediction_tables

    key = _scored_key(demo_db_path)
    path = demo_db_path.parent / f"scored-{key}.duckdb"
    if not path.exists():
        _remove_older_builds(path.parent, key)
        partial = path.with_suffix(f".partial-{os.getpid()}")
        shutil.copyfile(demo_db_path, partial)
        write_prediction_tables(partial)
        os.replace(partial, path)
    return path


@pytest.fixture(scope="session")
def scored_duckdb_wh(scored_db_path):
    from warehouse.duckdb import DuckDBWarehouse

    wh = DuckDBWarehouse(scored_db_path, timeout_s=30, max_rows=100_000)
    yield wh
    wh.close()


@pytest.fixture(scope="session")
def scored_chdb_wh(scored_db_path, tmp_path_factory):
    from warehouse.chdb import ChdbWarehouse

    cached = scored_db_path.parent / f"chdb-{scored_db_path.stem}"
    if not cached.exists():
        partial = cached.parent / f"partial-{cached.name}-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        load = ("import sys; from warehouse.chdb_loader import load_demo_from_duckdb as load; "
                "load(sys.argv[1], sys.argv[2])")
        subprocess.run([sys.executable, "-c", load, str(scored_db_path), str(partial)], check=True, cwd=REPO)
        try:
            partial.rename(cached)
        except OSError:  # a concurrent run finished the same build first
            shutil.rmtree(partial, ignore_errors=True)
    private = tmp_path_factory.mktemp("chdb-scored") / "data"
    shutil.copytree(cached, private, symlinks=True)
    wh = ChdbWarehouse(private, timeout_s=30, max_rows=100_000)
    yield wh
    wh.close()
