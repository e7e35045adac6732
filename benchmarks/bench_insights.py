"""Insight benchmark on planted incidents: anomaly precision/recall and explain_change top-1/top-3.

Builds (once, under ``--dir``, never data/) scale-1 demo warehouses with labelled incidents
(``asklytics demo build --incidents SEED``; warehouse/demo/incidents.py): one for the tuning seed
and one per held-out seed, reported separately. On each, through the executor's own path:

- **anomalies**: ``detect_anomalies`` over the whole window (2026-01-01 to 2026-06-30) for the
  metrics incidents are about (installs, cost, fraud_rate, revenue), on the total, and on the
  total plus each value of country, media source and platform (the ``dimensions`` argument).
  An alert is a (metric, day) flagged by any of the series looked at (a day flagged in the total
  and in three segments is one alert). Recall: planted incidents with an alert on one of their
  days, on a metric they move, flagged in the total or in the incident's own segment (a day
  flagged only in another segment does not count). Precision: alerts that fall in a labelled
  incident (planted or built-in) moving that metric.
- **explain_change**: each incident's days explained on its metric (additive) and on the ratio it
  shows in (CPI for a cost jump, the fraud rate, ARPU), baseline by the tool's rule. Top-1: the
  first driver row is the planted segment (dimension and value); top-3: one of the first three.
  The time of each call is kept (issue #20's target: p95 < 1 s at scale 1).

Results go to stdout and to the "## Insights on planted incidents" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_insights.py [--dir .cache/incidents] [--tune-seed 1]
        [--heldout-seed 21 ...] (default: TUNING_SEEDS, HELD_OUT_SEEDS) [--no-write]
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from docs_section import write_section

from app.engine.pipeline.execute import ExecutionError, PlanExecutor
from app.engine.planning.plan import ToolCallPlan
from app.engine.tools import ToolContext
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model
from semantic_layer.rollup_build import DuckDBRollupWriter, build_rollups
from warehouse.demo import build_demo_warehouse
from warehouse.duckdb import DuckDBWarehouse

SECTION = "## Insights on planted incidents"
AS_OF = dt.date(2026, 7, 1)
WINDOW = ("2026-01-01", "2026-06-30")
DETECTED = ("installs", "cost", "fraud_rate", "revenue")
SEGMENT_DIMENSIONS = ("country", "media_source", "platform")
# Seeds 11 and 12 were the held-out sets of the first round, 21, 22 and 23 of the second; their results
# have been read since, so they tune now. 31, 32 and 33 were chosen before the third round's changes
# and are run once, with the method final (docs/insights.md, "Planted incidents").
TUNING_SEEDS = (1, 2, 3, 11, 12, 21, 22, 23)
HELD_OUT_SEEDS = (31, 32, 33)


def _source_key() -> str:
    digest = hashlib.sha256()
    for path in sorted((REPO / "warehouse" / "demo").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def warehouse_for(folder: Path, seed: int, scale: float = 1) -> tuple[Path, dict]:
    """The demo with the seed's incidents and the demo model's rollups, as ``asklytics demo build
    --incidents SEED`` makes it, built once per generator version."""
    size = "" if scale == 1 else f"-scale{scale:g}"
    path = folder / f"incidents-{seed}{size}-{_source_key()}-rollups.duckdb"
    labels = path.with_name(path.stem + ".incidents.json")
    if not (path.exists() and labels.exists()):
        folder.mkdir(parents=True, exist_ok=True)
        build_demo_warehouse(path, scale=scale, seed=42, incidents=seed, labels_path=labels, overwrite=True)
        writer = DuckDBRollupWriter(path)
        try:
            build_rollups(load_semantic_model(DEMO_MODEL_PATH), writer)
        finally:
            writer.close()
    return path, json.loads(labels.read_text())


def _days(label: dict) -> set[dt.date]:
    start, end = dt.date.fromisoformat(label["start"]), dt.date.fromisoformat(label["end"])
    return {start + dt.timedelta(days=i) for i in range((end - start).days + 1)}


def _run(executor, tool: str, arguments: dict) -> tuple[list[dict], float]:
    started = time.perf_counter()
    execution = executor.run(ToolCallPlan(tool=tool, arguments=arguments))
    seconds = time.perf_counter() - started
    names = execution.result.column_names()
    return [dict(zip(names, row)) for row in execution.result.rows], seconds


def _scores(flagged: dict[str, dict[dt.date, set]], labels: dict) -> dict:
    """``flagged``: metric -> day -> the series that flagged it (None: the total; (dimension, value))."""
    planted, built_in = labels["incidents"], labels["built_in"]

    def found(incident: dict, own_only: bool) -> bool:
        own = {None, (incident["dimension"], incident["segment"])}
        return any(day in _days(incident) and (not own_only or series & own)
                   for m in incident["metrics"] for day, series in flagged.get(m, {}).items())

    hits = [i for i in planted if found(i, own_only=True)]
    elsewhere = [i["id"] for i in planted if i not in hits and found(i, own_only=False)]
    true, false = 0, []
    for metric, days in flagged.items():
        truth = set().union(*(_days(x) for x in planted + built_in if metric in x["metrics"]))
        true += len(set(days) & truth)
        false += [(metric, d) for d in sorted(set(days) - truth)]
    total = sum(len(d) for d in flagged.values())
    return {"recall": len(hits) / len(planted), "found": len(hits), "planted": len(planted),
            "precision": true / total if total else None, "flagged": total, "false": false,
            "missed": [i["id"] for i in planted if i not in hits], "elsewhere": elsewhere}


def _flag(into: dict[dt.date, set], rows: list[dict], dimension: str | None) -> None:
    for r in rows:
        into.setdefault(r["date"], set()).add(None if dimension is None else (dimension, r[dimension]))


def anomalies(executor, labels: dict) -> dict:
    """Scores of detection on the totals, and on the totals plus every segment series."""
    total: dict[str, dict] = {}
    segments: dict[str, dict] = {}
    window = {"start": WINDOW[0], "end": WINDOW[1]}
    for metric in DETECTED:
        rows, _ = _run(executor, "detect_anomalies", {"metric": metric, **window})
        total[metric], segments[metric] = {}, {}
        _flag(total[metric], rows, None)
        _flag(segments[metric], rows, None)
        for dimension in SEGMENT_DIMENSIONS:
            try:
                rows, _ = _run(executor, "detect_anomalies",
                               {"metric": metric, **window, "dimensions": [dimension]})
            except ExecutionError:
                continue  # a dimension the metric does not reach
            _flag(segments[metric], rows, dimension)
    return {"total": _scores(total, labels), "segments": _scores(segments, labels)}


def explanations(executor, labels: dict) -> list[dict]:
    out = []
    for incident in labels["incidents"]:
        for metric, shape in ((incident["metric"], "additive"), (incident["ratio_metric"], "ratio")):
            if metric is None:
                continue
            arguments = {"metric": metric, "current_start": incident["start"], "current_end": incident["end"]}
            rows, seconds = _run(executor, "explain_change", arguments)
            named = [(r["dimension"], r["segment"]) for r in rows]
            target = (incident["dimension"], incident["segment"])
            out.append({"incident": incident["id"], "kind": incident["kind"], "metric": metric,
                        "shape": shape, "target": f"{target[0]} = {target[1]}",
                        "top": f"{named[0][0]} = {named[0][1]}" if named else "(none)",
                        "top1": bool(named) and named[0] == target, "top3": target in named[:3],
                        "seconds": seconds})
    return out


def evaluate(path: Path, labels: dict) -> dict:
    model = load_semantic_model(DEMO_MODEL_PATH)
    warehouse = DuckDBWarehouse(path, timeout_s=120, max_rows=100_000)
    executor = PlanExecutor(model, warehouse, max_rows=1000,
                            tool_context=lambda: ToolContext(warehouse, path.parent, AS_OF))
    try:
        return {"anomalies": anomalies(executor, labels), "explain": explanations(executor, labels)}
    finally:
        warehouse.close()


def _share(flags: list[bool]) -> str:
    return f"{sum(flags)}/{len(flags)} ({sum(flags) / len(flags):.0%})" if flags else "n/a"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _per_metric(false: list[tuple[str, dt.date]]) -> str:
    counts = {m: sum(1 for x, _ in false if x == m) for m in dict.fromkeys(m for m, _ in false)}
    return ", ".join(f"{m} {n}" for m, n in counts.items()) or "none"


def _pooled(scores: list[dict]) -> dict:
    """Detection scores of several incident sets counted together."""
    found, planted = sum(s["found"] for s in scores), sum(s["planted"] for s in scores)
    flagged = sum(s["flagged"] for s in scores)
    true = sum(round(s["precision"] * s["flagged"]) for s in scores if s["precision"] is not None)
    return {"found": found, "planted": planted, "recall": found / planted, "flagged": flagged,
            "precision": true / flagged if flagged else None}


def _detection(a: dict) -> str:
    precision = "n/a" if a["precision"] is None else f"{a['precision']:.0%} of {a['flagged']} alerts"
    return f"{a['found']}/{a['planted']} ({a['recall']:.0%}) | {precision}"


INTRO = (
    "`benchmarks/bench_insights.py --dir .scratch/incidents` on {machine}, Python {python}, {today}, 2 "
    "cores shared with other jobs (1-minute load average {load_before} at the start, {load_after} at the "
    "end: timings are inflated by that load). Scale-1 demo warehouses (seed 42, demo generator as of this"
    " run) with six labelled incidents each and the demo model's rollups (`asklytics demo build "
    "--incidents SEED`; docs/insights.md, 'Planted incidents'). Tuning seeds {tuning}: the method was "
    "changed after looking at them (11 and 12 were the first round's held-out sets, 21-23 the second's). "
    "Held-out seeds "
    "{held_out}: chosen before this round's changes, not built or looked at until the method was final, "
    "run once. Anomalies: `detect_anomalies` over 2026-01-01..06-30 on installs, cost, fraud rate and "
    "revenue, on the total alone, and on the total plus each country, media source and platform series "
    "(`dimensions`). An alert is a (metric, day) flagged by any series looked at (one day flagged in the "
    "total and in three segments is one alert). Recall: planted incidents with an alert on one of their "
    "days, on a metric they move, flagged in the total or in the incident's own segment. Precision: "
    "alerts inside a labelled incident (planted or built-in) moving that metric. explain_change on each "
    "incident's days, on its additive metric (installs, cost, fraud installs, revenue) and on the ratio "
    "it shows in (CPI, fraud rate, ARPU); top-1 / top-3: the planted segment is the first / among the "
    "first three driver rows.")


def section(results: dict[str, dict], loads: tuple[float, float]) -> str:
    seeds = {kind: ", ".join(name.split("seed ")[1].rstrip(")") for name in results if name.startswith(kind))
             for kind in ("tuning", "held out")}
    intro = INTRO.format(machine=platform.machine(), python=platform.python_version(), today=dt.date.today(),
                         load_before=f"{loads[0]:.1f}", load_after=f"{loads[1]:.1f}",
                         tuning=seeds["tuning"] or "none", held_out=seeds["held out"] or "none")
    lines = [SECTION, "", intro, "",
             ("| incidents seed | recall (totals) | precision (totals) | recall (+ segments) | "
              "precision (+ segments) | top-1 additive | top-3 additive | top-1 ratio | top-3 ratio | "
              "explain p95 |"),
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    groups = {name: [r] for name, r in results.items()}
    for kind in ("tuning", "held out"):
        members = [r for name, r in results.items() if name.startswith(kind)]
        if len(members) > 1:
            groups[f"**{kind}, all seeds**"] = members
    for name, members in groups.items():
        a = {k: _pooled([m["anomalies"][k] for m in members]) for k in ("total", "segments")}
        e = [x for m in members for x in m["explain"]]
        additive, ratio = [x for x in e if x["shape"] == "additive"], [x for x in e if x["shape"] == "ratio"]
        lines.append(f"| {name} | {_detection(a['total'])} | {_detection(a['segments'])} | "
                     f"{_share([x['top1'] for x in additive])} | {_share([x['top3'] for x in additive])} | "
                     f"{_share([x['top1'] for x in ratio])} | {_share([x['top3'] for x in ratio])} | "
                     f"{_p95([x['seconds'] for x in e]):.2f} s |")
    for name, r in results.items():
        seg = r["anomalies"]["segments"]
        lines += ["", (f"**{name}**: incidents missed by the totals: "
                       f"{', '.join(r['anomalies']['total']['missed']) or 'none'}; with segments: "
                       f"{', '.join(seg['missed']) or 'none'} (flagged only in another segment: "
                       f"{', '.join(seg['elsewhere']) or 'none'}); alerts outside any label, on the "
                       f"totals: {_per_metric(r['anomalies']['total']['false'])}; with segments: "
                       f"{_per_metric(seg['false'])}."), "",
                  "| incident | kind | days | metric | planted segment | top driver | top-1 | top-3 | time |",
                  "|---|---|---|---|---|---|:-:|:-:|---:|"]
        spans = {i["id"]: (i["start"], i["end"]) for i in r["labels"]["incidents"]}
        for x in r["explain"]:
            start, end = spans[x["incident"]]
            days = start if start == end else f"{start}..{end[5:]}"
            lines.append(f"| {x['incident']} | {x['kind']} | {days} | {x['metric']} | {x['target']} | "
                         f"{x['top']} | {'yes' if x['top1'] else 'no'} | {'yes' if x['top3'] else 'no'} | "
                         f"{x['seconds']:.2f} s |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=REPO / ".cache" / "incidents")
    parser.add_argument("--tune-seed", type=int, action="append")
    parser.add_argument("--heldout-seed", type=int, action="append")
    parser.add_argument("--tuning-only", action="store_true", help="leave the held-out seeds out")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    seeds = {f"tuning (seed {s})": s for s in (args.tune_seed or TUNING_SEEDS)}
    if not args.tuning_only:
        seeds.update({f"held out (seed {s})": s for s in (args.heldout_seed or HELD_OUT_SEEDS)})
    load_before = os.getloadavg()[0]
    results = {}
    for name, seed in seeds.items():
        path, labels = warehouse_for(args.dir, seed)
        results[name] = {**evaluate(path, labels), "labels": labels}
        r = results[name]
        print(name, json.dumps(r["anomalies"], default=str), flush=True)
        for x in r["explain"]:
            print("  ", x, flush=True)
        print("   explain p50", statistics.median(x["seconds"] for x in r["explain"]), flush=True)
    text = section(results, (load_before, os.getloadavg()[0]))
    print(text)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", text, SECTION)


if __name__ == "__main__":
    main()
