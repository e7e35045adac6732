"""The ask benchmark's questions as semantic queries, on a scaled demo warehouse (#19).

Each question of ``bench_ask.py`` is the semantic query the offline planner makes of it
(fixed here, so the planner is not measured); each runs through ``run_query`` (compile,
SQL guard, DuckDB through the hardened connector), warm, three ways per repeat: with the
demo model's derived tables' ``FILTER_RANGE`` markers removed (the SQL before #19), with
the model as it is on base tables, and answered from the model's rollups (built first,
from scratch, and timed). Results must be equal; the time is the median.
Results go to stdout and to the "## Scale" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_scale.py [--scale 10] [--repeat 3] [--engine duckdb|chdb] [--db PATH]
        [--no-before] [--no-write]

The demo at ``--scale`` is built once into .cache/bench-demo/ (scale 10: ~35 s, 33M events; scale 100,
330M events: build it first with ``bench_demo_build.py --scales 100 --keep .cache/bench-demo``, which
measures the build). Scale 10 writes the "## Scale" section, another scale "## Scale <N>".
``--no-before`` skips the SQL before #19 (minutes per retention question at scale 100).
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from docs_section import write_section

from semantic_layer import DEMO_MODEL_PATH, SemanticQuery, load_semantic_model, run_query
from semantic_layer.compiler import rollups_used
from semantic_layer.model import SemanticModel
from semantic_layer.pushdown import derived_sql
from semantic_layer.rollup_build import DuckDBRollupWriter, build_rollups, read_rollup_states
from semantic_layer.service import without_empty_tails
from warehouse.duckdb import DuckDBWarehouse

SECTIONS = {"duckdb": "## Scale", "chdb": "## Scale on ClickHouse (chdb)"}
# bench_ask.py's questions, as the offline planner plans them (answer.semantic_query)
QUESTIONS = {
    "How many installs did we get last month?":
        {"metrics": ["installs"], "time_range": ["2026-06-01", "2026-06-30"]},
    "Top 5 iOS campaigns by ROAS last month":
        {"metrics": ["roas"], "dimensions": ["campaign_name"], "filters": ["platform = 'iOS'"],
         "time_range": ["2026-06-01", "2026-06-30"], "order_by": [["roas", "desc"]], "limit": 5},
    "spend by media source this year":
        {"metrics": ["cost"], "dimensions": ["media_source"], "time_range": ["2026-01-01", "2026-06-30"],
         "order_by": [["cost", "desc"]]},
    "weekly installs in Q2 2026":
        {"metrics": ["installs"], "dimensions": ["metric_time__week"],
         "time_range": ["2026-04-01", "2026-06-30"]},
    "iOS vs Android revenue last quarter":
        {"metrics": ["revenue"], "dimensions": ["platform"], "filters": ["platform IN ('iOS', 'Android')"],
         "time_range": ["2026-04-01", "2026-06-30"], "order_by": [["revenue", "desc"]]},
    "which network has the highest fraud rate":
        {"metrics": ["fraud_rate"], "dimensions": ["media_source"], "order_by": [["fraud_rate", "desc"]],
         "limit": 1},
    "D7 retention by country for installs in May":
        {"metrics": ["retention_d7"], "dimensions": ["country"], "time_range": ["2026-05-01", "2026-05-31"],
         "order_by": [["retention_d7", "desc"]]},
    "D1 retention by media source, Q2 cohort (install_range)":
        {"metrics": ["retention_d1"], "dimensions": ["media_source"],
         "cohort": {"install_range": ["2026-04-01", "2026-06-30"]}},
    "daily active users over the last 30 days":
        {"metrics": ["dau"], "time_range": ["2026-06-01", "2026-06-30"]},
    "cpi by campaign for Facebook in June":
        {"metrics": ["cpi"], "dimensions": ["campaign_name"], "filters": ["media_source = 'Facebook'"],
         "time_range": ["2026-06-01", "2026-06-30"], "order_by": [["cpi", "desc"]]},
    "how many campaigns per media source":
        {"metrics": ["campaign_count"], "dimensions": ["media_source"],
         "order_by": [["campaign_count", "desc"]]},
    # distinct users over a range (not in the ask benchmark; bench_http.py --extra asks the first)
    "ARPU by country last month":
        {"metrics": ["arpu"], "dimensions": ["country"], "time_range": ["2026-06-01", "2026-06-30"],
         "order_by": [["arpu", "desc"]]},
    "paying users last quarter":
        {"metrics": ["paying_users"], "time_range": ["2026-04-01", "2026-06-30"]},
}


def demo_path(given: str | None, scale: float) -> Path:
    if given:
        return Path(given)
    from warehouse.demo import build_demo_warehouse

    path = REPO / ".cache" / "bench-demo" / f"demo-scale{scale:g}.duckdb"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        build_demo_warehouse(path, scale=scale, seed=42)
    return path


def unmarked(model: SemanticModel) -> SemanticModel:
    """The model with every FILTER_RANGE removed: the derived tables as before the pushdown."""
    tables = tuple(t.model_copy(update={"sql": derived_sql(t, model.dialect).sql(dialect=model.dialect)})
                   if t.sql else t for t in model.spec.semantic_models)
    return SemanticModel(model.spec.model_copy(update={"semantic_models": tables}))


def same_rows(a, b) -> bool:
    return len(a) == len(b) and all(
        len(x) == len(y) and all(math.isclose(u, v, rel_tol=1e-9) if isinstance(u, float) else u == v
                                 for u, v in zip(x, y)) for x, y in zip(a, b))


def build(path: Path) -> tuple[float, list]:
    """Every rollup of the demo model built from scratch into the file: (seconds, reports)."""
    model = load_semantic_model(DEMO_MODEL_PATH)
    writer = DuckDBRollupWriter(path)
    try:
        began = time.perf_counter()
        reports = build_rollups(model, writer, full=True)
        return time.perf_counter() - began, reports
    finally:
        writer.close()


def open_warehouse(path: Path, engine: str):
    """The hardened connector; for chdb the DuckDB file (rollups included) is loaded into a folder once."""
    if engine == "duckdb":
        return DuckDBWarehouse(path, timeout_s=300, max_rows=10_000, memory_limit="8GB")
    from warehouse.chdb import ChdbWarehouse, load_demo_from_duckdb

    folder = path.with_suffix(".chdb")
    if not folder.exists():
        partial = path.with_suffix(".chdb-partial")
        load_demo_from_duckdb(path, partial)
        partial.rename(folder)
    return ChdbWarehouse(folder, timeout_s=300, max_rows=10_000, max_memory_bytes=8_000_000_000)


def measure(warehouse, repeat: int, with_before: bool = True) -> list[tuple]:
    now = load_semantic_model(DEMO_MODEL_PATH)
    states = read_rollup_states(warehouse)
    ways = (("before", unmarked(now), None),) if with_before else ()
    ways += (("base", now, None), ("rollups", now, states))
    rows = []
    for question, contract in QUESTIONS.items():
        query = SemanticQuery.from_contract({"dimensions": [], "filters": [], "time_range": None,
                                             "order_by": [], "limit": None, **contract})
        timings: dict[str, list[float]] = {name: [] for name, _, _ in ways}
        results = {}
        for _ in range(repeat + 1):  # the first pass warms DuckDB's caches and is not counted
            for name, model, rollups in ways:
                began = time.perf_counter()
                if rollups is not None:  # as the assistant's executor does: skip tails with no rows (timed)
                    rollups = without_empty_tails(model, query, warehouse, rollups)
                results[name] = run_query(model, query, warehouse, max_rows=10_000, rollups=rollups).rows
                timings[name].append((time.perf_counter() - began) * 1000)
        ms = {name: statistics.median(t[1:]) for name, t in timings.items()}
        ms.setdefault("before", math.nan)
        used = sorted({c.rollup.name for c in rollups_used(now, query, warehouse.dialect, states)[1]})
        same = all(same_rows(results[name], results["base"]) for name in results)
        rows.append((question, ms["before"], ms["base"], ms["rollups"], ", ".join(used) or "-", same))
        print(f"{ms['before']:8.0f} {ms['base']:8.0f} {ms['rollups']:8.0f} ms  same={same}  {question}",
              flush=True)
    return rows


def events_count(path: Path) -> int:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT COUNT(*) FROM events").fetchone()[0]


def title(engine: str, scale: float) -> str:
    if scale == 10:
        return SECTIONS[engine]
    return f"## Scale {scale:g}" + ("" if engine == "duckdb" else " on ClickHouse (chdb)")


def _ms(value: float) -> str:
    return "not run" if math.isnan(value) else f"{value:.0f} ms"


def section(rows, scale: float, events: int, repeat: int, built: tuple[float, list], engine: str,
            load: tuple[float, float] = (math.nan, math.nan)) -> str:
    today = dt.date.today().isoformat()
    connector = ("DuckDB through the hardened connector (memory limit 8 GB)" if engine == "duckdb" else
                 "chdb (ClickHouse in a sandboxed worker process; the DuckDB file, rollups built there "
                 "included, loaded into MergeTree tables)")
    lines = [
        title(engine, scale), "",
        (f"`benchmarks/bench_scale.py --scale {scale:g} --repeat {repeat} --engine {engine}"
         f"{' --no-before' if all(math.isnan(r[1]) for r in rows) else ''}` on "
         f"{platform.machine()}, Python {platform.python_version()}, {today}, 2 shared cores, demo at scale "
         f"{scale:g} ({events:,} events), {connector}, warm. The ask benchmark's questions as "
         "the semantic queries the offline planner makes of them (plus a cohort-range retention and two "
         "questions of distinct users over a range), timed "
         "through `run_query` (compile, guard, execute): planning, charts and narrative are not included. "
         "\"Before #19\" is the model with the derived tables' `FILTER_RANGE` markers removed "
         "(docs/semantic-layer.md, \"Derived tables that read less\"); \"base tables\" the model as it is "
         "without rollups; \"rollups\" answered from the built rollups where they cover the query "
         "(docs/semantic-layer.md, \"Rollups\"), days after a rollup's watermark looked for first as the "
         "assistant's executor does (`without_empty_tails`, timed); \"same\" says all the ways run gave "
         "equal rows. "
         f"1-minute load average {load[0]:.1f} at the start, {load[1]:.1f} at the end."),
        "",
        "| question | before #19 | base tables | rollups | rollup read | same rows |",
        "|---|---:|---:|---:|---|---|",
    ]
    lines += [f"| {q} | {_ms(before)} | {_ms(base)} | {_ms(fast)} | {used} | {'yes' if ok else 'NO'} |"
              for q, before, base, fast, used, ok in rows]
    seconds, reports = built
    sizes = ", ".join(f"{r.name} {r.rows:,}" for r in reports)
    lines += ["", (f"Rollup build into the DuckDB file (from scratch, month partitions): {seconds:.1f} s; "
              f"rows: {sizes}."), "", READING]
    return "\n".join(lines) + "\n"


READING = (
    "Reading it: the pushdown cuts what a retention query reads to the installs of its range and the "
    "events of the 30 days after them, so the gain grows with how small the range is against the data "
    "(a month of six; a three-month cohort gains less). Rollups turn every covered question into a scan "
    "of a table of tens of thousands of rows, whatever the number of events (distinct users: a "
    "month's rows of users_monthly, one per active user); questions they do not cover (a dimension "
    "not rolled up, DAU by two dimensions, a cohort filter on a column no rollup keeps) read the "
    "base tables as before; "
    "a question without a time range reads the rollup and, from the base tables, only the days after "
    "its watermark (none when the rollup is current). Identity is tested, not only measured here: "
    "tests/semantic_layer/test_rollups.py and "
    "tests/evals/test_rollup_identity.py (every demo eval case both ways); every eval suite scored the "
    "same case by case before and after the pushdown. These times are in process: HTTP, planning, "
    "charts and narrative add their own (docs/benchmarks.md, \"Ask pipeline\" and \"REST API load\"); "
    "the engine's executor reads the rollup states per question and uses them the same way "
    "(docs/semantic-layer.md, \"Rollups\")."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", help="an existing demo DuckDB file (else built at --scale)")
    parser.add_argument("--engine", choices=tuple(SECTIONS), default="duckdb")
    parser.add_argument("--no-before", action="store_true", 
                        help="skip the SQL before #19 (slow at scale 100)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    path = demo_path(args.db, args.scale)
    built = build(path)
    print(f"rollups built in {built[0]:.1f} s", flush=True)
    warehouse = open_warehouse(path, args.engine)
    try:
        rows = measure(warehouse, args.repeat, not args.no_before)
    finally:
        warehouse.close()
    text = section(rows, args.scale, events_count(path), args.repeat, built, args.engine,
                   (load_start, os.getloadavg()[0]))
    print(text)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", text, title(args.engine, args.scale))


if __name__ == "__main__":
    main()
