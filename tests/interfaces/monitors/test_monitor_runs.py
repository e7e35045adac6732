"""Monitor runs end to end on the demo warehouse: the March 10 paid-tracking outage is found, explained
and posted -- to the mock Slack Web API with a real chart PNG in the digest's thread, and to a webhook
on a local HTTP server -- once, even with two runners at the same moment or after a restart."""
from __future__ import annotations

import hashlib
import hmac
import json
import struct
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from monitor_support import AS_OF, BOT_TOKEN
from pydantic import SecretStr

from app.interfaces.shared.monitors.runner import MonitorRunner
from app.interfaces.shared.monitors.service import MonitorIn, add_monitor
from appdb import monitors as rows
from appdb import open_database
from semantic_layer import Filter

CHANNEL = "C0MONITOR1"


def _runner(settings, database, assistant, **kwargs) -> MonitorRunner:
    return MonitorRunner(settings, database, lambda: assistant, **kwargs)


def _add(database, assistant, *, due: bool = True, **fields):
    request = MonitorIn(**({"name": "Installs", "metric": "installs", "schedule": "daily 08:00"} | fields))
    now = time.time() - 2 * 86_400 if due else None  # added two days ago: its run is due
    return add_monitor(database, assistant.model, request, scope="default", owner="cli:test", now=now)


@pytest.fixture()
def database(monitor_settings):
    opened = open_database(monitor_settings.resolved_database_url())
    yield opened
    opened.close()


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def _texts(blocks: list[dict]) -> str:
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        found += [e.get("text", "") for e in block.get("elements", [])]
    return "\n".join(found)


def test_a_digest_reaches_slack_with_drivers_a_link_back_and_the_chart_in_its_thread(
        monitor_settings, database, demo_assistant, slack_api):
    monitor = _add(database, demo_assistant, slack_channel=CHANNEL, name="App installs")
    report = _runner(monitor_settings, database, demo_assistant).run_due()

    assert [(o.id, o.status, o.new_anomalies, o.posted_to) for o in report.monitors] == [
        (monitor.id, "ok", 1, [f"slack:{CHANNEL}"])]
    (message,) = [c for c in slack_api.calls("chat.postMessage")]
    assert message.authorization == f"Bearer {BOT_TOKEN}"
    params = message.params
    blocks = json.loads(params["blocks"]) if isinstance(params["blocks"], str) else params["blocks"]
    assert params["channel"] == CHANNEL and params["text"] == "Asklytics: 1 new anomaly in 1 monitor"
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text",
                                                    "text": "Asklytics: 1 new anomaly in 1 monitor"}}
    text = _texts(blocks)
    # actual vs expected, as detect_anomalies computed them (431 installs on March 10, ~893 expected)
    assert "*Drop Tue 2026-03-10*: 431 vs 892.71 expected" in text
    assert "acquisition_type = paid: 569 → 147 (93% of the change)" in text  # the planted cause, first
    assert "*App installs* · installs, daily" in text
    why = next(b["accessory"]["url"] for b in blocks
               if b.get("accessory", {}).get("text", {}).get("text") == "Why?")
    parts = urlsplit(why)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "asklytics.example.com", "/")
    assert parse_qs(parts.query)["q"] == ["why did installs change on 2026-03-10?"]
    # the chart: drawn by Chromium, uploaded into the digest's thread the way the Slack bot does
    completed = slack_api.calls("files.completeUploadExternal")[0].params
    assert (completed["channel_id"], completed["thread_ts"]) == (CHANNEL, "1700000000.000001")
    assert _png_size(slack_api.calls("upload")[0].body) == (900, 520)
    assert json.loads(completed["files"])[0]["title"] == "App installs: installs"

    again = _runner(monitor_settings, database, demo_assistant).run_one(monitor.id)  # nothing new to say
    assert [(o.status, o.new_anomalies, o.posted_to) for o in again.monitors] == [("ok", 0, [])]
    assert len(slack_api.calls("chat.postMessage")) == 1


def test_the_webhook_gets_the_documented_json_signed_and_a_failure_is_retried(
        monitor_settings, database, demo_assistant, webhook):
    settings = monitor_settings.model_copy(update={"monitor_webhook_secret": SecretStr("s3cret-for-tests")})
    monitor = _add(database, demo_assistant, webhook_url=webhook.url(), dimensions=["media_source"],
                   filters=[Filter(dimension="platform", op="in", values=("iOS", "Android"))])
    webhook.status = 500
    failed = _runner(settings, database, demo_assistant).run_one(monitor.id)
    assert [(o.status, o.error) for o in failed.monitors] == [
        ("delivery_failed", "the webhook answered HTTP 500")]
    with database.connect() as connection:
        assert rows.posted_periods(connection, monitor.id) == {}  # nothing recorded: the next run tries again
        assert rows.get_monitor(connection, monitor.id)["last_error"] == "the webhook answered HTTP 500"

    webhook.status = 204
    ok = _runner(settings, database, demo_assistant).run_one(monitor.id)
    assert [(o.status, o.posted_to) for o in ok.monitors] == [("ok", ["webhook"])]
    post = webhook.posts[-1]
    assert post["headers"]["Content-Type"] == "application/json"
    expected = "sha256=" + hmac.new(b"s3cret-for-tests", post["body"], hashlib.sha256).hexdigest()
    assert post["headers"]["X-Asklytics-Signature"] == expected
    body = json.loads(post["body"])
    assert (body["type"], body["version"], body["as_of"], body["anomaly_count"]) == (
        "asklytics.monitor_digest", 1, AS_OF.isoformat(), 1)
    (entry,) = body["monitors"]
    assert (entry["id"], entry["metric"], entry["grain"], entry["filters"]) == (
        monitor.id, "installs", "day", ["platform IN ('iOS', 'Android')"])
    assert entry["window"] == {"start": "2026-03-05", "end": "2026-03-11"}
    (anomaly,) = entry["anomalies"]
    assert (anomaly["period_start"], anomaly["direction"]) == ("2026-03-10", "drop")
    assert anomaly["actual"] == 431.0
    assert anomaly["low"] <= anomaly["expected"] <= anomaly["high"] < anomaly["actual"] + 1000
    assert {d["dimension"] for d in anomaly["drivers"]} == {"media_source"}  # only the dimensions asked for
    assert anomaly["link"].startswith("https://asklytics.example.com/?q=why%20did%20installs%20change")
    assert [t["name"] for t in entry["chart"]["data"]][-1] == "anomaly"


