"""explain_change latency on planted incidents, with and without the grouped read (A/B in one process).

On the tuning incident sets (``--seed``, default 1, 2, 3; built as bench_insights.py builds them),
each incident's days are explained on its additive metric and its ratio, once reading every split by
its own query (``joint`` off) and once reading the dimensions a rollup holds in one grouped query per
period (on, the default of the tool), alternating so both see the same machine load. Reports p50 /
p95 per mode and per metric kind, with the load average, to the "## explain_change speed" section of
docs/benchmarks.md (issue #20's target: p95 < 1 s at scale 1).

    .venv/bin/python benchmarks/bench_explain_speed.py [--seed 1 --seed 2 --seed 3] [--no-write]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench_insights import AS_OF, _run, warehouse_for
from docs_section import write_section

from app.engine.insights import change
from app.engine.pipeline.execute import PlanExecutor
from app.engine.tools import ToolContext
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model
from warehouse.duckdb import DuckDBWarehouse

SECTION = "## explain_change speed"
GROUPED = change.joint_dimensions


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(folder: Path, seeds: list[int]) -> dict[tuple[bool, str], list[float]]:
    model = load_semantic_model(DEMO_MODEL_PATH)
    times: dict[tuple[bool, str], list[float]] = {}
    for seed in seeds:
        path, labels = warehouse_for(folder, seed)
        warehouse = DuckDBWarehouse(path, timeout_s=120, max_rows=100_000)
        context = ToolContext(warehouse, path.parent, AS_OF)
        executor = PlanExecutor(model, warehouse, max_rows=1000, tool_context=lambda c=context: c)
        for incident in labels["incidents"]:
            for metric in (incident["metric"], incident["ratio_metric"]):
                if metric is None:
                    continue
                arguments = {"metric": metric, "current_start": incident["start"],
                             "current_end": incident["end"]}
                for grouped in (False, True):
                    change.joint_dimensions = GROUPED if grouped else (lambda *_: ())
                    _, seconds = _run(executor, "explain_change", arguments)
                    kind = "events (revenue, ARPU)" if metric in ("revenue", "arpu") else "other"
                    times.setdefault((grouped, kind), []).append(seconds)
                    times.setdefault((grouped, "all"), []).append(seconds)
        warehouse.close()
    change.joint_dimensions = GROUPED
    return times


def section(times: dict, seeds: list[int], loads: tuple[float, float]) -> str:
    lines = [SECTION, "", (
        f"`benchmarks/bench_explain_speed.py` on {platform.machine()}, Python {platform.python_version()}, "
        f"{dt.date.today()}, 2 cores shared with other jobs (1-minute load average {loads[0]:.1f} at the "
        f"start, {loads[1]:.1f} at the end). Scale-1 demo with planted incidents (seeds "
        f"{', '.join(map(str, seeds))}), each incident explained on its additive metric and its ratio, "
        "once with every split read by its own query and once with the grouped read (docs/insights.md, "
        "'Speed'), alternating. Target (#20): p95 < 1 s at scale 1."), "",
        "| read | metrics | calls | p50 | p95 |", "|---|---|---:|---:|---:|"]
    for grouped in (False, True):
        for kind in ("all", "other", "events (revenue, ARPU)"):
            values = times.get((grouped, kind), [])
            if values:
                lines.append(f"| {'grouped' if grouped else 'split by split'} | {kind} | {len(values)} | "
                             f"{statistics.median(values):.2f} s | {_p95(values):.2f} s |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=REPO / ".cache" / "incidents")
    parser.add_argument("--seed", type=int, action="append")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    seeds = args.seed or [1, 2, 3]
    before = os.getloadavg()[0]
    times = measure(args.dir, seeds)
    text = section(times, seeds, (before, os.getloadavg()[0]))
    print(text)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", text, SECTION)


if __name__ == "__main__":
    main()
