"""Shared fixtures: the demo warehouse is built once per test session.

The suite runs on the contract's default scale (1). The built file is kept in
``.cache/test-demo`` under a key made of the generator's source, the scale and
the seed, so a re-run on an unchanged generator reuses it; CI starts clean and
builds it once.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.databases import app_database_url  # noqa: F401  (a fixture: SQLite and PostgreSQL)
from tests.demo_copies import AS_OF, copy_demo
from tests.policy_warehouses import policy_warehouses  # noqa: F401  (a fixture: access-policy oracles)

REPO = Path(__file__).resolve().parents[1]
TEST_SCALE = float(os.environ.get("ASKLYTICS_TEST_SCALE", "1"))
TEST_SEED = 42
# Starlette's TestClient sends "Host: testserver", and the app answers only to trusted host
# names (app/interfaces/api/trusted_hosts.py): the tests' apps trust that name too. Tests of the Host
# rule itself pass trusted_hosts explicitly.
os.environ.setdefault("ASKLYTICS_TRUSTED_HOSTS", "testserver")
# Before any test imports xgboost: idle OpenMP threads must not spin on shared cores.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
CACHE = REPO / ".cache" / "test-demo"


STALE_AFTER_S = 3600


def _remove_stale(pattern: str) -> None:
    """Drop cached builds of older generator versions, but only old ones: a
    concurrent test run may still be reading a build from a few minutes ago."""
    cutoff = time.time() - STALE_AFTER_S
    for stale in CACHE.glob(pattern):
        if stale.stat().st_mtime < cutoff:
            shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)


def _source_key(*places: str) -> str:
    """Hash of the source files (folders searched recursively) that shape the built data."""
    digest = hashlib.sha256()
    for place in places:
        target = REPO / place
        files = [target] if target.is_file() else sorted(target.rglob("*.py"))
        for path in files:
            digest.update(path.read_bytes())
    digest.update(f"{TEST_SCALE}:{TEST_SEED}".encode())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def demo_db_path() -> Path:
    """Path of a read-only scale-1 demo DuckDB file (do not write to it)."""
    from warehouse.demo import build_demo_warehouse

    key = _source_key("warehouse/demo")
    path = CACHE / f"demo-{key}.duckdb"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        _remove_stale("demo-*.duckdb*")
        partial = path.with_suffix(f".partial-{os.getpid()}")
        partial.unlink(missing_ok=True)
        build_demo_warehouse(partial, scale=TEST_SCALE, seed=TEST_SEED)
        os.replace(partial, path)
    return path


@pytest.fixture(scope="session")
def duckdb_wh(demo_db_path):
    """The hardened DuckDB connector over the demo warehouse."""
    from warehouse.duckdb import DuckDBWarehouse

    wh = DuckDBWarehouse(demo_db_path, timeout_s=30, max_rows=100_000)
    yield wh
    wh.close()


@pytest.fixture(scope="session")
def _chdb_cached_path(demo_db_path) -> Path:
    """The demo data loaded into a chdb folder, cached across runs (never opened directly)."""
    from warehouse.chdb import load_demo_from_duckdb

    key = _source_key("warehouse/demo", "warehouse/chdb.py", "warehouse/chdb_loader.py",
                      "warehouse/chdb_process.py")
    path = CACHE / f"chdb-{key}"
    if not path.exists():
        _remove_stale("chdb-*")
        partial = CACHE / f"partial-chdb-{key}-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        load_demo_from_duckdb(demo_db_path, partial)
        try:
            partial.rename(path)
        except OSError:  # a concurrent run finished the same build first
            shutil.rmtree(partial, ignore_errors=True)
    return path


@pytest.fixture(scope="session")
def chdb_path(_chdb_cached_path, tmp_path_factory) -> Path:
    """This session's private copy of the chdb demo folder.

    chdb locks its data folder per process, and another pytest run may hold the
    cached one; every chdb connector of this session opens this copy.
    """
    private = tmp_path_factory.mktemp("chdb") / "data"
    shutil.copytree(_chdb_cached_path, private, symlinks=True)  # Atomic databases link into store/
    return private


@pytest.fixture(scope="session")
def chdb_wh(chdb_path):
    """The chdb connector (ClickHouse SQL, in process) over the demo data.

    chdb allows one open data folder per process, so every test shares it.
    """
    from warehouse.chdb import ChdbWarehouse

    wh = ChdbWarehouse(chdb_path, timeout_s=30, max_rows=100_000)
    yield wh
    wh.close()


@pytest.fixture(scope="session")
def demo_sql(demo_db_path):
    """A plain (unhardened, trusted) read-only DuckDB connection to the demo file, for tests
    that inspect the data directly. It ATTACHes the file into an in-memory database: DuckDB
    refuses a second direct connection to a file this process already holds (the hardened
    ``duckdb_wh``) with a different configuration."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"ATTACH '{demo_db_path}' AS demo (READ_ONLY)")
    con.execute("USE demo")
    yield con
    con.close()


TEST_REDIS_URL = os.environ.get("ASKLYTICS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture()
def redis_url() -> str:
    """The real test Redis: a skip locally without one, a failure in CI
    (``.ci/run`` sets ASKLYTICS_REQUIRE_REDIS=1)."""
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL).ping()
    except redis.ConnectionError:
        if os.environ.get("ASKLYTICS_REQUIRE_REDIS") == "1":
            raise
        pytest.skip(f"no Redis at {TEST_REDIS_URL} (CI sets ASKLYTICS_REQUIRE_REDIS=1 so this fails there)")
    return TEST_REDIS_URL


class StalledRedis:
    """A listener that accepts connections and never answers: a Redis whose process hangs."""

    def __init__(self):
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self._listener.getsockname()[1]}/0"
        self.accepted = 0
        self._held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:  # closed
                return
            self.accepted += 1
            self._held.append(conn)

    def close(self) -> None:
        self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self._listener.close()
        for conn in self._held:
            conn.close()


@pytest.fixture()
def stalled_redis():
    server = StalledRedis()
    yield server
    server.close()


@pytest.fixture()
def closed_redis_url() -> str:
    """A Redis URL whose port nothing listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{probe.getsockname()[1]}/0"


# --- the four predictor models, trained once per session on a copy of the scale-1 demo ---------
@pytest.fixture(scope="session")
def trained(demo_db_path, tmp_path_factory):
    """{"registry": ModelRegistry, "artifacts": {name: ModelArtifact}, "train_db": Path}: fraud, churn,
    ltv and conversion."""
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
                     for name in ("fraud", "churn", "ltv", "conversion")}
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