def test_a_webhook_on_a_private_address_is_refused_unless_allowed(monitor_settings, database, demo_assistant,
                                                                 webhook):
    settings = monitor_settings.model_copy(update={"monitor_allow_private_webhooks": False})
    monitor = _add(database, demo_assistant, webhook_url=webhook.url())
    report = _runner(settings, database, demo_assistant).run_one(monitor.id)
    (outcome,) = report.monitors
    assert outcome.status == "delivery_failed" and "private or local address" in outcome.error
    assert webhook.posts == []


def test_a_dry_run_shows_the_digest_and_posts_and_records_nothing(monitor_settings, database, demo_assistant,
                                                                  webhook, slack_api):
    monitor = _add(database, demo_assistant, webhook_url=webhook.url(), slack_channel=CHANNEL)
    report = _runner(monitor_settings, database, demo_assistant).run_one(monitor.id, dry_run=True)
    assert [d["audience"] for d in report.digests] == ["slack", "webhook"]
    assert report.digests[1]["webhook_body"]["monitors"][0]["anomalies"][0]["period_start"] == "2026-03-10"
    assert webhook.posts == [] and slack_api.calls() == []
    with database.connect() as connection:
        row = rows.get_monitor(connection, monitor.id)
        assert rows.posted_periods(connection, monitor.id) == {} and row["last_run_at"] is None


def test_two_runners_at_the_same_moment_post_each_digest_once(app_database_url, monitor_settings,
                                                             demo_assistant, webhook):
    """On SQLite and PostgreSQL (``app_database_url``); two workers: two engines on one database."""
    first, second = open_database(app_database_url), open_database(app_database_url)
    monitors = [_add(first, demo_assistant, name=f"installs {n}", webhook_url=webhook.url(f"/hook{n}"))
                for n in range(2)]
    start, reports = threading.Barrier(2), []

    def run(database, name):
        start.wait()
        reports.append(_runner(monitor_settings, database, demo_assistant, name=name).run_due())

    pairs = ((first, "worker-1"), (second, "worker-2"))
    threads = [threading.Thread(target=run, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    ran = sorted(o.id for report in reports for o in report.monitors)
    assert ran == sorted(m.id for m in monitors)  # each monitor run by one worker
    assert sorted(p["path"] for p in webhook.posts) == ["/hook0", "/hook1"]  # each digest posted once
    with first.connect() as connection:
        for monitor in monitors:
            row = rows.get_monitor(connection, monitor.id)
            assert (row["claimed_by"], row["last_status"]) == (None, "ok")
            assert row["next_run_at"] > time.time()
        assert rows.due_monitor_ids(connection, time.time()) == []
    for database in (first, second):
        database.close()


def test_monitors_and_what_they_posted_survive_a_restart(monitor_settings, demo_assistant, webhook):
    url = monitor_settings.resolved_database_url()
    before = open_database(url)
    monitor = _add(before, demo_assistant, webhook_url=webhook.url())
    before.close()  # the process stops

    after = open_database(url)
    with after.connect() as connection:
        assert [row["id"] for row in rows.list_monitors(connection)] == [monitor.id]
    first_run = _runner(monitor_settings, after, demo_assistant).run_due()
    assert [o.posted_to for o in first_run.monitors] == [["webhook"]]
    after.close()

    again = open_database(url)  # and once more: the anomaly posted before is not posted again
    rerun = _runner(monitor_settings, again, demo_assistant).run_one(monitor.id)
    assert [(o.new_anomalies, o.posted_to) for o in rerun.monitors] == [(0, [])]
    assert len(webhook.posts) == 1
    again.close()


def test_a_threshold_rule_is_kept_in_the_database_and_told_in_the_slack_digest(
        app_database_url, monitor_settings, demo_assistant, slack_api):
    """On SQLite and PostgreSQL: the rule lives in the ``condition`` JSON column (no schema change)."""
    from app.engine.monitors import parse_threshold
    from app.interfaces.shared.monitors.service import get_monitor

    database = open_database(app_database_url)
    monitor = _add(database, demo_assistant, slack_channel=CHANNEL, threshold=parse_threshold("< 900"))
    assert get_monitor(database, monitor.id).threshold == parse_threshold("below 900")
    report = _runner(monitor_settings, database, demo_assistant).run_one(monitor.id, dry_run=True)
    (digest,) = report.digests
    text = _texts(digest["slack_blocks"])
    assert text.startswith("Asklytics: 2 new alerts in 1 monitor")  # one is not an anomaly
    # mrkdwn escapes "<" as "&lt;" (Slack shows "<")
    rule = "alert when installs &lt; 900"
    assert f"*Below the threshold Mon 2026-03-09*: 891 ({rule}; within its normal range)" in text
    assert "*Drop Tue 2026-03-10*: 431 vs" in text and f"Past the threshold: {rule}" in text
    database.close()
