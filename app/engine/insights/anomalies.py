"""Anomalous points of a metric's series: what was expected, how far from it is unusual.

Daily series: STL (statsmodels, robust) with a weekly period, so the weekend rhythm and a slow
trend are expected, not flagged; coarser grains: a centred rolling median. A point is anomalous
when its residual is more than ``THRESHOLD`` robust standard deviations (the median absolute
deviation of the residuals, scaled) from what was expected, and more than ``TAIL_FACTOR`` times the
series' own 95th percentile of absolute residuals; ``low``/``high`` is that band.

The second bound is for heavy tails: revenue moves with a few large buyers, and a country's or a
source's cost steps when campaigns start, so such a series has many points past eight robust
deviations that are its ordinary extremes, not incidents. A light-tailed series is unaffected (its
95th percentile is about two standard deviations, so twice it is below eight). Chosen on the tuning
incidents (docs/insights.md): flagged days outside any incident fell from about 60 to about 10 per
incident set, with the same incidents found.

Drops of a series that is never 0 or less (a level: revenue, installs, cost) are judged on the log ratio
of actual to expected, on single days and over runs of two or three days (``drop_widths``): such a
series cannot fall below 0, so a band of eight spreads of a noisy segment's plain residual reached 0 and
no fall could pass it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

THRESHOLD = 8.0  # robust sds; STL follows the data closely, so its residual spread is small
WEEK = 7
MIN_RELATIVE_SPREAD = 0.005  # of the series' mean level
TAIL_QUANTILE = 0.95
TAIL_FACTOR = 2.0  # past twice the series' own 95th percentile of residuals on its side (``tails``)
MIN_TAIL_POINTS = 20
# STL's seasonal smoother, in periods (odd; statsmodels' default is 7): each weekday's level is smoothed
# over about 31 weeks, so a spike does not leak into the same weekday of the weeks around it (a Wednesday
# cost jump made the next Wednesday look like a drop) and the weekly rhythm is nearly fixed
SEASONAL_SMOOTHER = 31
MIN_POINTS = 2 * WEEK + 1  # STL needs two full periods
# a level's drops (``drop_widths``): days expected under this share of its mean are not judged by ratio
MIN_LEVEL_SHARE = 0.1
RUN_LENGTHS = (2, 3)  # consecutive days a fall is also judged over
_MAD_SCALE = 1.4826  # MAD -> standard deviation for normal data


@dataclass(frozen=True)
class Point:
    index: int
    actual: float
    expected: float
    low: float
    high: float

    @property
    def anomalous(self) -> bool:
        return not self.low <= self.actual <= self.high

    @property
    def direction(self) -> str:
        return "spike" if self.actual > self.high else "drop" if self.actual < self.low else "normal"


def _rolling_median(values: np.ndarray, window: int = 5) -> np.ndarray:
    half = window // 2
    padded = np.pad(values, half, mode="edge")
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, window), axis=1)


def expected_values(values: Sequence[float], seasonal: bool) -> np.ndarray:
    data = np.asarray(values, dtype=float)
    if seasonal and len(data) >= MIN_POINTS:
        from statsmodels.tsa.seasonal import STL  # loaded on the first anomaly question, not at start-up

        fit = STL(data, period=WEEK, seasonal=SEASONAL_SMOOTHER, robust=True).fit()
        return fit.trend + fit.seasonal
    return _rolling_median(data, min(5, len(data) | 1))


def tails(residuals: np.ndarray) -> tuple[float, float]:
    """(below, above): the series' ``TAIL_QUANTILE`` of how far points fell below / rose above what was
    expected, each side from its own residuals. Heavy tails are often one-sided: revenue's large buyers
    are spikes, never drops, so a band as wide below as its spikes are tall hid a country's revenue falling
    to a third for a day. A side with too few points to have a 95th percentile (under 20) uses both."""
    both = float(np.quantile(np.abs(residuals), TAIL_QUANTILE))
    sides = []
    for side in (-residuals[residuals < 0], residuals[residuals > 0]):
        sides.append(float(np.quantile(side, TAIL_QUANTILE)) if len(side) >= MIN_TAIL_POINTS else both)
    return sides[0], sides[1]


def _robust_sd(values: np.ndarray) -> float:
    return _MAD_SCALE * float(np.median(np.abs(values - np.median(values))))


def drop_widths(data: np.ndarray, expected: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """How far below what was expected each point of a series that is never 0 or less may fall, judged on
    the log of actual / expected: a level's noise grows with it (revenue doubles over the months, a few
    large buyers make a day) and it cannot fall below 0, so a band of ``threshold`` spreads of the plain
    residual reached 0 for a segment's revenue (spread over 12% of its level) and no drop could pass it.
    On the log ratio a fall to a third is as far as a rise to three times; the band is ``threshold``
    robust spreads of the log ratios and at least ``TAIL_FACTOR`` times their 95th percentile below
    (``tails``), as for the plain residual.

    **Runs**: a fall held over ``RUN_LENGTHS`` consecutive days (every day below what was expected) is
    judged on the mean log ratio of those days against the spread and tail of the series' own means of
    that many consecutive days, so a two-day outage is not missed because each day alone is within its
    band; the days of such a run get the run's band. Points expected under ``MIN_LEVEL_SHARE`` of the
    series' mean are not judged by ratio (width: their expected value, never flagged as drops).

    Only for a series with no point at 0: one with zeros is a count of few events (a small source's fraud
    rate), whose zero days are chance, not a fall; its drops keep the plain residual's band."""
    floor = MIN_LEVEL_SHARE * float(np.mean(data))
    ratios = np.log(np.maximum(data, floor) / np.maximum(expected, floor))
    spread = max(_robust_sd(ratios), MIN_RELATIVE_SPREAD)
    width = np.full(len(data), max(threshold * spread, TAIL_FACTOR * tails(ratios)[0]))
    for k in RUN_LENGTHS:
        if len(ratios) < MIN_POINTS + k:
            continue
        means = np.convolve(ratios, np.ones(k) / k, mode="valid")
        run_spread = max(_robust_sd(means), MIN_RELATIVE_SPREAD)
        run_width = max(threshold * run_spread, TAIL_FACTOR * tails(means)[0])
        for j in np.flatnonzero(means < -run_width):
            days = slice(j, j + k)
            if np.all(ratios[days] < 0):
                width[days] = np.minimum(width[days], run_width)
    below = np.maximum(expected, 0.0) * (1.0 - np.exp(-width))
    return np.where(expected < floor, np.maximum(expected, 0.0), below)


