"""Anomalies and smoothing for time series.

Anomalies use a robust z-score (Iglewicz and Hoaglin): residuals from a
centred rolling median, scaled by their median absolute deviation, so a
weekly rhythm or a trend is not flagged and one spike cannot hide another
by inflating the standard deviation.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

import numpy as np

THRESHOLD = 3.5
MIN_POINTS = 10
_WINDOW = 7
_MAD_SCALE = 0.6745        # makes MAD comparable to a standard deviation for normal data
_MEAN_AD_SCALE = 1.253314  # the same for the mean absolute deviation, when MAD is 0


def _rolling_median(values: np.ndarray, window: int) -> np.ndarray:
    half = window // 2
    padded = np.pad(values, half, mode="edge")
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, window), axis=1)


def robust_z_scores(values: Sequence[float]) -> np.ndarray:
    data = np.asarray(values, dtype=float)
    residuals = data - _rolling_median(data, min(_WINDOW, len(data) | 1))
    spread = np.median(np.abs(residuals - np.median(residuals)))
    if spread > 0:
        return _MAD_SCALE * (residuals - np.median(residuals)) / spread
    mean_spread = np.mean(np.abs(residuals - np.mean(residuals)))
    if mean_spread > 0:
        return (residuals - np.median(residuals)) / (_MEAN_AD_SCALE * mean_spread)
    return np.zeros_like(data)


def anomaly_indices(values: Sequence[float | None], threshold: float = THRESHOLD) -> list[int]:
    """Positions whose robust z-score exceeds the threshold; gaps are skipped."""
    kept = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(kept) < MIN_POINTS:
        return []
    scores = robust_z_scores([v for _, v in kept])
    return [i for (i, _), z in zip(kept, scores) if abs(z) > threshold]


def moving_average(values: Sequence[float | None], window: int) -> list[float | None]:
    """Trailing mean over ``window`` points (gaps skipped); None until the window has filled."""
    data = np.array([np.nan if v is None else v for v in values], dtype=float)
    present = ~np.isnan(data)
    sums = np.concatenate(([0.0], np.cumsum(np.where(present, data, 0.0))))
    counts = np.concatenate(([0], np.cumsum(present)))
    ends = np.arange(window, len(data) + 1)
    window_sums, window_counts = sums[ends] - sums[ends - window], counts[ends] - counts[ends - window]
    means = [float(s / c) if c else None for s, c in zip(window_sums, window_counts)]
    return [None] * min(window - 1, len(data)) + means


def _parse(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text if len(text) > 7 else text + "-01")
    except ValueError:
        return None


def default_window(times: Sequence[str]) -> int:
    """A week of days, a month of weeks, a quarter of months, a day of hours."""
    moments = [m for m in (_parse(t) for t in times[:50]) if m is not None]
    gaps = sorted((b - a).total_seconds() for a, b in itertools.pairwise(moments) if b > a)
    if not gaps:
        return 3
    day = 86_400
    gap = gaps[len(gaps) // 2]
    window = 24 if gap < day else 7 if gap < 2 * day else 4 if gap < 20 * day else 3
    return max(2, min(window, len(times) // 3))
