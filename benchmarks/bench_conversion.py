"""Conversion benchmark: held-out quality against the logistic baseline, calibration, row latency.

Trains the conversion model on a copy of a scale-1 demo warehouse (time split and calibration
window as in ``predictors.specs``), then reports on the later held-out installs: ROC-AUC of the
model and of the logistic-regression baseline with the margin and a bootstrap 95% interval of
the margin (installs resampled, 200 draws), PR-AUC, Brier score (before calibration, with the
sigmoid, with isotonic regression) and the calibration table; then times one-row scoring (features
to calibrated probability: target p50 under 5 ms) and one-row SHAP (target p50 under 20 ms), and
scoring every install into ``conversion_scores``. Results go to stdout and to the
"## Conversion prediction" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_conversion.py [--db PATH] [--repeat 300] [--no-write]
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
import numpy as np
from docs_section import write_section
from sklearn.metrics import roc_auc_score

from predictors import calibration, evaluate
from predictors.datasets import build_dataset
from predictors.explain import PredictionExplainer
from predictors.features import conversion
from predictors.features.base import Cohort, ConnectionSource, as_matrix
from predictors.registry import ModelRegistry
from predictors.scoring import score_model, write_table
from predictors.specs import SPECS, splits
from predictors.train import train_model

SECTION = "## Conversion prediction"
AS_OF = dt.date(2026, 7, 1)


def _timed(fn, repeat: int) -> tuple[float, float]:
    fn()  # warm: first calls build caches
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def auc_margin_interval(source, artifact, draws: int = 200, seed: int = 0) -> dict:
    """The held-out AUC margin over the logistic baseline at 24 h, with a bootstrap 95% interval."""
    spec = SPECS["conversion"]
    train_window, test_window = splits("conversion", AS_OF)
    train, test = build_dataset(source, spec, train_window), build_dataset(source, spec, test_window)
    test = test[test["hours_observed"] >= 24].reset_index(drop=True)
    y = test["label"].to_numpy()
    model = calibration.apply(artifact.meta["calibration"],
                              calibration.margin(artifact.booster, as_matrix(test, spec.features)))
    base = evaluate.logistic_baseline(as_matrix(train, spec.features), train["label"].to_numpy(),
                                      as_matrix(test, spec.features))
    rng = np.random.default_rng(seed)
    margins = []
    for _ in range(draws):
        pick = rng.integers(0, len(y), len(y))
        if 0 < y[pick].sum() < len(pick):
            margins.append(roc_auc_score(y[pick], model[pick]) - roc_auc_score(y[pick], base[pick]))
    low, high = np.quantile(margins, [0.025, 0.975])
    margin = roc_auc_score(y, model) - roc_auc_score(y, base)
    return {"margin": margin, "low": float(low), "high": float(high),
            "share_positive": float(np.mean(np.asarray(margins) > 0))}


def row_latency(source, registry, repeat: int) -> dict:
    loaded = registry.load("conversion")
    yesterday = Cohort(install_from=AS_OF - dt.timedelta(days=1))
    frame = source.frame(conversion.feature_query(AS_OF, yesterday))
    row = as_matrix(frame.head(1), loaded.features)
    fitted = loaded.meta["calibration"]
    explainer, series = PredictionExplainer(loaded), frame.iloc[0]
    return {
        "score": _timed(lambda: calibration.apply(fitted, calibration.margin(loaded.booster, row)), repeat),
        "shap": _timed(lambda: explainer.shap_row(row), repeat),
        "words": _timed(lambda: explainer.explain(series, 0.5, "x"), repeat),
    }


def render(artifact, seconds: float, interval: dict, latency: dict, batch: tuple, repeat: int,
           load: float) -> str:
    meta = artifact.meta
    m, b = meta["metrics"], meta["baseline"]["logistic_regression"]
    short, short_base = m["shorter_horizons"], b["shorter_horizons"]
    brier = m["brier_by_calibration"]
    intro = (f"`benchmarks/bench_conversion.py --repeat {repeat}` on {platform.machine()}, Python "
             f"{platform.python_version()}, {dt.date.today()}, 2 shared cores (1-minute load average "
             f"{load:.1f} at the start). Scale-1 demo (seed 42), as_of 2026-07-01; held-out installs "
             f"{meta['training_window']['test']['start']} .. {meta['training_window']['test']['end']} "
             "(docs/models.md, \"Conversion\"). Label: a first purchase after the observed hours and within "
             "7 days of install, among installs that had not paid in them.")
    fitted = meta["calibration"]
    full_row = (f"| at 24 h ({m['rows']:,}) | {m['positive_rate']:.2%} | {m['roc_auc']:.4f} "
                f"| {b['roc_auc']:.4f} | {interval['margin']:+.4f} "
                f"({interval['low']:+.4f} .. {interval['high']:+.4f}) "
                f"| {m['pr_auc']:.4f} / {b['pr_auc']:.4f} | {m['brier']:.4f} / {b['brier']:.4f} |")
    short_row = (f"| at a drawn 0-24 h ({short['rows']:,}) | {short['positive_rate']:.2%} "
                 f"| {short['roc_auc']:.4f} | {short_base['roc_auc']:.4f} "
                 f"| {short['roc_auc'] - short_base['roc_auc']:+.4f} "
                 f"| {short['pr_auc']:.4f} / {short_base['pr_auc']:.4f} "
                 f"| {short['brier']:.4f} / {short_base['brier']:.4f} |")
    brier_line = (f"Brier at 24 h by calibration: none {brier['none']}, sigmoid {brier['sigmoid']} (used), "
                  f"isotonic {brier['isotonic']}; sigmoid a = {fitted['a']:.3f}, b = {fitted['b']:+.3f} "
                  f"on {fitted['rows']:,} rows ({fitted['positives']} conversions). Bootstrap draws with a "
                  f"positive margin: {interval['share_positive']:.0%}.")
    quality_head = ("| held-out rows | positive rate | ROC-AUC model | ROC-AUC logistic "
                    "| margin (95% bootstrap) | PR-AUC model / logistic | Brier model / logistic |")
    latency_head = ("| train time | 1-row score p50 / p95 (target 5 ms) "
                    "| 1-row SHAP p50 / p95 (target 20 ms) "
                    "| SHAP + plain words p50 | conversion_scores: rows, features + predict + write |")
    latency_row = (f"| {seconds:.1f} s | {latency['score'][0]:.2f} / {latency['score'][1]:.2f} ms "
                   f"| {latency['shap'][0]:.2f} / {latency['shap'][1]:.2f} ms | {latency['words'][0]:.2f} ms "
                   f"| {batch[0]:,}, {batch[1]:.1f} s |")
    calibration_rows = [f"| {r['bin']} | {r['rows']:,} | {r['mean_predicted']:.4f} "
                        f"| {r['observed_rate']:.4f} |"
                        for r in m["calibration"]]
    lines = [SECTION, "", intro, "", quality_head, "|---|---:|---:|---:|---:|---:|---:|", full_row, short_row,
             "", brier_line, "", "| predicted | installs | mean predicted | observed |",
             "|---|---:|---:|---:|",
             *calibration_rows, "", latency_head, "|---:|---:|---:|---:|---:|", latency_row]
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
            started = time.perf_counter()
            artifact = train_model("conversion", source, registry, AS_OF)
            seconds = time.perf_counter() - started
            interval = auc_margin_interval(source, artifact)
            latency = row_latency(source, registry, args.repeat)
            started = time.perf_counter()
            rows = write_table(connection, score_model("conversion", source, registry, AS_OF))
            batch = (rows, time.perf_counter() - started)
    section = render(artifact, seconds, interval, latency, batch, args.repeat, load)
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section, SECTION)


if __name__ == "__main__":
    main()
