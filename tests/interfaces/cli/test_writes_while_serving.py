"""``asklytics rollups build`` and ``asklytics score`` while ``asklytics serve`` runs (#19).

A real server process reads a copy of the demo; the batch commands run as their own processes
and replace the file atomically (warehouse/duckdb_writes.py). A client keeps asking the whole
time: every answer is right (the same rows as before) during and after, and the server uses
what was written (the rollups answer, the new scores are there) without a restart.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import httpx
import pytest
from live_server import data_dir_with_models, free_port

from semantic_layer import DEMO_MODEL_PATH, load_semantic_model
from tests.demo_copies import copy_demo

ASKED = "iOS vs Android revenue last quarter"  # a rollup covers it once built
SCORED = "average fraud probability by media source"  # reads fraud_scores, written by `score`


def _cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from app.interfaces.cli import main; main()", *args],
                          env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture()
def serving(demo_db_path, trained, tmp_path):
    warehouse = copy_demo(demo_db_path, tmp_path / "served")
    data = data_dir_with_models(trained, tmp_path)
    port = free_port()
    env = {**os.environ, "ASKLYTICS_WAREHOUSE_PATH": str(warehouse), "ASKLYTICS_DATA_DIR": str(data),
           "ASKLYTICS_PORT": str(port), "ASKLYTICS_HOST": "127.0.0.1", "ASKLYTICS_PLANNER": "offline",
           "ASKLYTICS_CACHE_ENABLED": "false", "ASKLYTICS_RATE_LIMIT_PER_MINUTE": "1000000",
           "ASKLYTICS_AS_OF": "2026-07-01", "ASKLYTICS_DEMO": "true"}
    server = subprocess.Popen([sys.executable, "-c", "from app.interfaces.cli import main; main()", "serve"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, server)
        yield {"url": url, "env": env, "warehouse": warehouse}
    finally:
        server.terminate()
        server.wait(timeout=120)


def _wait_ready(url: str, server: subprocess.Popen) -> None:
    for _ in range(1200):
        if server.poll() is not None:
            raise AssertionError(f"the server exited: {server.stderr.read()}")
        try:
            if httpx.get(url + "/readyz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise AssertionError("the server did not become ready")


class Asker(threading.Thread):
    """Asks ``question`` over and over until stopped; keeps every answer."""

    def __init__(self, url: str, question: str):
        super().__init__(daemon=True)
        self.url, self.question = url, question
        self.answers: list[dict] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=120) as client:
            while not self.stop.is_set():
                response = client.post("/api/v1/ask", json={"question": self.question})
                self.answers.append({"http": response.status_code, **response.json()})


def _rows(answer: dict) -> list:
    """Rows to compare: sums of doubles read from a rollup add up in another order (last digits)."""
    return sorted(tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in answer["rows"])


def test_rollups_and_scores_are_written_while_the_server_answers(serving):
    url, env = serving["url"], serving["env"]
    with httpx.Client(base_url=url, timeout=120) as client:
        before = client.post("/api/v1/ask", json={"question": ASKED}).json()
        unscored = client.post("/api/v1/ask", json={"question": SCORED}).json()
    assert before["status"] == "answered" and "rollup" not in before["answer"]
    assert unscored["status"] != "answered" or not unscored["rows"]  # no fraud_scores table yet

    asker = Asker(url, ASKED)
    asker.start()
    try:
        built = _cli("rollups", "build", env=env)
        assert built.returncode == 0, built.stdout + built.stderr
        assert "up to date" in built.stdout
        scored = _cli("score", "--model", "fraud", env=env)
        assert scored.returncode == 0, scored.stdout + scored.stderr
        assert "fraud_scores" in scored.stdout
        while len(asker.answers) < 3:  # some answers after both writes too
            time.sleep(0.2)
    finally:
        asker.stop.set()
        asker.join(timeout=120)

    assert asker.answers, "no answer during the writes"
    wrong = [a for a in asker.answers if a["http"] != 200 or a["status"] != "answered"
             or _rows(a) != _rows(before)]
    assert wrong == [], (wrong[:2], before["rows"])
    with httpx.Client(base_url=url, timeout=120) as client:
        after = client.post("/api/v1/ask", json={"question": ASKED}).json()
        now_scored = client.post("/api/v1/ask", json={"question": SCORED}).json()
    assert after["status"] == "answered" and _rows(after) == _rows(before)
    assert "pre-aggregated rollups" in after["answer"] and "rollup_" in after["sql"]
    assert now_scored["status"] == "answered" and now_scored["rows"]
    with duckdb.connect(str(serving["warehouse"]), read_only=True) as connection:
        written = connection.execute("SELECT COUNT(*) FROM fraud_scores").fetchone()[0]
        rollups = connection.execute("SELECT COUNT(*) FROM asklytics_rollups").fetchone()[0]
    assert written > 0 and rollups == len(load_semantic_model(DEMO_MODEL_PATH).spec.rollups)
    assert not list(Path(serving["warehouse"]).parent.glob(".*.writing-*"))  # no copy left behind
