"""Warm start (#19): a served app loads the assistant before ``/readyz`` says ready, and the
rehearsal it answers on the way leaves nothing behind."""
from __future__ import annotations

import gc
import threading

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.interfaces import assembly
from app.interfaces.assembly import create_app
from app.interfaces.shared import state as state_module
from app.settings import Settings
from appdb.tables import answers, audit_log, conversation_turns


@pytest.fixture(autouse=True)
def _unfrozen():
    """A served app freezes the heap (``freeze_heap``); this test process goes on to other tests."""
    yield
    gc.unfreeze()


def _held_warm_up(monkeypatch) -> threading.Event:
    """The warm-up waits for the returned event before it loads anything: 'starting' is observable."""
    release = threading.Event()
    real = state_module.warm_up

    def held(assistant, stop):
        assert release.wait(120), "the test never released the warm-up"
        return real(assistant, stop)

    monkeypatch.setattr(state_module, "warm_up", held)
    return release


def test_readyz_says_starting_until_everything_is_loaded(demo_db_path, tmp_path, monkeypatch):
    release = _held_warm_up(monkeypatch)
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data")
    with TestClient(create_app(settings, warm_start=True)) as client:
        starting = client.get("/readyz")
        assert starting.status_code == 503
        body = starting.json()
        assert body["status"] == "starting" and body["error"]["code"] == "starting"
        assert body["warm_start"]["status"] == "starting"
        release.set()
        state = client.app.state.asklytics
        assert state.warm.done.wait(600)
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        warm = ready.json()["warm_start"]
        assert warm["status"] == "ready" and ready.json()["status"] == "ready"
        assert {"warehouse", "planner", "embedding model", "executor", "rehearsal"} <= set(warm["steps"])
        assistant = state._assistant
        loaded = assistant.__dict__
        assert {"router", "executor", "visible_schema", "app_database"} <= set(loaded)
        assert loaded["router"].offline.embeddings._done  # MiniLM (or its absence) settled
        with state.database.connect() as connection:  # the rehearsal was rolled back
            for table in (conversation_turns, answers, audit_log):
                assert connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0
        answer = client.post("/api/v1/ask", json={"question": "installs by platform last month"}).json()
        assert answer["status"] == "answered"
        assert state._assistant is assistant  # the warmed assistant answered, not a new one


def test_a_warm_start_that_cannot_open_the_warehouse_is_not_ready(tmp_path):
    settings = Settings(warehouse_path=tmp_path / "nope.duckdb", data_dir=tmp_path / "data")
    with TestClient(create_app(settings, warm_start=True)) as client:
        assert client.app.state.asklytics.warm.done.wait(120)
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["warm_start"]["status"] == "failed" and "asklytics demo build" in body["warm_start"]["error"]
    assert body["error"]["code"] == "warehouse_unavailable"


def test_apps_without_a_warm_start_load_on_first_use(demo_db_path, tmp_path):
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data")
    with TestClient(create_app(settings)) as client:
        state = client.app.state.asklytics
        assert state.warm is None and state._assistant is None
        assert "warm_start" not in client.get("/readyz").json()


def test_serve_runs_the_warm_started_factory(monkeypatch, demo_db_path, tmp_path):
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(demo_db_path))
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(assembly, "get_settings", lambda: Settings())
    release = _held_warm_up(monkeypatch)
    release.set()
    with TestClient(assembly.served_app()) as client:
        assert client.app.state.asklytics.warm is not None


def test_a_server_freezes_what_it_loaded_out_of_the_collectors_sight(demo_db_path, tmp_path, monkeypatch):
    """``serve`` (``freeze_heap``): after the warm start the loaded parts are in the permanent
    generation, so a full collection no longer walks them (it took ~1 s on busy cores)."""
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data", planner="offline",
                        cache_enabled=False)
    gc.unfreeze()
    try:
        with TestClient(create_app(settings, warm_start=True)) as client:  # a test's app: nothing frozen
            assert client.app.state.asklytics.warm.done.wait(300)
            assert gc.get_freeze_count() == 0
        with TestClient(create_app(settings, warm_start=True, freeze_heap=True)) as client:
            state = client.app.state.asklytics
            assert state.warm.done.wait(300)
            assert state.warm.status == "ready" and "freeze heap" in state.warm.steps
            assert gc.get_freeze_count() > 100_000
    finally:
        gc.unfreeze()


def test_the_warm_start_builds_every_route_before_the_first_request(demo_db_path, tmp_path, monkeypatch):
    """FastAPI may build an included router's routes (dependency trees, body validators) when a
    request first walks them: 20-50 ms the first answer of a process paid. ``build_route_handlers``
    (run by a warm start) builds them all before the first request; after it, a request builds none."""
    import fastapi.routing

    built: list[str] = []
    real = fastapi.routing.get_dependant
    monkeypatch.setattr(fastapi.routing, "get_dependant",
                        lambda *args, **kwargs: built.append(kwargs.get("path")) or real(*args, **kwargs))
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data")
    app = create_app(settings)
    assembly.build_route_handlers(app)
    assert len(built) > 20  # every route of every router (this FastAPI builds them lazily)
    before = len(built)
    with TestClient(app, base_url="http://localhost") as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/v1/metrics").status_code == 200
    assert len(built) == before
