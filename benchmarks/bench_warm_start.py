"""Warm start: how long ``asklytics serve`` takes to say ready, and the first answer against a warm one.

Each run starts a real ``asklytics serve`` process (one worker, offline planner, semantic cache
off so a repeated question is planned and run again, scale-1 demo DuckDB), polls ``/readyz``
until it answers 200, then asks one question over HTTP: the first answer of the process, then
the same question ``--warm`` more times (their median is the warm answer). A different question
starts each run, so the first answer is not one a previous run warmed. Then, as a control, the
next question of the list, never asked in that process, once and ``--warm`` more times: the cost of
a question's first answer on a server that has already answered others (what a start-up cannot
remove). Target (#19): the first answer within 2x a warm one. Results go to stdout and to the
"## Warm start" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_warm_start.py [--warm 5] [--db PATH] [--no-write]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_api_load import free_port
from bench_ask import demo_path
from docs_section import write_section

SECTION = "## Warm start"
FIRST_QUESTIONS = (
    "Installs by platform last month",
    "Top 5 iOS campaigns by ROAS last month",
    "which network has the highest fraud rate",
    "spend by media source this year",
)


def start(db: Path, data_dir: Path) -> tuple[subprocess.Popen, str, float]:
    """A server process and its URL, once /readyz says 200; the seconds that took from the spawn."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "ASKLYTICS_WAREHOUSE_PATH": str(db),
           "ASKLYTICS_DATA_DIR": str(data_dir), "ASKLYTICS_PORT": str(port), "ASKLYTICS_HOST": "127.0.0.1",
           "ASKLYTICS_PLANNER": "offline", "ASKLYTICS_CACHE_ENABLED": "false",
           "ASKLYTICS_RATE_LIMIT_PER_MINUTE": "1000000", "ASKLYTICS_LOG_LEVEL": "warning"}
    began = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-c", "from app.interfaces.cli import main; main()", "serve"],
                              env=env, cwd=data_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            if httpx.get(url + "/readyz", timeout=5).status_code == 200:
                return server, url, time.perf_counter() - began
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    server.terminate()
    raise SystemExit("the server did not become ready in 10 minutes")


def ask_ms(client: httpx.Client, question: str) -> tuple[float, float]:
    """The client's wall time and the server's (``Assistant.ask``'s ``timings_ms.total``), in ms."""
    began = time.perf_counter()
    response = client.post("/api/v1/ask", json={"question": question})
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != 200 or response.json()["status"] != "answered":
        raise SystemExit(f"{question!r} was not answered: {response.status_code} {response.text[:300]}")
    return elapsed, response.json()["timings_ms"]["total"]


def measure(db: Path, warm: int, rounds: int) -> list[dict]:
    runs = []
    for number, question in enumerate(FIRST_QUESTIONS * rounds):
        other = FIRST_QUESTIONS[(number + 1) % len(FIRST_QUESTIONS)]
        with tempfile.TemporaryDirectory(prefix="bench-warm-") as folder:
            data_dir = Path(folder)
            models = db.parent / "models"
            if models.is_dir():  # the predictors' models, so readiness loads what a real server has
                (data_dir / "models").symlink_to(models)
            server, url, ready_s = start(db, data_dir)
            try:
                with httpx.Client(base_url=url, timeout=120) as client:
                    first, first_server = ask_ms(client, question)
                    warm_ms = [ask_ms(client, question) for _ in range(warm)]
                    other_first, _ = ask_ms(client, other)
                    other_warm = statistics.median(ask_ms(client, other)[0] for _ in range(warm))
            finally:
                server.terminate()
                server.wait(timeout=60)
        runs.append({"question": question, "ready_s": ready_s, "first": first, "first_server": first_server,
                     "warm": statistics.median(w for w, _ in warm_ms),
                     "warm_server": statistics.median(s for _, s in warm_ms),
                     "other": other_first / other_warm})
        print(f"{question}: ready {ready_s:.1f} s, first {first:.0f} ms, warm {runs[-1]['warm']:.0f} ms",
              file=sys.stderr)
    return runs


def render(runs: list[dict], warm: int, rounds: int, note: str, label: str, load_start: float) -> str:
    load = os.getloadavg()[0]
    lines = [SECTION, "",
             (f"`benchmarks/bench_warm_start.py --warm {warm} --rounds {rounds}` on {platform.machine()}, "
              f"Python {platform.python_version()}, {dt.date.today()}, 2 cores shared with other jobs "
              f"(1-minute load average {load_start:.1f} at the start, {load:.1f} at the end: expect noise), "
              f"{label}, "
              "offline planner, semantic cache off, one `asklytics serve` process per row, "
              "`POST /api/v1/ask` over loopback. "
              "\"ready\": from spawning the process to the first 200 of `/readyz`; \"first\": the first "
              f"answer of the process; \"warm\": the median of the same question asked {warm} more times. "
              "\"server\": the time inside `Assistant.ask` (`timings_ms.total`), the rest is HTTP, the "
              "answer log and serialization. \"control\": first / warm of the next question of the "
              "list in the same process, never asked there before (a new question on a warm server). "
              "Target (#19): first answer within 2x a warm one."),
             "", ("| first question | ready after | first answer | warm answer | first / warm | "
                  "server: first / warm | control |"),
             "|---|---:|---:|---:|---:|---:|---:|"]
    for run in runs:
        lines.append(f"| {run['question']} | {run['ready_s']:.1f} s | {run['first']:.0f} ms | "
                     f"{run['warm']:.0f} ms | {run['first'] / run['warm']:.2f} | "
                     f"{run['first_server']:.0f} / {run['warm_server']:.0f} ms | {run['other']:.2f} |")
    ratios = sorted(run["first"] / run["warm"] for run in runs)
    within = sum(ratio <= 2 for ratio in ratios)
    lines += ["", (f"first / warm: median {statistics.median(ratios):.2f}, worst {ratios[-1]:.2f}; "
                   f"{within} of {len(ratios)} starts within the 2x target. Control (a new question on "
                   f"the warm server): median {statistics.median(run['other'] for run in runs):.2f}, worst "
                   f"{max(run['other'] for run in runs):.2f}.")]
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2, help="starts per first question")
    parser.add_argument("--db", help="a demo DuckDB file (default: build or reuse .cache/bench-demo)")
    parser.add_argument("--note", default="", help="a paragraph added under the table")
    parser.add_argument("--label", default="scale-1 demo DuckDB", help="what --db is, for the text")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    runs = measure(demo_path(args.db).resolve(), args.warm, args.rounds)
    section = render(runs, args.warm, args.rounds, args.note, args.label, load_start)
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section, SECTION)


if __name__ == "__main__":
    main()
