"""The scheduler inside ``serve`` (ASKLYTICS_MONITOR_SCHEDULER): two app workers on one application
database, both polling, post a due monitor's digest once; with the setting off nothing runs."""
from __future__ import annotations

import time

from fastapi.testclient import TestClient

from app.engine.semantic_source import load_configured_model
from app.interfaces.assembly import create_app
from app.interfaces.shared.monitors.service import MonitorIn, add_monitor
from appdb import monitors as rows
from appdb import open_database


def _wait_for_passes(apps, passes: int, timeout_s: float = 300.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if all(app.app.state.monitor_scheduler.runs >= passes for app in apps):
            return
        time.sleep(0.05)
    raise AssertionError(f"the schedulers did not make {passes} passes in {timeout_s}s")


def _due_monitor(settings, url: str) -> str:
    database = open_database(settings.resolved_database_url())
    request = MonitorIn(name="Installs", metric="installs", schedule="hourly", webhook_url=url)
    added = add_monitor(database, load_configured_model(settings), request, scope="default", owner="cli:test",
                        now=time.time() - 7200)  # its run was due an hour ago
    database.close()
    return added.id


def test_two_workers_with_the_scheduler_post_a_due_digest_once(monitor_settings, webhook):
    settings = monitor_settings.model_copy(update={"monitor_scheduler": True, "monitor_poll_s": 0.2})
    monitor_id = _due_monitor(settings, webhook.url())
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        (body,) = webhook.wait_for(1)
        _wait_for_passes((first, second), 4)  # both kept polling after the post
        assert len(webhook.posts) == 1
    assert body["monitors"][0]["id"] == monitor_id
    assert body["monitors"][0]["anomalies"][0]["period_start"] == "2026-03-10"
    database = open_database(settings.resolved_database_url())
    with database.connect() as connection:
        row = rows.get_monitor(connection, monitor_id)
    database.close()
    assert (row["last_status"], row["claimed_by"]) == ("ok", None)
    assert time.time() < row["next_run_at"] <= time.time() + 3600  # hourly: the next full hour


def test_without_the_setting_serve_runs_no_monitor(monitor_settings, webhook):
    _due_monitor(monitor_settings, webhook.url())
    with TestClient(create_app(monitor_settings)) as client:
        assert getattr(client.app.state, "monitor_scheduler", None) is None
        assert client.get("/healthz").status_code == 200
    assert webhook.posts == []
