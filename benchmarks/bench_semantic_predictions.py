r"""Semantic layer over the prediction tables: end-to-end time of ordinary questions on predictions.

Times ``run_query`` (compile, SQL guard, execute through the hardened connector)
for aggregates of churn, LTV and fraud scores by a dimension, thresholds on
scores and a cohort, on the scored demo warehouse (``asklytics train && asklytics
score`` writes the tables into data/demo.duckdb) and on a chdb copy of it. The
target is well under a second at scale 1. Results go to stdout and to the
"## Semantic layer: prediction aggregates" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_semantic_predictions.py \
        [--db data/demo.duckdb] [--repeat 15] [--no-write]
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from docs_section import write_section

from semantic_layer import DEMO_MODEL_PATH, Cohort, Filter, SemanticQuery, load_semantic_model, run_query
from warehouse.base import Warehouse

SECTION = "## Semantic layer: prediction aggregates"
JUNE = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
QUERIES = {
    "average churn probability by country": SemanticQuery(
        metrics=["avg_churn_probability"], dimensions=["country"]),
    "average and total predicted LTV by media source": SemanticQuery(
        metrics=["avg_predicted_ltv", "total_predicted_ltv"], dimensions=["media_source"]),
    "average fraud probability and scored installs by media source": SemanticQuery(
        metrics=["avg_fraud_probability", "fraud_scored_installs"], dimensions=["media_source"]),
    "TikTok installs with fraud probability > 0.8": SemanticQuery(metrics=["installs"], filters=[
        Filter(dimension="media_source", values=("TikTok",)),
        Filter(dimension="fraud_probability", op=">", values=(0.8,))]),
    "June revenue of users with churn probability > 0.7 by platform (3M events)": SemanticQuery(
        metrics=["revenue"], dimensions=["platform"], time_range=JUNE,
        filters=[Filter(dimension="churn_probability", op=">", values=(0.7,))]),
    "average predicted LTV of March installs by media source (cohort)": SemanticQuery(
        metrics=["avg_predicted_ltv"], dimensions=["media_source"],
        cohort=Cohort(install_range=(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))),
}


def timings_ms(action, repeat: int) -> tuple[float, float]:
    action()  # warm: parse caches, the engine's file cache
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def open_engines(db: Path) -> tuple[Warehouse, Warehouse]:
    from warehouse.chdb import ChdbWarehouse, load_demo_from_duckdb
    from warehouse.duckdb import DuckDBWarehouse

    duck = DuckDBWarehouse(db, max_rows=1000)
    if duck.schema().table("churn_scores") is None:
        sys.exit(f"{db} has no prediction tables: run `asklytics train` and `asklytics score` first")
    stat = db.stat()
    key = hashlib.sha256(f"{db.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    folder = REPO / ".cache" / "bench" / f"chdb-scored-{key}"
    if not folder.exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        load_demo_from_duckdb(db, folder)
    return duck, ChdbWarehouse(folder, max_rows=1000)


def measure(warehouses: list[Warehouse], repeat: int) -> dict[tuple[str, str], tuple[float, float]]:
    model = load_semantic_model(DEMO_MODEL_PATH)
    results = {}
    for name, query in QUERIES.items():
        for wh in warehouses:
            results[(name, wh.name)] = timings_ms(lambda q=query, w=wh: run_query(model, q, w), repeat)
    return results


def render(db: Path, repeat: int, rows: dict[str, int], results: dict) -> str:
    lines = [
        SECTION, "",
        (f"`benchmarks/bench_semantic_predictions.py --repeat {repeat}` on {platform.machine()}, Python "
         f"{platform.python_version()}, {dt.date.today()}, 2 shared cores, over `{db.name}` as scored by "
         f"`asklytics score` ({rows['fraud_scores']:,} fraud scores, {rows['churn_scores']:,} churn scores, "
         f"{rows['ltv_predictions']:,} LTV predictions) and a chdb copy. Wall time of `run_query` (compile, "
         "SQL guard, execute through the hardened connector), warm; target well under 1 s at scale 1."), "",
        "| question | DuckDB p50 | DuckDB p95 | chdb p50 | chdb p95 |", "|---|---:|---:|---:|---:|",
    ]
    for name in QUERIES:
        (d50, d95), (c50, c95) = results[(name, "duckdb")], results[(name, "chdb")]
        lines.append(f"| {name} | {d50:.0f} ms | {d95:.0f} ms | {c50:.0f} ms | {c95:.0f} ms |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=REPO / "data" / "demo.duckdb")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    duck, chdb = open_engines(args.db)
    try:
        rows = {t: duck.execute(f"SELECT COUNT(*) FROM {t}").rows[0][0]
                for t in ("fraud_scores", "churn_scores", "ltv_predictions")}
        results = measure([duck, chdb], args.repeat)
    finally:
        duck.close()
        chdb.close()
    section = render(args.db, args.repeat, rows, results)
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section, SECTION)


if __name__ == "__main__":
    main()
