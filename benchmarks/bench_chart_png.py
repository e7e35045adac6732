"""Slack chart PNGs through the one long-lived renderer (#19): the first chart and the ones after it.

``render_chart_png`` (charts/png.py) with /usr/bin/chromium, a bar chart of
20 campaigns per call (different values each time); the first call starts the browser the
process keeps, the others only draw. Results go to stdout and to the "## Slack chart PNG"
section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_chart_png.py [--charts 20] [--no-write]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import plotly
import plotly.graph_objects as go
from docs_section import write_section

from charts.png import render_chart_png

SECTION = "## Slack chart PNG"
CHROMIUM = Path("/usr/bin/chromium")


def figure(n: int) -> dict:
    names = [f"campaign_{i:02d}" for i in range(20)]
    return json.loads(plotly.io.to_json(go.Figure(go.Bar(x=names, y=[(i * 7 + n) % 23 for i in range(20)]))))


def measure(charts: int) -> list[float]:
    samples = []
    for n in range(charts):
        began = time.perf_counter()
        rendered = render_chart_png(figure(n), CHROMIUM)
        samples.append((time.perf_counter() - began) * 1000)
        assert rendered.png, rendered.note
    return samples


def section(samples: list[float]) -> str:
    rest = sorted(samples[1:])
    first = f"{samples[0]:.0f} ms"
    later = f"{statistics.median(rest):.0f} ms | {rest[int(0.95 * (len(rest) - 1))]:.0f} ms"
    return "\n".join([
        SECTION, "",
        (f"`benchmarks/bench_chart_png.py --charts {len(samples)}` on {platform.machine()}, Python "
        f"{platform.python_version()}, {dt.date.today().isoformat()}, 2 shared cores (1-minute load average "
        f"{os.getloadavg()[0]:.1f}). `render_chart_png` with /usr/bin/chromium, a 20-bar chart per call, "
        "900x520 PNG. Before #19 every chart started its own Chromium (2929 ms p50 from mention to upload in "
        "\"Slack bot\" above); now one renderer per process keeps it."),
        "",
        "| chart | n | p50 | p95 |",
        "|---|---:|---:|---:|",
        f"| first chart of the process (starts the browser) | 1 | {first} | {first} |",
        f"| every later chart (same browser) | {len(rest)} | {later} |",
    ]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--charts", type=int, default=20)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    text = section(measure(args.charts))
    print(text)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", text, SECTION)


if __name__ == "__main__":
    main()
