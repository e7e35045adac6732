"""X-Forwarded-For is believed only from ASKLYTICS_TRUSTED_PROXIES, on the real server path.

The app runs under uvicorn exactly as ``asklytics serve`` configures it
(``uvicorn_config``), on a free loopback port, and real HTTP requests rotate
the header: from an untrusted peer (every test client here is one, on loopback)
they are all the one client they really are.
"""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager

import httpx
import pytest
from typer.testing import CliRunner

from app.interfaces.cli import cli
from app.interfaces.cli.serve import trusted_proxies, uvicorn_config
from app.settings import Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(demo_db_path, tmp_path, **overrides):
    import uvicorn

    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data", port=_free_port(),
                        log_level="warning", **overrides)
    server = uvicorn.Server(uvicorn_config(settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{settings.port}", timeout=30) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _forwarded(number: int) -> dict[str, str]:
    return {"X-Forwarded-For": f"198.51.100.{number}"}


def test_rotating_forwarded_for_does_not_escape_the_anonymous_rate_limit(demo_db_path, tmp_path):
    with serving(demo_db_path, tmp_path, rate_limit_per_minute=3) as client:
        statuses = [client.get("/api/v1/metrics", headers=_forwarded(n)).status_code for n in range(6)]
    assert statuses == [200, 200, 200, 429, 429, 429]


def test_rotating_forwarded_for_does_not_escape_the_failed_login_limit(demo_db_path, tmp_path):
    with serving(demo_db_path, tmp_path, login_failure_limit=2, api_keys="ops:" + "o" * 30) as client:
        wrong_keys = [{**_forwarded(n), "Authorization": f"Bearer {n:0>30}"} for n in range(4)]
        statuses = [client.get("/api/v1/metrics", headers=headers).status_code for headers in wrong_keys]
    assert statuses == [401, 401, 429, 429]


def test_a_configured_proxy_is_believed(demo_db_path, tmp_path):
    with serving(demo_db_path, tmp_path, rate_limit_per_minute=2, trusted_proxies="127.0.0.0/8") as client:
        rotating = [client.get("/api/v1/metrics", headers=_forwarded(n)).status_code for n in range(4)]
        repeated = [client.get("/api/v1/metrics", headers=_forwarded(7)).status_code for _ in range(3)]
    assert rotating == [200] * 4  # each forwarded address is its own client
    assert repeated == [200, 200, 429]


def test_bad_proxy_entries_are_refused_by_name(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="'proxy.example'"):
        trusted_proxies(Settings(trusted_proxies="10.0.0.1, proxy.example"))
    proxies = trusted_proxies(Settings(trusted_proxies=" 10.0.0.1 ,10.1.0.0/16,::1"))
    assert proxies == ["10.0.0.1", "10.1.0.0/16", "::1"]
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASKLYTICS_TRUSTED_PROXIES", "proxy.example")
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1 and "'proxy.example' is not an IP address" in result.stderr
