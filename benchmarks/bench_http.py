"""Warm answers over HTTP, per question, and where each one's time goes (#19).

A real ``asklytics serve`` process (one worker, offline planner, semantic cache off so every
request plans, compiles, guards, runs, charts and narrates) answers bench_ask.py's questions over
loopback: each question twice untimed, then ``--repeat`` rounds of all of them in turn. Reported
per question: p50 / p95 / max of the client's wall time, and the median of the steps the server
timed (``Answer.timings_ms``: plan, validate = compile + guard, execute = the warehouse, the
previous period a single number is compared with, chart,
narrative, total inside ``Assistant.ask``); "HTTP" is the client's time minus the server's total
(request parsing, the answer log write, serialization, loopback). Targets (#19, scale 10): every
question <= 500 ms, p50 <= 100 ms. Results go to stdout and to the section
"## Ask over HTTP (scale S)" of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_http.py --db PATH --scale 10 [--repeat 10] [--no-write]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_ask import QUESTIONS, demo_path
from bench_warm_start import start
from docs_section import write_section

STEPS = ("plan", "validate", "execute", "previous_period", "chart", "narrative")
TARGET_MAX_MS, TARGET_P50_MS = 500.0, 100.0
# shapes #19 names beyond the ask benchmark: a cohort, no time range, DAU by a dimension, distinct users
EXTRA_QUESTIONS = (
    "D1 retention by media source for users who installed in Q2",
    "monthly revenue by media source",
    "D7 retention by country",
    "DAU by country in June",
    "ARPU by country last month",
)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[round(share * (len(ordered) - 1))]


def ask(client: httpx.Client, question: str) -> tuple[float, dict]:
    """Client wall time (ms) and the server's step timings of one answered question."""
    began = time.perf_counter()
    response = client.post("/api/v1/ask", json={"question": question})
    elapsed = (time.perf_counter() - began) * 1000
    body = response.json()
    if response.status_code != 200 or body["status"] != "answered":
        raise SystemExit(f"{question!r} was not answered: {response.status_code} {response.text[:300]}")
    return elapsed, {**body["timings_ms"], "rollup": "rollups" in (body.get("answer") or "")}


def measure(db: Path, repeat: int, data_dir: Path, questions: tuple[str, ...]) -> dict[str, list]:
    models = db.parent / "models"
    if models.is_dir():
        (data_dir / "models").symlink_to(models)
    server, url, _ = start(db, data_dir)
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            for question in questions * 2:
                ask(client, question)
            samples: dict[str, list[tuple[float, dict]]] = {q: [] for q in questions}
            for _ in range(repeat):
                for question in questions:
                    samples[question].append(ask(client, question))
    finally:
        server.terminate()
        server.wait(timeout=60)
    return samples


HEADER = ("| question | p50 | p95 | max | plan | compile + guard | SQL | previous period | chart | narrative "
          "| HTTP | rollup |")


def table(samples: dict[str, list[tuple[float, dict]]]) -> list[str]:
    lines = [HEADER, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for question, runs in samples.items():
        walls = [wall for wall, _ in runs]
        steps = [statistics.median(t.get(step, 0.0) for _, t in runs) for step in STEPS]
        http = statistics.median(wall - t.get("total", wall) for wall, t in runs)
        cells = " | ".join(f"{value:.1f}" for value in steps)
        rollup = "yes" if runs[0][1]["rollup"] else "-"
        lines.append(f"| {question} | {statistics.median(walls):.0f} ms | {percentile(walls, 0.95):.0f} ms "
                     f"| {max(walls):.0f} ms | {cells} | {http:.1f} | {rollup} |")
    return lines


def verdict(samples: dict[str, list[tuple[float, dict]]]) -> str:
    every = [wall for runs in samples.values() for wall, _ in runs]
    worst = max(samples, key=lambda q: max(w for w, _ in samples[q]))
    worst_ms, p50 = max(w for w, _ in samples[worst]), statistics.median(every)
    met = worst_ms <= TARGET_MAX_MS and p50 <= TARGET_P50_MS
    wall, steps = max(samples[worst], key=lambda run: run[0])
    inside = ", ".join(f"{name} {steps[name]:.0f}" for name in (*STEPS, "total") if steps.get(name))
    p95 = percentile(every, 0.95)
    return (f"All {len(every)} answers of the ask benchmark: p50 {p50:.0f} ms, p95 {p95:.0f} "
            f"ms, max {worst_ms:.0f} ms ({worst}). Targets {'met' if met else 'NOT met'}: every question <= "
            f"{TARGET_MAX_MS:.0f} ms {'yes' if worst_ms <= TARGET_MAX_MS else 'no'}, p50 <= "
            f"{TARGET_P50_MS:.0f} ms {'yes' if p50 <= TARGET_P50_MS else 'no'}. The slowest answer's steps "
            f"(ms): {inside}; HTTP {wall - steps.get('total', wall):.0f}.")


def render(samples: dict[str, list[tuple[float, dict]]], args, load: tuple[float, float]) -> str:
    now = dt.datetime.now(dt.UTC)
    lines = [f"## Ask over HTTP (scale {args.scale:g})", "",
             (f"`benchmarks/bench_http.py --scale {args.scale:g} --repeat {args.repeat}` on "
              f"{platform.machine()}, Python {platform.python_version()}, {now:%Y-%m-%d %H:%M} UTC, 2 cores "
              f"shared with other jobs (1-minute load average {load[0]:.1f} before, {load[1]:.1f} after), "
              f"demo at scale {args.scale:g} with its rollups built, one `asklytics serve` worker, offline "
              "planner, semantic cache off (every request is planned and run), `POST /api/v1/ask` over "
              f"loopback, each question twice untimed, then {args.repeat} rounds. Steps: the server's "
              "medians in ms (`timings_ms`); HTTP = client time - server total (request, answer log, "
              "serialization). "
              f"Targets (#19), on the ask benchmark's questions: every question <= {TARGET_MAX_MS:.0f} ms, "
              f"p50 <= {TARGET_P50_MS:.0f} ms."),
             "", *table({q: samples[q] for q in QUESTIONS}), "", verdict({q: samples[q] for q in QUESTIONS})]
    extra = {q: samples[q] for q in EXTRA_QUESTIONS if q in samples}
    if extra:
        lines += ["", ("Beyond the ask benchmark (not in the targets): questions of the shapes #19 names "
                       "(a cohort, no time range, DAU by a dimension, distinct users over a range)."),
                  "", *table(extra)]
    if args.note:
        lines += ["", args.note]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a demo DuckDB file with rollups (default: the scale-1 bench demo)")
    parser.add_argument("--scale", type=float, default=1.0, help="the demo's scale (names the section)")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--extra", action="store_true", help="also time the shapes beyond the ask benchmark")
    parser.add_argument("--note", default="", help="a paragraph added under the table")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    db = demo_path(args.db).resolve()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-http-", dir=REPO / ".cache") as folder:
        samples = measure(db, args.repeat, Path(folder), QUESTIONS + (EXTRA_QUESTIONS if args.extra else ()))
    section = render(samples, args, (load_before, os.getloadavg()[0]))
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section, f"## Ask over HTTP (scale {args.scale:g})")


if __name__ == "__main__":
    main()
