"""Warehouse connector benchmark: per-query overhead, typical analytics, threads.

Builds (or reuses) the demo warehouse at the given scale, copies it into chdb,
and times the same queries through the DuckDB and chdb connectors: the
hardening (one cursor or connection per query, watchdog timer, row cap) is
part of what is measured. Results go to stdout and to the
"## Warehouse connectors" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_warehouse.py [--scale 1] [--repeat 15] [--no-write]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from docs_section import write_section

from warehouse.base import Warehouse

SECTION = "## Warehouse connectors"
QUERIES = {
    "trivial (SELECT 1)": "SELECT 1",
    "spend by media source (join, 10k rows)": (
        "SELECT c.media_source, SUM(s.cost) FROM ad_spend s "
        "JOIN campaigns c ON s.campaign_id = c.campaign_id GROUP BY 1"
    ),
    "revenue by month (3M events)": (
        "SELECT CAST(date_trunc('month', event_time) AS DATE), SUM(revenue) FROM events GROUP BY 1"
    ),
    "DAU June (distinct users)": (
        "SELECT CAST(event_time AS DATE), COUNT(DISTINCT user_id) FROM events "
        "WHERE event_name = 'session_start' AND event_time >= TIMESTAMP '2026-06-01' GROUP BY 1"
    ),
    "row cap: SELECT * FROM events (1000 kept)": "SELECT * FROM events",
}


def median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm caches: we measure steady state, not the first touch of the file
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def threaded_qps(wh: Warehouse, sql: str, threads: int, total: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(lambda _: wh.execute(sql), range(total)))
    return total / (time.perf_counter() - started)


def measure(wh: Warehouse, dialect_sql: Callable[[str], str], repeat: int) -> dict[str, float]:
    results = {}
    for name, sql in QUERIES.items():
        engine_sql = dialect_sql(sql)
        results[name] = median_ms(lambda engine_sql=engine_sql: wh.execute(engine_sql), repeat)
    agg = dialect_sql(QUERIES["spend by media source (join, 10k rows)"])
    results["join query, 1 thread (queries/s)"] = threaded_qps(wh, agg, 1, 4 * repeat)
    results["join query, 4 threads (queries/s)"] = threaded_qps(wh, agg, 4, 4 * repeat)
    return results


def open_engines(scale: float) -> tuple[Warehouse, Warehouse]:
    from warehouse.chdb import ChdbWarehouse, load_demo_from_duckdb
    from warehouse.demo import build_demo_warehouse
    from warehouse.duckdb import DuckDBWarehouse

    folder = REPO / ".cache" / "bench"
    duck, chdb_folder = folder / f"demo-scale{scale:g}.duckdb", folder / f"chdb-scale{scale:g}"
    folder.mkdir(parents=True, exist_ok=True)
    if not duck.exists():
        build_demo_warehouse(duck, scale=scale, seed=42)
    if not chdb_folder.exists():
        load_demo_from_duckdb(duck, chdb_folder)
    return DuckDBWarehouse(duck, max_rows=1000), ChdbWarehouse(chdb_folder, max_rows=1000)


def render(scale: float, repeat: int, duck: dict[str, float], ch: dict[str, float]) -> str:
    lines = [
        SECTION,
        "",
        (
            f"`benchmarks/bench_warehouse.py --scale {scale:g} --repeat {repeat}` on {platform.machine()}, "
            f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}, 2 shared cores. Median wall "
            "time per query through the hardened connectors (timeouts, row and byte caps, per-query "
            "cursor/connection, DuckDB's DESCRIBE for the cell cap and the chdb worker's round trip "
            "included), warm."
        ),
        "",
        "| measure | DuckDB | chdb |",
        "|---|---:|---:|",
    ]
    for name, duck_value in duck.items():
        unit = "" if "queries/s" in name else " ms"
        lines.append(f"| {name} | {duck_value:.1f}{unit} | {ch[name]:.1f}{unit} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    import sqlglot

    duck_wh, chdb_wh = open_engines(args.scale)
    duck = measure(duck_wh, lambda sql: sql, args.repeat)
    ch = measure(
        chdb_wh, lambda sql: sqlglot.transpile(sql, read="duckdb", write="clickhouse")[0], args.repeat
    )
    duck_wh.close()
    chdb_wh.close()
    section = render(args.scale, args.repeat, duck, ch)
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section, SECTION)


if __name__ == "__main__":
    main()
