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

    def held(assistant, stop, request=None):
        assert release.wait(120), "the test never released the warm-up"
        return real(assistant, stop, request)

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


# --- the warm-up request: the whole request path before /readyz says ready, recorded nowhere ----------

WARM_UP_REDIS_DB = 13  # a Redis database of these tests alone (others use 15, 3, 11; bench_load 12)


def _rehearsed_answers(monkeypatch) -> list:
    """The answers the ask route handed to the answer log's rehearsal (the warm-up request's branch)."""
    from app.interfaces.shared.answer_log import AnswerLog

    seen = []
    real = AnswerLog.rehearse

    def spy(self, answer, scope):
        seen.append((answer, scope))
        return real(self, answer, scope)

    monkeypatch.setattr(AnswerLog, "rehearse", spy)
    return seen


def _count(database, table) -> int:
    with database.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar()


@pytest.fixture()
def warm_up_redis(redis_url):
    import redis

    url = f"{redis_url.rsplit('/', 1)[0]}/{WARM_UP_REDIS_DB}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url, client
    client.flushdb()


def _assert_warm_request_left_no_trace(client, seen, cache) -> None:
    from app.interfaces.shared.callers import WARM_UP_SCOPE

    state = client.app.state.asklytics
    assert state.warm.done.wait(600) and state.warm.status == "ready", state.warm.as_json()
    assert "request" in state.warm.steps
    assert [(answer.status, scope) for answer, scope in seen] == [("answered", WARM_UP_SCOPE)]
    rehearsed = seen[0][0]
    database = state.database
    for table in (conversation_turns, answers, audit_log):
        assert _count(database, table) == 0, table.name
    assistant = state._assistant
    assert assistant.conversations.turns(rehearsed.conversation_id, WARM_UP_SCOPE) == []
    assert assistant.conversations.list_ids(WARM_UP_SCOPE) == []
    assert cache.store.entry_count() == 0
    assert not any(cache.store.counters().values())  # no lookup counted
    # The same path for a user is recorded: the checks above could fail.
    answer = client.post("/api/v1/ask", json={"question": rehearsed.question}).json()
    assert answer["status"] == "answered"
    assert _count(database, answers) == 1 and assistant.conversations.list_ids("default") == [
        answer["conversation_id"]]
    assert cache.store.entry_count() == 1 and cache.store.counters().get("misses") == 1


def test_the_warm_up_request_answers_through_the_app_and_leaves_no_trace(demo_db_path, tmp_path,
                                                                         app_database_url, monkeypatch):
    """Application database on SQLite and PostgreSQL (conversations kept there), cache in memory."""
    seen = _rehearsed_answers(monkeypatch)
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data", planner="offline",
                        database_url=app_database_url, conversation_store="database", cache_enabled=True)
    with TestClient(create_app(settings, warm_start=True)) as client:
        _assert_warm_request_left_no_trace(client, seen, _cache_when_ready(client))


def _cache_when_ready(client):
    state = client.app.state.asklytics
    assert state.warm.done.wait(600)
    return state._assistant.cache


def test_the_warm_up_request_leaves_nothing_in_redis(demo_db_path, tmp_path, warm_up_redis, monkeypatch):
    """Conversations, cache and rate limit in Redis: after the warm start the database is empty."""
    url, redis_client = warm_up_redis
    seen = _rehearsed_answers(monkeypatch)
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data", planner="offline",
                        redis_url=url, cache_enabled=True)
    with TestClient(create_app(settings, warm_start=True)) as client:
        cache = _cache_when_ready(client)
        assert redis_client.dbsize() == 0, sorted(redis_client.keys())
        _assert_warm_request_left_no_trace(client, seen, cache)


def test_readyz_waits_for_the_warm_up_request(demo_db_path, tmp_path, monkeypatch):
    """Every part is loaded, the request is held: /readyz still says starting until it is answered."""
    release, reached = threading.Event(), threading.Event()
    real = assembly.run_warm_up_request

    def held(app, loop, question, stop):
        reached.set()
        assert release.wait(120), "the test never released the warm-up request"
        return real(app, loop, question, stop)

    monkeypatch.setattr(assembly, "run_warm_up_request", held)
    seen = _rehearsed_answers(monkeypatch)
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data", planner="offline",
                        cache_enabled=False)
    with TestClient(create_app(settings, warm_start=True)) as client:
        assert reached.wait(600)
        starting = client.get("/readyz")
        assert starting.status_code == 503 and starting.json()["status"] == "starting"
        assert seen == []
        release.set()
        state = client.app.state.asklytics
        assert state.warm.done.wait(120)
        ready = client.get("/readyz")
        assert ready.status_code == 200 and "request" in ready.json()["warm_start"]["steps"]
        assert len(seen) == 1


def test_a_client_cannot_make_its_request_a_warm_up(demo_db_path, tmp_path):
    """The mark is a key of the ASGI scope holding an object of the server's module: a header of the
    same name (or any value under that key but the module's) is an ordinary request, logged."""
    from app.interfaces.api import warm_request

    assert not warm_request.is_warm_up_request({warm_request.SCOPE_KEY: True})
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data", planner="offline",
                        cache_enabled=False)
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/v1/ask", json={"question": "installs by platform last month"},
                               headers={warm_request.SCOPE_KEY: "1"})
        assert response.json()["status"] == "answered"
        database = client.app.state.asklytics.database
        assert _count(database, answers) == 1 and _count(database, conversation_turns) == 1


# --- serve --workers N: a worker takes connections only once its own warm start is over ---------------

def test_a_worker_of_several_serves_only_once_warm(demo_db_path, tmp_path):
    """The app's startup ends with its warm start (warm-up request included, run on the loop while
    startup waits): uvicorn accepts on the workers' shared socket only after startup, so a worker
    still warming takes no question and answers no ``/readyz`` probe; the ones that answer are warm."""
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data", planner="offline",
                        cache_enabled=False)
    with TestClient(create_app(settings, warm_start=True, serve_when_warm=True)) as client:
        state = client.app.state.asklytics
        assert state.warm.done.is_set() and state.warm.status == "ready", state.warm.as_json()
        assert "request" in state.warm.steps
        assert client.get("/readyz").status_code == 200


def test_only_a_worker_of_several_waits_for_its_warm_start(monkeypatch, tmp_path):
    """One process says 'starting' (503) while it warms; each of several serves only once warm."""
    built = []
    monkeypatch.setattr(assembly, "create_app", lambda settings, **options: built.append(options))
    for workers in (1, 2):
        settings = Settings(workers=workers, data_dir=tmp_path)
        monkeypatch.setattr(assembly, "get_settings", lambda settings=settings: settings)
        assembly.served_app()
    assert [options["serve_when_warm"] for options in built] == [False, True]
    assert all(options["warm_start"] for options in built)
