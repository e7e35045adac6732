"""Forecast benchmark: out-of-sample error of the forecast rule per metric, against a seasonal-naive
forecast, on the demo warehouse.

For every metric, the daily series is read through the semantic layer as the ``forecast`` tool
reads it (``insights/forecast_series.py``). At each of ``--origins`` forecast origins a week
apart, the last one 14 days before the end of the data, the whole rule (model choice by AICc
included) is run on the history before the origin and its next 14 days are compared with what
happened: MAPE of the rule, of the seasonal-naive forecast (the same weekday a week earlier),
the share of actuals inside the 80% interval. Ratios are also forecast as the ratio of their
parts' forecasts, to compare with forecasting them directly (the tool's way; docs/insights.md).
``tool MAPE`` is what an answer reports: the rule's own backtest on the last held-out 14 days.
Results go to stdout and to the "## Forecast" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_forecast.py [--db PATH] [--origins 6] [--no-write]
"""
from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from docs_section import write_section

from app.engine.insights.forecast import forecast_series, mape, seasonal_naive
from app.engine.insights.forecast_series import read_series
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model, run_query
from warehouse.duckdb import DuckDBWarehouse

SECTION = "## Forecast"
AS_OF = dt.date(2026, 7, 1)
STEPS = 14
METRICS = ("installs", "paid_installs", "organic_installs", "cost", "clicks", "impressions", "revenue",
           "sessions", "dau", "active_users", "cpi", "cpc", "ctr", "cvr", "roas", "fraud_rate", "arpu", "cpm")


def evaluate(values: np.ndarray, origins: int, parts: tuple[np.ndarray, np.ndarray] | None) -> dict:
    rule, naive, inside, ratio_of_parts, seconds = [], [], [], [], []
    for k in range(origins):
        cut = len(values) - STEPS - 7 * k
        actual = values[cut:cut + STEPS]
        started = time.perf_counter()
        found = forecast_series(values[:cut], STEPS)
        seconds.append(time.perf_counter() - started)
        rule.append(mape(actual, found.mean))
        naive.append(mape(actual, seasonal_naive(values[:cut], STEPS, 7)))
        inside.append(float(np.mean((actual >= found.low) & (actual <= found.high))))
        if parts is not None:
            numerator, denominator = (forecast_series(p[:cut], STEPS).mean for p in parts)
            ratio_of_parts.append(mape(actual, numerator / np.where(denominator == 0, np.nan, denominator)))
    own = forecast_series(values, STEPS)
    return {"rule": statistics.mean(rule), "naive": statistics.mean(naive),
            "coverage": statistics.mean(inside),
            "parts": statistics.mean(ratio_of_parts) if ratio_of_parts else None,
            "tool": own.backtest.mape, "tool_naive": own.backtest.naive_mape, "model": own.model,
            "seconds": statistics.median(seconds), "wins": sum(r < n for r, n in zip(rule, naive))}


def run(db: Path, origins: int) -> list[tuple[str, dict]]:
    model = load_semantic_model(DEMO_MODEL_PATH)
    warehouse = DuckDBWarehouse(db, timeout_s=120, max_rows=100_000)

    def query(semantic):
        return run_query(model, semantic, warehouse, max_rows=100_000)

    def series(metric: str) -> np.ndarray:
        return read_series(query, model, metric, "day", (), AS_OF - dt.timedelta(days=1)).values

    results = []
    for metric in METRICS:
        found = model.metric(metric)
        parts = None
        if found.type == "ratio":
            parts = (series(found.type_params.numerator), series(found.type_params.denominator))
        values = series(metric)
        if parts is not None and len(parts[0]) != len(values):
            parts = None  # the parts' histories end on other days: no like-for-like comparison
        results.append((metric, evaluate(values, origins, parts)))
        row = results[-1][1]
        print(f"{metric:18} rule {row['rule']:.1%}  naive {row['naive']:.1%}  "
              f"coverage {row['coverage']:.0%}  tool {row['tool']:.1%} vs {row['tool_naive']:.1%}  "
              f"{row['model']}", flush=True)
    warehouse.close()
    return results


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def section(results, origins: int, db: Path) -> str:
    intro = (
        f"`benchmarks/bench_forecast.py --origins {origins}` on {platform.machine()}, Python "
        f"{platform.python_version()}, {dt.date.today()}, 2 shared cores; the scale-1 demo warehouse "
        f"({db.name}, seed 42, data 2026-01-01 to 2026-06-30). Daily series read through the semantic layer "
        f"as the `forecast` tool reads them. **Rolling origin**: at {origins} origins a week apart (the last "
        f"one 14 days before the end of the data) the whole rule (ETS chosen by AICc; docs/insights.md) is "
        "fit on the history before the origin and its next 14 days compared with the actuals; MAPE is the "
        "mean over origins. Seasonal naive: the same weekday a week earlier. Coverage: the share of "
        "actuals inside the 80% interval. Ratio of parts: a ratio forecast as its numerator's forecast over "
        "its denominator's (the tool forecasts ratios directly). Tool MAPE: what an answer reports, the "
        "rule's own backtest on the last 14 days held out (one window, so noisier).")
    header = ("| metric | rule MAPE | seasonal naive | origins won | 80% coverage | ratio of parts | "
              "tool MAPE | tool naive | model chosen now | fit + forecast |")
    lines = [SECTION, "", intro, "", header, "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for metric, r in results:
        lines.append(f"| {metric} | {_pct(r['rule'])} | {_pct(r['naive'])} | {r['wins']}/{origins} | "
                     f"{r['coverage']:.0%} | {_pct(r['parts'])} | {_pct(r['tool'])} | "
                     f"{_pct(r['tool_naive'])} | {r['model']} | {r['seconds'] * 1000:.0f} ms |")
    better = sum(r["rule"] < r["naive"] for _, r in results)
    ratios = [(m, r) for m, r in results if r["parts"] is not None]
    direct = sum(r["rule"] <= r["parts"] for _, r in ratios)
    lines += ["", (f"The rule beats the seasonal-naive forecast on {better} of {len(results)} metrics (mean "
                   f"MAPE over the origins); forecasting a ratio directly is as good as or better than the "
                   f"ratio of its parts' forecasts on {direct} of {len(ratios)} ratios."), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=REPO / "data" / "demo.duckdb")
    parser.add_argument("--origins", type=int, default=6)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    results = run(args.db, args.origins)
    text = section(results, args.origins, args.db)
    print(text)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", text, SECTION)


if __name__ == "__main__":
    main()
