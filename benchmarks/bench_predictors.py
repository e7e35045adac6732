"""Predictor benchmark: training, held-out metrics, single-row latency, batch scoring.

Trains the three models on a copy of a scale-1 demo warehouse (time split as
in ``predictors.specs``), then times one-row scoring and one-row SHAP
explanations (targets: p50 under 5 ms and 20 ms) and scoring every install
and user into the prediction tables (target: all scale-1 installs under 30 s).
Results go to stdout and to the "## Predictors" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_predictors.py [--db PATH] [--repeat 300] [--no-write]
"""
from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before xgboost loads: no spinning on shared cores

import argparse
import datetime as dt
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import duckdb
from docs_section import write_section

from predictors.explain import PredictionExplainer
from predictors.features.base import Cohort, ConnectionSource, as_matrix
from predictors.predict import predict_matrix
from predictors.registry import ModelRegistry
from predictors.scoring import score_model, write_table
from predictors.specs import SPECS
from predictors.train import train_model

SECTION = "## Predictors"
AS_OF = dt.date(2026, 7, 1)
MODELS = ("fraud", "churn", "ltv")


def _timed(fn, repeat: int) -> tuple[float, float]:
    fn()  # warm: first calls build caches
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def train_all(source, registry) -> dict:
    out = {}
    for name in MODELS:
        started = time.perf_counter()
        out[name] = (train_model(name, source, registry, AS_OF), time.perf_counter() - started)
    return out


def row_latency(source, trained: dict, repeat: int) -> dict:
    out = {}
    for name in MODELS:
        loaded = ModelRegistry(trained["_root"]).load(name)
        recent = Cohort(install_from=dt.date(2026, 6, 20))
        frame = source.frame(SPECS[name].features_module.feature_query(AS_OF, recent))
        row = as_matrix(frame.head(1), loaded.features)
        kind = SPECS[name].kind  # LTV: both parts and the p10/p50/p90 of their mixture
        out[name] = {"score": _timed(lambda b=loaded.boosters, r=row, k=kind: predict_matrix(b, r, k),
                                     repeat)}
        explainer, series = PredictionExplainer(loaded), frame.iloc[0]  # LTV: the payer part
        out[name]["shap"] = _timed(lambda e=explainer, r=row: e.shap_row(r), repeat)
        out[name]["words"] = _timed(lambda e=explainer, s=series: e.explain(s, 0.5, "x"), repeat)
    return out


def batch_scoring(connection, registry) -> dict:
    out = {}
    for name in MODELS:
        started = time.perf_counter()
        scored = score_model(name, ConnectionSource(connection), registry, AS_OF)
        rows = write_table(connection, scored)
        out[name] = (scored.table, rows, time.perf_counter() - started)
    return out


def _metric_rows(trained: dict) -> list[str]:
    rows = []
    for name in ("fraud", "churn"):
        meta = trained[name][0].meta
        bases = ", ".join(f"{k} {v['roc_auc']}" for k, v in meta["baseline"].items())
        rows.append(f"| {name} | ROC-AUC {meta['metrics']['roc_auc']}, PR-AUC {meta['metrics']['pr_auc']}, "
                    f"Brier {meta['metrics']['brier']} | ROC-AUC {bases} |")
    m, b = trained["ltv"][0].meta["metrics"], trained["ltv"][0].meta["baseline"]
    pit = max(abs(d - 0.1) for d in m["pit_deciles"])
    rows.append(f"| ltv | pinball {m['pinball_mean']}, MAE {m['mae_p50']}; p10-p90 coverage "
                f"{m['coverage_p10_p90_ties_split']:.1%} with ties at $0 split ({m['coverage_p10_p90']:.1%} "
                f"counting every $0 inside); payers inside their spend p10-p90 "
                f"{m['spend_coverage_p10_p90_payers']:.1%}; PIT deciles within {pit:.3f} of 0.1; "
                f"payer ROC-AUC {m['payer']['roc_auc']}; summed mean / actual revenue "
                f"{m['expected_revenue_ratio']} | pinball {b['pinball_mean']}, MAE {b['mae_p50']}, "
                f"p10-p90 coverage {b['coverage_p10_p90']:.1%} |")
    return rows


def render(trained: dict, latency: dict, batch: dict, repeat: int, load: float) -> str:
    intro = (f"`benchmarks/bench_predictors.py --repeat {repeat}` on {platform.machine()}, Python "
             f"{platform.python_version()}, {dt.date.today()}, 2 shared cores "
             f"(1-minute load average {load:.1f} "
             "at the start; times grow with it). Scale-1 demo (seed 42), as_of 2026-07-01, XGBoost nthread=2 "
             "for training, 1 thread for single rows. Metrics are on the held-out later period.")
    lines = [SECTION, "", intro, "",
             "| model | held-out metrics | baseline |", "|---|---|---|", *_metric_rows(trained), "",
             "| model | train time | 1-row score p50 / p95 | 1-row SHAP p50 / p95 | SHAP + plain words p50 |",
             "|---|---:|---:|---:|---:|"]
    for name in MODELS:
        lat = latency[name]
        shap = f"{lat['shap'][0]:.2f} / {lat['shap'][1]:.2f} ms"
        words = f"{lat['words'][0]:.2f} ms"
        lines.append(f"| {name} | {trained[name][1]:.1f} s "
                     f"| {lat['score'][0]:.2f} / {lat['score'][1]:.2f} ms | {shap} | {words} |")
    lines += ["", "| table | rows | features + predict + write |", "|---|---:|---:|"]
    lines += [f"| {table} | {rows:,} | {seconds:.1f} s |" for table, rows, seconds in batch.values()]
    return "\n".join(lines) + "\n"


def _default_db() -> Path | None:
    found = sorted((REPO / ".cache" / "test-demo").glob("demo-*.duckdb"))
    return found[-1] if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=_default_db(), help="a scale-1 demo DuckDB file (copied)")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    if args.db is None or not args.db.is_file():
        sys.exit("no demo warehouse: pass --db (build one with `asklytics demo build`)")
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        shutil.copyfile(args.db, db)
        registry = ModelRegistry(Path(tmp) / "models")
        with duckdb.connect(str(db)) as connection:
            source = ConnectionSource(connection)
            trained = train_all(source, registry)
            trained_with_root = {**trained, "_root": registry.root}
            latency = row_latency(source, trained_with_root, args.repeat)
            batch = batch_scoring(connection, registry)
    section = render(trained, latency, batch, args.repeat, load)
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section, SECTION)


if __name__ == "__main__":
    main()
