"""explain_change latency on planted incidents: the grouped, concurrent read against one query per split.

On incident sets (``--seed``, default the tuning seeds of bench_insights.py; built as it builds them,
with the demo model's rollups, at ``--scale``), each incident's days are explained on its additive
metric and its ratio, once reading every split by its own query, one at a time, and once as the tool
reads by default: the dimensions one table declares grouped in one query per period (sums, counts, and
distinct counts of the key that decides them), the rest two at a time (docs/insights.md, "Speed"),
alternating so both see the same machine load. Reports p50 / p95 per mode and per metric kind, with the
load average, to the "## explain_change speed" section of docs/benchmarks.md (issue #20's target:
p95 < 1 s at scale 1, < 3 s at scale 10).

    .venv/bin/python benchmarks/bench_explain_speed.py [--seed 1 ...] [--scale 1] [--no-write]
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

from bench_insights import AS_OF, TUNING_SEEDS, _run, warehouse_for
from docs_section import write_section

from app.engine.insights import change
from app.engine.pipeline.execute import PlanExecutor
from app.engine.tools import ToolContext
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model
from warehouse.duckdb import DuckDBWarehouse

SECTION = "## explain_change speed"
GROUPED, READERS = change.joint_dimensions, change.READERS


def _mode(grouped: bool) -> None:
    change.joint_dimensions = GROUPED if grouped else (lambda *_: ())
    change.READERS = READERS if grouped else 1


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(folder: Path, seeds: list[int], scale: float = 1) -> dict[tuple[bool, str], list[float]]:
    model = load_semantic_model(DEMO_MODEL_PATH)
    times: dict[tuple[bool, str], list[float]] = {}
    for seed in seeds:
        path, labels = warehouse_for(folder, seed, scale)
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
                    _mode(grouped)
                    _, seconds = _run(executor, "explain_change", arguments)
                    kind = "events (revenue, ARPU)" if metric in ("revenue", "arpu") else "other"
                    times.setdefault((grouped, kind), []).append(seconds)
                    times.setdefault((grouped, "all"), []).append(seconds)
        warehouse.close()
    _mode(True)
    return times


def section(times: dict, seeds: list[int], loads: tuple[float, float], scale: float, title: str) -> str:
    lines = [title, "", (
        f"`benchmarks/bench_explain_speed.py` on {platform.machine()}, Python {platform.python_version()}, "
        f"{dt.date.today()}, 2 cores shared with other jobs (1-minute load average {loads[0]:.1f} at the "
        f"start, {loads[1]:.1f} at the end). Scale-{scale:g} demo (seed 42) with the demo model's rollups "
        f"and planted incidents (seeds {', '.join(map(str, seeds))}), each incident explained on its "
        "additive metric and its ratio, once with every split read by its own query, one at a time, and "
        "once as the tool reads (grouped reads, two queries in flight; docs/insights.md, 'Speed'), "
        f"alternating. Command: `benchmarks/bench_explain_speed.py --scale {scale:g}`. Target (#20): p95 "
        "< 1 s at scale 1, < 3 s at scale 10."), "",
        "| read | metrics | calls | p50 | p95 |", "|---|---|---:|---:|---:|"]
    for grouped in (False, True):
        for kind in ("all", "other", "events (revenue, ARPU)"):
            values = times.get((grouped, kind), [])
            if values:
                mode = "grouped, 2 in flight" if grouped else "split by split"
                lines.append(f"| {mode} | {kind} | {len(values)} | "
                             f"{statistics.median(values):.2f} s | {_p95(values):.2f} s |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=REPO / ".cache" / "incidents")
    parser.add_argument("--seed", type=int, action="append")
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    seeds = args.seed or list(TUNING_SEEDS)
    before = os.getloadavg()[0]
    times = measure(args.dir, seeds, args.scale)
    title = SECTION if args.scale == 1 else f"{SECTION} at scale {args.scale:g}"
    text = section(times, seeds, (before, os.getloadavg()[0]), args.scale, title)
    print(text)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", text, title)


if __name__ == "__main__":
    main()
