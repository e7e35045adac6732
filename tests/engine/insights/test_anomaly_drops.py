"""Drops of a level (a segment's revenue): judged on the log ratio to what was expected, and over runs of
days (``anomalies.drop_widths``). Made series; the seeds and sizes were chosen by hand."""
from __future__ import annotations

import numpy as np

from app.engine.insights.anomalies import THRESHOLD, expected_values, score_series, tails

WEEKLY = np.array([0.9, 0.9, 0.95, 1.0, 1.05, 1.25, 1.2])


def _revenue(days: int = 180, seed: int = 0) -> np.ndarray:
    """A segment's daily revenue: grows sixfold over the months, a weekly rhythm, and multiplicative noise
    of about 16% (a few large buyers make a day)."""
    rng = np.random.default_rng(seed)
    level = np.linspace(100, 600, days)
    return level * WEEKLY[np.arange(days) % 7] * rng.lognormal(0, 0.16, days)


def _plain_low(values: np.ndarray, index: int) -> float:
    """The low end of the band the plain residual gives (``THRESHOLD`` robust spreads, at least twice the
    95th percentile of the drops): what a drop was judged against before."""
    expected = expected_values(values, seasonal=True)
    residuals = values - expected
    spread = 1.4826 * float(np.median(np.abs(residuals - np.median(residuals))))
    return float(expected[index] - max(THRESHOLD * spread, 2.0 * tails(residuals)[0]))


def test_a_fall_to_a_third_early_in_a_growing_noisy_series_is_a_drop():
    values = _revenue()
    values[30] *= 0.3  # payments broken for a day, when the level is still a third of what it becomes
    flagged = {p.index for p in score_series(values) if p.anomalous}
    assert flagged == {30}
    point = score_series(values)[30]
    assert point.direction == "drop" and 0 < point.low < point.expected
    # the band of the plain residual reaches below 0 there: no fall at all could have been flagged
    assert _plain_low(values, 30) < 0


def test_an_ordinary_noisy_growing_series_has_no_drops():
    for seed in range(3):
        assert not [p for p in score_series(_revenue(seed=seed)) if p.anomalous and p.direction == "drop"]


def test_a_fall_held_two_days_is_found_as_a_run_though_no_day_alone_passes_its_band(monkeypatch):
    values = _revenue(seed=0)
    values[120:122] *= 0.38
    flagged = {p.index for p in score_series(values) if p.anomalous}
    assert flagged == {120, 121}
    monkeypatch.setattr("app.engine.insights.anomalies.RUN_LENGTHS", ())
    assert not any(p.anomalous for p in score_series(values))


def test_a_series_with_zero_days_keeps_the_plain_band_below():
    """A small source's fraud rate: a few days at 0 are chance, not a fall (the log ratio would call each
    of them one)."""
    rng = np.random.default_rng(4)
    values = rng.poisson(6 * WEEKLY[np.arange(140) % 7]) / 100.0
    values[[20, 55, 90]] = 0.0
    assert values.min() == 0
    assert not [p for p in score_series(values) if p.anomalous and p.direction == "drop"]


def test_a_drop_of_a_level_still_needs_the_segment_materiality():
    values = _revenue()
    values[30] *= 0.3
    point = score_series(values, min_width=np.full(len(values), 1e6))[30]
    assert not point.anomalous and point.low == 0.0