def score_series(values: Sequence[float], seasonal: bool = True, threshold: float = THRESHOLD,
                 min_width: Sequence[float] | None = None) -> list[Point]:
    """Every point with its expected value and band (``anomalous`` tells the unusual ones);
    ``min_width``: per point, the least half-width of its band (a segment's materiality,
    ``tools/detect_anomalies.py``)."""
    data = np.asarray(values, dtype=float)
    if len(data) < 5:
        return []
    expected = expected_values(data, seasonal)
    residuals = data - expected
    spread = _MAD_SCALE * float(np.median(np.abs(residuals - np.median(residuals))))
    # a floor: a series the fit follows exactly (a perfect weekly rhythm) is not anomalous at every point
    spread = max(spread, MIN_RELATIVE_SPREAD * float(np.mean(np.abs(data))), 1e-9)
    below, above = (np.full(len(data), max(threshold * spread, TAIL_FACTOR * tail))
                    for tail in tails(residuals))
    if data.min() > 0:  # a level, never 0: its drops are judged by ratio (``drop_widths``)
        below = drop_widths(data, expected, threshold)
    if min_width is not None:
        below, above = (np.maximum(w, np.asarray(min_width, dtype=float)) for w in (below, above))
    floor = 0.0 if data.min() >= 0 else -np.inf  # a count or a rate is never expected below 0
    points = [Point(i, float(a), float(max(e, floor)), float(max(e - lo, floor)), float(max(e + hi, floor)))
              for i, (a, e, lo, hi) in enumerate(zip(data, expected, below, above))]
    if seasonal:  # a point needs a week before it: the first days of a series have no rhythm to go by
        points = [p if p.index >= WEEK else Point(p.index, p.actual, p.expected, min(p.low, p.actual),
                                                  max(p.high, p.actual)) for p in points]
    return points
