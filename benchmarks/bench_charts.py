"""Chart benchmark: selection + figure build for 1,000-row results.

Times ``choose_chart`` followed by ``build_chart`` (profiling, rules, sorting,
series pivots, anomaly detection, figure JSON) on typical result shapes of
1,000 rows, the size the issue's target names (p50 under 10 ms). Results go
to stdout and to the "## Charts" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_charts.py [--repeat 200] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from docs_section import write_section

from charts import build_chart, choose_chart

SECTION = "## Charts"
ROWS = 1000
SOURCES = ["Facebook", "Google", "TikTok", "Unity", "AppLovin", "ironSource", "Snapchat", "Apple Search Ads",
           "Moloco", "Liftoff"]


def _days(count: int) -> list[dt.date]:
    return [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(count)]


def _wave(i: int, rng: random.Random) -> float:
    return 1000 * (1 + 0.2 * math.sin(i * 2 * math.pi / 7)) + rng.gauss(0, 30)


def shapes() -> dict[str, tuple[list, list, dict]]:
    rng = random.Random(42)
    names = [f"{SOURCES[i % 10]}_{'iOS' if i % 2 else 'Android'}_Campaign_{i:04d}" for i in range(ROWS)]
    return {
        "line, 1000 days (anomalies + moving average)": (
            [("date", "DATE"), ("installs", "BIGINT")],
            [(d, round(_wave(i, rng))) for i, d in enumerate(_days(ROWS))], {}),
        "multi_line, 100 days x 10 sources": (
            [("date", "DATE"), ("media_source", "VARCHAR"), ("cost", "DOUBLE")],
            [(d, s, _wave(i, rng)) for i, d in enumerate(_days(100)) for s in SOURCES],
            {"units": {"cost": "USD"}}),
        "area, 100 days x 10 channels (share)": (
            [("date", "DATE"), ("channel", "VARCHAR"), ("installs", "BIGINT")],
            [(d, s, rng.randint(1, 500)) for d in _days(100) for s in SOURCES], {"intent": "share"}),
        "stacked_bar, 30 campaigns x 20 countries (600 rows)": (
            [("campaign_name", "VARCHAR"), ("country", "VARCHAR"), ("installs", "BIGINT")],
            [(names[c], f"C{k:02d}", rng.randint(1, 500)) for c in range(30) for k in range(20)],
            {"intent": "share"}),
        "table, 1000 campaigns x 3 columns (rules only)": (
            [("campaign_id", "VARCHAR"), ("campaign_name", "VARCHAR"), ("installs", "BIGINT")],
            [(f"c{i:04d}", n, rng.randint(1, 500)) for i, n in enumerate(names)], {}),
        "scatter, 1000 campaigns": (
            [("campaign_name", "VARCHAR"), ("cost", "DOUBLE"), ("installs", "BIGINT")],
            [(n, rng.uniform(100, 5000), rng.randint(10, 900)) for n in names], {"units": {"cost": "USD"}}),
        "histogram, 1000 LTV values": (
            [("ltv", "DOUBLE")], [(rng.lognormvariate(1, 1.2),) for _ in range(ROWS)],
            {"units": {"ltv": "USD"}}),
        "horizontal_bar, 40 campaigns (small, for contrast)": (
            [("campaign_name", "VARCHAR"), ("roas", "DOUBLE")], [(n, rng.uniform(0, 5)) for n in names[:40]],
            {"intent": "rank"}),
    }


def choose_and_build(columns: list, rows: list, kwargs: dict) -> Callable[[], object]:
    def run() -> object:
        fresh = list(rows)  # a new result each time: charts keeps the last profile, as in one answer
        choice = choose_chart(columns, fresh, **kwargs)
        return build_chart(choice, columns, fresh, units=kwargs.get("units"),
                           moving_average=choice.type == "line")
    return run


def percentiles_ms(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    run()  # warm imports and caches: we measure steady state
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def render(repeat: int, results: dict[str, tuple[str, float, float]]) -> str:
    lines = [
        SECTION,
        "",
        (f"`benchmarks/bench_charts.py --repeat {repeat}` on {platform.machine()}, "
         f"Python {platform.python_version()}, {dt.date.today().isoformat()}, 2 shared cores. "
         "Wall time of `choose_chart` + `build_chart` (profile, rules, sorting, pivots, anomaly markers, "
         "figure JSON) per result; target p50 < 10 ms at 1,000 rows."),
        "",
        "| result shape | chart | p50 | p95 |",
        "|---|---|---:|---:|",
    ]
    for name, (chart_type, p50, p95) in results.items():
        lines.append(f"| {name} | {chart_type} | {p50:.2f} ms | {p95:.2f} ms |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    results = {}
    for name, (columns, rows, kwargs) in shapes().items():
        chart_type = choose_chart(columns, rows, **kwargs).type
        results[name] = (chart_type, *percentiles_ms(choose_and_build(columns, rows, kwargs), args.repeat))
    section = render(args.repeat, results)
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section, SECTION)


if __name__ == "__main__":
    main()
