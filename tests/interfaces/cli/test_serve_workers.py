"""``asklytics serve --workers 2`` (#19): two real worker processes share conversations (application
database / Redis), the semantic cache and the rate limit (Redis). Which worker answered is read
from /proc: the worker process that holds the server end of the client's connection."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import redis
from live_server import free_port

from tests.demo_copies import copy_demo

WORKERS_REDIS_DB = 11  # a Redis database of this test alone (the other tests use 15 and 3)
KEY_ASKING = "default:workers-test-key-asking-0123456789"
KEY_LIMITED = "default:workers-test-key-limited-0123456789"
RATE_LIMIT = 6


def _serve_env(demo: Path, data: Path, port: int, redis_url: str | None) -> dict:
    env = {name: value for name, value in os.environ.items()
           if name not in ("REDIS_URL", "ASKLYTICS_REDIS_URL")}
    env.update({"ASKLYTICS_WAREHOUSE_PATH": str(demo), "ASKLYTICS_DATA_DIR": str(data),
                "ASKLYTICS_PORT": str(port), "ASKLYTICS_HOST": "127.0.0.1", "ASKLYTICS_PLANNER": "offline",
                "ASKLYTICS_AS_OF": "2026-07-01", "ASKLYTICS_DEMO": "true", "ASKLYTICS_LOG_LEVEL": "warning",
                "ASKLYTICS_API_KEYS": f"{KEY_ASKING},{KEY_LIMITED}",
                "ASKLYTICS_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT)})
    if redis_url:
        env["ASKLYTICS_REDIS_URL"] = redis_url
    return env


def _serve(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from app.interfaces.cli import main; main()", "serve",
                             *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.fixture()
def workers_redis(redis_url):
    """The test Redis on a database of its own, emptied of what an earlier run left."""
    url = f"{redis_url.rsplit('/', 1)[0]}/{WORKERS_REDIS_DB}"
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture()
def two_workers(demo_db_path, workers_redis, tmp_path):
    port = free_port()
    env = _serve_env(copy_demo(demo_db_path, tmp_path / "served"), tmp_path / "data", port, workers_redis)
    server = _serve(env, "--workers", "2")
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, server)
        yield {"url": url, "server": server, "port": port}
    finally:
        server.terminate()
        server.wait(timeout=120)


def _wait_ready(url: str, server: subprocess.Popen) -> None:
    for _ in range(2400):
        if server.poll() is not None:
            raise AssertionError(f"the server exited: {server.stderr.read()}")
        try:
            if httpx.get(url + "/readyz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise AssertionError("the server did not become ready")


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def _serving_pid(server_port: int, client_port: int, pids: set[int]) -> int:
    """The process holding the server end of the loopback connection from ``client_port``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote = (int(address.rsplit(":", 1)[1], 16) for address in fields[1:3])
            if (local, remote) == (server_port, client_port):
                inodes.add(f"socket:[{fields[9]}]")
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) in inodes:
                    return pid
            except OSError:  # closed meanwhile
                continue
    raise AssertionError(f"no worker holds the connection from port {client_port}")


def _client_per_worker(served: dict) -> dict[int, httpx.Client]:
    """One keep-alive client connected to each worker: new connections until both have one."""
    workers = _children(served["server"].pid)
    clients: dict[int, httpx.Client] = {}
    spare = []
    for _ in range(200):
        client = httpx.Client(base_url=served["url"], timeout=120)
        response = client.get("/readyz")  # not rate limited
        if response.status_code != 200:  # that worker is still warming up
            client.close()
            time.sleep(0.25)
            continue
        client_port = response.extensions["network_stream"].get_extra_info("client_addr")[1]
        pid = _serving_pid(served["port"], client_port, workers)
        (spare.append(client) if pid in clients else clients.setdefault(pid, client))
        if len(clients) == 2:
            break
    for client in spare:
        client.close()
    assert len(clients) == 2, f"200 connections all reached {list(clients)} of the workers {workers}"
    return clients


def _auth(key: str) -> dict:
    return {"Authorization": f"Bearer {key.split(':', 1)[1]}"}


def test_two_workers_share_conversations_cache_and_rate_limit(two_workers, workers_redis):
    first, second = _client_per_worker(two_workers).values()
    # Both workers are ready, so each has sent its warm-up request through its app: nothing of them
    # is in the shared state (no conversation, cache entry or counter, rate-limit window).
    assert redis.Redis.from_url(workers_redis).keys() == []
    asking = _auth(KEY_ASKING)

    opened = first.post("/api/v1/ask", headers=asking, json={"question": "installs by platform last month"})
    assert opened.status_code == 200, opened.text
    follow = second.post("/api/v1/ask", headers=asking,
                         json={"question": "just iOS", "conversation_id": opened.json()["conversation_id"]})
    assert follow.status_code == 200, follow.text
    ios = next(row[1] for row in opened.json()["rows"] if row[0] == "iOS")
    assert follow.json()["rows"] == [[ios]]  # the other worker read the first turn
    turns = first.get(f"/api/v1/conversations/{opened.json()['conversation_id']}", headers=asking).json()
    assert [turn["question"] for turn in turns["turns"]] == ["installs by platform last month", "just iOS"]

    again = second.post("/api/v1/ask", headers=asking, json={"question": "installs by platform last month"})
    assert again.json()["cached"] is True  # planned by the other worker, cached in Redis

    _assert_one_limit_for_both(first, second)


def _assert_one_limit_for_both(first: httpx.Client, second: httpx.Client) -> None:
    """RATE_LIMIT requests alternating between the workers, then one more: refused, on either worker.
    Per worker the limit would let 2 x RATE_LIMIT through. Redis counts one-minute windows, so a round
    that crossed into the next window is repeated."""
    limited = _auth(KEY_LIMITED)
    for _ in range(3):
        window = int(time.time() // 60)
        statuses = [(first, second)[n % 2].get("/api/v1/schema", headers=limited).status_code
                    for n in range(RATE_LIMIT + 2)]
        if int(time.time() // 60) == window:
            break
    assert statuses == [200] * RATE_LIMIT + [429, 429]


def test_more_than_one_worker_without_redis_is_refused(demo_db_path, tmp_path):
    env = _serve_env(copy_demo(demo_db_path, tmp_path / "served"), tmp_path / "data", free_port(), None)
    server = _serve(env, "--workers", "2")
    _, stderr = server.communicate(timeout=300)
    assert server.returncode == 1
    message = " ".join(stderr.split())
    assert "--workers 2 needs Redis" in message and "ASKLYTICS_REDIS_URL" in message
    assert "Traceback" not in stderr


def test_more_than_one_worker_with_redis_down_is_refused(demo_db_path, tmp_path, closed_redis_url):
    env = _serve_env(copy_demo(demo_db_path, tmp_path / "served"), tmp_path / "data", free_port(),
                     closed_redis_url)
    server = _serve(env, "--workers", "2")
    _, stderr = server.communicate(timeout=300)
    assert server.returncode == 1
    assert "does not answer" in " ".join(stderr.split()) and "Traceback" not in stderr
