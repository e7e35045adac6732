"""The forecasting rule on series whose structure is known: the trend and the weekly pattern are
recovered, the intervals are ordered and cover the truth, the backtest is a real out-of-sample
error, and series that cannot be forecast are refused."""
from __future__ import annotations

import numpy as np
import pytest

from app.engine.insights import forecast as fc
from app.engine.insights.forecast import ForecastRefused, forecast_series, mape, seasonal_naive

WEEK = np.array([0.92, 0.90, 0.93, 0.96, 1.05, 1.25, 1.20])


def synthetic(days: int, noise: float = 0.02, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(observed, truth): a level of 1000 growing 4 a day, times a weekly pattern, times noise."""
    t = np.arange(days)
    truth = (1000 + 4 * t) * WEEK[t % 7]
    return truth * (1 + np.random.default_rng(seed).normal(0, noise, days)), truth


def test_a_known_trend_and_weekly_pattern_are_recovered():
    observed, truth = synthetic(196)
    history, future = observed[:182], truth[182:]
    result = forecast_series(history, 14)
    assert result.model.startswith("ETS(") and result.model.endswith("M)")  # a multiplicative week
    assert mape(future, result.mean) < 0.03
    # the weekly shape: the busiest forecast day is the pattern's Saturday, the quietest its Tuesday
    assert int(np.argmax(result.mean[:7])) == (5 - 182) % 7
    assert int(np.argmin(result.mean[:7])) == (1 - 182) % 7
    assert (result.low <= result.mean).all() and (result.mean <= result.high).all()
    assert (result.low >= 0).all()
    assert np.mean((future >= result.low) & (future <= result.high)) >= 0.8


def test_the_backtest_is_the_chosen_rule_refit_on_the_history_before_the_held_out_weeks():
    observed, _ = synthetic(182, seed=3)
    result = forecast_series(observed, 14)
    held, train = observed[-14:], observed[:-14]
    _, fitted = fc.choose(train, 7)
    mean, _, _ = fc._predict(fitted, len(train), 14, 0.8, seed=1)
    assert result.backtest.points == 14
    assert result.backtest.mape == pytest.approx(mape(held, np.maximum(mean, 0)))
    naive = np.concatenate([train[-7:], train[-7:]])
    assert result.backtest.naive_mape == pytest.approx(np.mean(np.abs(held - naive) / held))
    # growth of 4 a day: last week's values are ~28 too low, which the model's trend is not
    assert result.backtest.mape < result.backtest.naive_mape


def test_mape_and_the_seasonal_naive_baseline_by_hand():
    assert mape([100, 200, 0], [110, 150, 5]) == pytest.approx((0.1 + 0.25) / 2)  # zero actuals skipped
    assert mape([0, 0], [1, 2]) is None
    assert list(seasonal_naive([1, 2, 3, 4, 5, 6, 7, 8, 9], 9, 7)) == [3, 4, 5, 6, 7, 8, 9, 3, 4]
    assert list(seasonal_naive([1, 2, 3], 2, None)) == [3, 3]


def test_the_days_between_history_and_the_period_asked_are_skipped_not_shown():
    observed, truth = synthetic(200)
    result = forecast_series(observed[:182], 7, ahead=5)
    assert len(result.mean) == 7 and mape(truth[187:194], result.mean) < 0.03


def test_a_series_without_a_season_and_a_wider_interval_at_a_higher_level():
    weekly = 5000 + 40 * np.arange(30) + np.random.default_rng(1).normal(0, 50, 30)
    narrow = forecast_series(weekly, 4, season=None)
    wide = forecast_series(weekly, 4, season=None, level=0.95)
    assert (wide.high - wide.low > narrow.high - narrow.low).all()
    assert narrow.mean[0] > weekly[-3:].mean()  # the upward trend carries on


def test_too_little_history_and_gaps_are_refused():
    observed, _ = synthetic(40)
    with pytest.raises(ForecastRefused, match="too little history"):
        forecast_series(observed, 14)  # four weeks to fit plus two held out = 42
    with pytest.raises(ForecastRefused, match="gaps"):
        forecast_series(np.concatenate([observed, [np.nan]]), 7)


def test_a_constant_series_is_forecast_as_itself():
    result = forecast_series(np.full(60, 7.0), 5)
    assert result.model == "constant" and list(result.mean) == [7.0] * 5 and result.backtest.mape == 0


def test_the_seasonal_naive_forecasts_when_it_did_better_on_the_backtest():
    """A weekly pattern that changed four weeks ago and repeats exactly since: the last week repeated is
    right on the held-out weeks, a smoothed ETS still lags, so the rule forecasts with the baseline."""
    old, new = [100, 120, 90, 80, 130, 150, 110], [300, 40, 250, 60, 280, 45, 320]
    history = np.array(old * 8 + new * 4, dtype=float)
    result = forecast_series(history, 7)
    assert result.model == "seasonal naive"
    assert result.backtest.mape == 0 and result.backtest.naive_mape == 0
    assert list(result.mean) == new
    assert all(lo <= m <= hi for lo, m, hi in zip(result.low, result.mean, result.high, strict=True))
