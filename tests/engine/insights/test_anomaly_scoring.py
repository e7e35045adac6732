"""score_series on made series: the heavy-tail bound and the first week (numbers chosen by hand)."""
from __future__ import annotations

import numpy as np

from app.engine.insights.anomalies import score_series

WEEKLY = np.array([0.9, 0.9, 0.95, 1.0, 1.05, 1.25, 1.2])


def _series(days: int = 140, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 1000 * WEEKLY[np.arange(days) % 7] * rng.normal(1, 0.03, days)


def test_a_series_with_big_buyers_is_not_flagged_at_its_ordinary_extremes_but_a_collapse_is(monkeypatch):
    values = _series()
    whales = np.arange(12, 140, 12)  # every twelfth day a large buyer adds 40% of a day's revenue
    values[whales] += 400
    values[100] *= 0.1  # payments broken: 90% of a day's revenue gone
    flagged = {p.index for p in score_series(values) if p.anomalous}
    assert flagged == {100}
    # without the tail bound (eight robust deviations alone) the buyers' days are flagged too
    monkeypatch.setattr("app.engine.insights.anomalies.TAIL_FACTOR", 0.0)
    flagged = {p.index for p in score_series(values) if p.anomalous}
    assert 100 in flagged and len(flagged & set(whales)) > len(whales) // 2


def test_the_first_week_of_a_series_is_never_flagged():
    values = _series()
    values[3] *= 0.1  # no week before it to know the rhythm by
    values[60] *= 0.1
    flagged = {p.index for p in score_series(values) if p.anomalous}
    assert flagged == {60}


def test_a_drop_is_measured_against_the_drops_of_a_series_whose_tail_is_its_spikes(monkeypatch):
    values = _series(seed=5)
    whales = np.arange(5, 140, 6)  # large buyers on every sixth day: many tall spikes, never a drop
    values[whales] += 500
    values[100] *= 0.45  # a segment's payments broken: more than half of a day's revenue gone
    flagged = {p.index for p in score_series(values) if p.anomalous}
    assert flagged == {100}
    # one band for both sides (the 95th percentile of absolute residuals: the spikes) hides the drop
    monkeypatch.setattr("app.engine.insights.anomalies.tails",
                        lambda r: (float(np.quantile(np.abs(r), 0.95)),) * 2)
    assert not any(p.anomalous for p in score_series(values))
