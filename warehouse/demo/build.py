"""Orchestrates one demo build: plan, sample, write, rename into place.

Every table (and every chunk of events) draws from its own child of one
``SeedSequence``, so the same seed and scale give identical contents and a
change to one table's logic does not shift the random numbers of another.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from warehouse.demo.calendar import AS_OF, DAY, N_DAYS, START_S, WINDOW_END, WINDOW_START
from warehouse.demo.campaigns import plan_campaigns
from warehouse.demo.events import chunk_events
from warehouse.demo.incidents import default_labels_path, plant_incidents, write_labels
from warehouse.demo.installs import Installs, sample_installs
from warehouse.demo.response import META_KEY, curves_json
from warehouse.demo.spend import build_ad_spend
from warehouse.demo.writer import DemoWriter

GENERATOR_VERSION = "2"  # 2: spend per source follows its true response curve (response.py)
STREAMS = ("campaigns", "installs", "fraud", "devices", "users", "events", "spend")
USERS_PER_CHUNK = 25_000  # bounds memory at any scale: events are made and written per chunk

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class DemoBuildReport:
    path: Path
    scale: float
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    incidents: tuple = ()  # planted incidents (warehouse/demo/incidents.py), when asked for
    labels: Path | None = None  # where their labels were written


def _streams(seed: int) -> tuple[dict[str, np.random.Generator], np.random.SeedSequence]:
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    rngs = {name: np.random.default_rng(child) for name, child in zip(STREAMS, children)}
    return rngs, children[STREAMS.index("events")]


def _check_arguments(path: Path, scale: float, overwrite: bool) -> None:
    if not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale}")
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} already exists; pass overwrite=True (CLI: --force) to replace it")


def _write_events(writer: DemoWriter, installs: Installs, events_seed, n_campaigns: int,
                  progress: Progress) -> np.ndarray:
    """Stage every chunk's events; returns attributed revenue per campaign."""
    starts = range(0, len(installs), USERS_PER_CHUNK)
    revenue = np.zeros(n_campaigns)
    for start, seed in zip(starts, events_seed.spawn(len(starts))):
        batch = chunk_events(np.random.default_rng(seed), installs, start, start + USERS_PER_CHUNK)
        campaign = installs.campaign[batch.user]
        revenue += np.bincount(np.maximum(campaign, 0), weights=batch.revenue * (campaign >= 0),
                               minlength=n_campaigns)
        writer.stage_events(batch)
        progress("events", 0.1 + 0.65 * min(start + USERS_PER_CHUNK, len(installs)) / len(installs))
    return revenue


def _paid_counts(installs: Installs, n_campaigns: int) -> np.ndarray:
    paid = installs.campaign >= 0
    cells = installs.campaign[paid] * N_DAYS + (installs.install_ts[paid] - START_S) // DAY
    return np.bincount(cells, minlength=n_campaigns * N_DAYS).reshape(n_campaigns, N_DAYS)


def _meta(seed: int, scale: float) -> dict[str, str]:
    return {"seed": str(seed), "scale": repr(float(scale)), "generator_version": GENERATOR_VERSION,
            "as_of": AS_OF.isoformat(), "window_start": WINDOW_START.isoformat(),
            "window_end": WINDOW_END.isoformat()}


def build_demo_warehouse(path: Path, *, scale: float = 1, seed: int = 42, progress: Progress | None = None,
                         overwrite: bool = False, incidents: int | None = None,
                         labels_path: Path | None = None) -> DemoBuildReport:
    """Generate the demo warehouse into a new DuckDB file at ``path``.

    ``incidents``: a seed; plant labelled incidents (``incidents.py``) and write their labels to
    ``labels_path`` (default ``<name>.incidents.json`` beside the file). None: the plain demo."""
    path, began = Path(path), time.perf_counter()
    progress = progress or (lambda step, fraction: None)
    _check_arguments(path, scale, overwrite)
    rngs, events_seed = _streams(seed)
    progress("campaigns", 0.0)
    plan = plan_campaigns(rngs["campaigns"])
    progress("installs", 0.03)
    installs = sample_installs(rngs, plan, scale)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = DemoWriter(path, len(installs))
    try:
        writer.write_campaigns(plan)
        writer.write_installs(installs, plan)
        revenue = _write_events(writer, installs, events_seed, len(plan), progress)
        progress("ordering events", 0.75)
        writer.write_events()
        progress("ad spend", 0.95)
        spend = build_ad_spend(rngs["spend"], plan, installs.expected_paid, _paid_counts(installs, len(plan)),
                               revenue)
        writer.write_ad_spend(spend, plan)
        planted = ()
        if incidents is not None:
            progress("incidents", 0.97)
            planted = tuple(plant_incidents(writer.con, incidents))
        planted_meta = {"incidents_seed": str(incidents)} if incidents is not None else {}
        writer.write_meta(_meta(seed, scale) | planted_meta | {META_KEY: curves_json(spend.curves)})
        rows = writer.row_counts()
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    labels = None
    if incidents is not None:
        labels = labels_path or default_labels_path(path)
        write_labels(labels, incidents, path, list(planted), _meta(seed, scale))
    progress("done", 1.0)
    return DemoBuildReport(path=path, scale=scale, seed=seed, rows=rows, seconds=time.perf_counter() - began,
                           incidents=planted, labels=labels)
