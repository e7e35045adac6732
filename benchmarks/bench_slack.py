"""Slack bot timings: ack latency (Slack's 3-second limit), time to the threaded reply, time to the chart PNG.

Signed events are posted through the real ASGI app (in-process TestClient,
scale-1 demo DuckDB, offline planner, semantic cache on) with the bot's Web API
calls going to the local mock Slack server from tests/slack. ``ack`` is the
HTTP round trip of one event while earlier questions are still being answered
in the background (the realistic case); ``reply`` runs from the POST to the
mock receiving ``chat.postMessage``; ``chart`` to ``files.completeUploadExternal``
(Kaleido + /usr/bin/chromium, one long-lived renderer per process: the first chart starts it,
so it is reported apart). Results go to stdout and to the "## Slack bot" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_slack.py [--events 40] [--charts 3] [--db PATH] [--no-write]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "benchmarks"), str(REPO / "tests" / "interfaces" / "slack")]

from bench_ask import demo_path, p50_p95
from conftest import BOT_TOKEN, SIGNING_SECRET, SlackTestClient, mention
from fastapi.testclient import TestClient
from mock_slack_api import MockSlackApi

from app.interfaces.assembly import create_app
from app.settings import Settings

SECTION = "## Slack bot"
QUESTIONS = ("installs by platform last month", "total revenue last month", "spend by media source this year",
             "installs by network last month")
CHART_QUESTIONS = ("installs by network last month", "weekly installs in Q2 2026",
                   "cpi by campaign for Facebook in June")


def measure(db: Path, events: int, charts: int) -> dict[str, list[float]]:
    api = MockSlackApi()
    settings = Settings(warehouse_path=db, data_dir=Path(tempfile.mkdtemp(prefix="bench-slack-")),
                        slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET,
                        slack_api_base_url=api.base_url, slack_rate_limit_per_minute=100_000,
                        trusted_hosts="testserver")  # the Host header Starlette's TestClient sends
    try:
        with TestClient(create_app(settings.model_copy(update={"slack_chromium_path": None}))) as client:
            samples = _acks_and_replies(SlackTestClient(client), api, events)
        with TestClient(create_app(settings)) as client:
            charted = _charts(SlackTestClient(client), api, charts)
        samples["first_chart"], samples["chart"] = charted[:1], charted[1:]
    finally:
        api.close()
    return samples


def _acks_and_replies(slack: SlackTestClient, api: MockSlackApi, events: int) -> dict[str, list[float]]:
    # the assistant loads on the first question; a refused event fails here instead of waiting for a reply
    assert _post(slack, "warm up", "1699999999.000001", "Ev0WARM") == 200
    api.wait_for("chat.postMessage", 1, timeout_s=600)
    acks, sent = [], {}
    for n in range(events):
        ts = f"1700100000.{n:06d}"
        began = time.monotonic()
        assert _post(slack, QUESTIONS[n % len(QUESTIONS)], ts, f"Ev0BENCH{n:05d}") == 200
        acks.append((time.monotonic() - began) * 1000)
        sent[ts] = began
    replies = api.wait_for("chat.postMessage", events + 1, timeout_s=600)[1:]
    answered = [(c.at - sent[c.params["thread_ts"]]) * 1000 for c in replies]
    bad = [_time(lambda: _post(slack, "x", "1.1", "Ev0BAD", secret="wrong")) for _ in range(20)]
    return {"ack": acks, "reply": answered, "rejected": bad}


def _charts(slack: SlackTestClient, api: MockSlackApi, charts: int) -> list[float]:
    samples = []
    for n in range(charts):
        began = time.monotonic()
        status = _post(slack, CHART_QUESTIONS[n % len(CHART_QUESTIONS)], f"1700200000.{n:06d}",
                       f"Ev0CHART{n:04d}")
        assert status == 200, status
        uploaded = api.wait_for("files.completeUploadExternal", n + 1, timeout_s=600)[-1]
        samples.append((uploaded.at - began) * 1000)
    return samples


def _post(slack: SlackTestClient, question: str, ts: str, event_id: str, secret: str | None = None) -> int:
    client = SlackTestClient(slack.client, secret) if secret else slack
    return client.event(mention(question, ts), event_id).status_code


def _time(call) -> float:
    began = time.monotonic()
    call()
    return (time.monotonic() - began) * 1000


def render(samples: dict[str, list[float]], events: int) -> str:
    rows = [("ack of a signed event (200 to Slack), answers running behind it", "ack"),
            ("mention -> threaded Block Kit reply (`chat.postMessage`)", "reply"),
            ("mention -> first chart PNG of the process in the thread (starts the renderer)", "first_chart"),
            ("mention -> later chart PNG in the thread (`files.completeUploadExternal`)", "chart"),
            ("rejected request (bad signature, 401)", "rejected")]
    load = os.getloadavg()[0]
    lines = [SECTION, "",
             (f"`benchmarks/bench_slack.py --events {events}` on {platform.machine()}, Python "
              f"{platform.python_version()}, {dt.date.today()}, 2 shared cores, signed requests through the "
              "ASGI app (in-process), scale-1 demo DuckDB, offline planner, semantic cache on, Web API "
              f"calls to the local mock Slack server. {events} mentions posted back to back "
              "(4 questions in rotation), answered by 4 "
              f"listener threads. Target: ack well under Slack's 3 s. 1-minute load average {load:.1f}."),
             "", "| step | n | p50 | p95 |", "|---|---:|---:|---:|"]
    for label, key in rows:
        if not samples[key]:
            continue
        p50, p95 = p50_p95(samples[key])
        lines.append(f"| {label} | {len(samples[key])} | {p50:.0f} ms | {p95:.0f} ms |")
    lines += ["", ("Reading it: the ack never waits for the answer (bolt acknowledges, then a listener "
                   "thread answers), so it stays in milliseconds while the warehouse works; replies queue "
                   "behind each other when mentions arrive faster than 4 at a time. Charts share one "
                   "long-lived Chromium renderer: the first chart of the process starts it, later ones "
                   "reuse it (docs/benchmarks.md, \"Slack chart PNG\").")]
    return "\n".join(lines) + "\n"


def write_section(doc: Path, section: str) -> None:
    """Replace this benchmark's section in the shared file, leaving the others as they are."""
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    start = text.find(SECTION + "\n")
    if start < 0:
        doc.write_text(text.rstrip("\n") + "\n\n" + section)
        return
    end = text.find("\n## ", start + len(SECTION))
    rest = "" if end < 0 else text[end + 1:]
    doc.write_text(text[:start] + section + ("\n" + rest if rest else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--charts", type=int, default=3)
    parser.add_argument("--db", help="a demo DuckDB file (default: build or reuse .cache/bench-demo)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    section = render(measure(demo_path(args.db), args.events, args.charts), args.events)
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section)


if __name__ == "__main__":
    main()
