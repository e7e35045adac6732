"""The API skeleton: probes, schema, docs page, and clean errors."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.interfaces.assembly import create_app
from app.settings import Settings


@pytest.fixture()
def client(demo_db_path):
    with TestClient(create_app(Settings(warehouse_path=demo_db_path))) as c:
        yield c


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_when_warehouse_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "components": {
        "warehouse": {"status": "up", "required": True, "engine": "duckdb"},
        "rate_limit": {"status": "up", "required": False, "backend": "memory"},
        "conversations": {"status": "up", "required": False, "backend": "memory"},
        "cache": {"status": "up", "required": False, "backend": "memory"}}}


def test_readyz_reports_a_missing_warehouse(tmp_path):
    app = create_app(Settings(warehouse_path=tmp_path / "nope.duckdb"))
    with TestClient(app) as c:
        response = c.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["components"]["warehouse"]["status"] == "down"
    error = response.json()["error"]
    assert error["code"] == "warehouse_unavailable"
    assert "asklytics demo build" in error["message"]


def test_schema_lists_contract_tables(client):
    tables = {t["name"]: t for t in client.get("/api/v1/schema").json()["tables"]}
    assert {"campaigns", "ad_spend", "installs", "events"} <= set(tables)
    platform = next(c for c in tables["campaigns"]["columns"] if c["name"] == "platform")
    assert platform["values"] == ["Android", "iOS"]


def test_missing_warehouse_is_a_503_not_a_traceback(tmp_path):
    with TestClient(create_app(Settings(warehouse_path=tmp_path / "nope.duckdb"))) as c:
        response = c.get("/api/v1/schema")
    assert response.status_code == 503
    assert "Traceback" not in response.text


def test_an_unexpected_error_is_a_json_500_not_a_plain_text_page(demo_db_path, monkeypatch):
    app = create_app(Settings(warehouse_path=demo_db_path))

    def broken():
        raise RuntimeError("boom: internal detail")

    with TestClient(app, raise_server_exceptions=False) as c:
        monkeypatch.setattr(app.state.asklytics, "assistant", broken)
        response = c.get("/api/v1/metrics")
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "internal_error",
                                         "message": "Something went wrong; the error was logged."}}


def test_openapi_docs_page(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/healthz", "/readyz", "/api/v1/schema"} <= set(paths)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_command_serves_over_http(demo_db_path, tmp_path):
    """`asklytics serve` really listens: the process the README's `make run` starts."""
    port = _free_port()
    env = {**os.environ, "ASKLYTICS_WAREHOUSE_PATH": str(demo_db_path), "ASKLYTICS_PORT": str(port)}
    cli = Path(sys.executable).with_name("asklytics")
    proc = subprocess.Popen([str(cli), "serve"], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = _wait_for(f"http://127.0.0.1:{port}/readyz", proc)
        assert body["status"] == "ready" and body["components"]["warehouse"]["engine"] == "duckdb"
        assert body["warm_start"]["status"] == "ready"  # serve loads everything before it says ready
        assert httpx.get(f"http://127.0.0.1:{port}/docs").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def test_serve_refuses_to_start_without_a_warehouse(tmp_path):
    cli = Path(sys.executable).with_name("asklytics")
    env = {**os.environ, "ASKLYTICS_WAREHOUSE_PATH": str(tmp_path / "missing.duckdb")}
    done = subprocess.run([str(cli), "serve"], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 1
    assert "asklytics demo build" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def _wait_for(url: str, proc: subprocess.Popen, attempts: int = 600) -> dict:
    """The first answer of ``url`` past the warm start (``/readyz`` says ``starting`` until then)."""
    for _ in range(attempts):
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stdout.read().decode()}")
        try:
            body = httpx.get(url, timeout=2).json()
        except httpx.TransportError:
            body = None
        if body is not None and body.get("status") != "starting":
            return body
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer")
