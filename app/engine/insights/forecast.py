"""Forecasts of one metric's series: exponential smoothing (ETS) with prediction intervals,
backtested on held-out weeks against a seasonal-naive baseline.

The rule (docs/insights.md, "forecast"): the candidates are ETS models of the statsmodels state
space family (``ETSModel``), with a weekly season for daily series: additive errors with a damped
trend or none, and, for a series that is positive everywhere, multiplicative errors and season
(a weekend that is 25% busier stays 25% busier as the level grows). The one with the lowest AICc
on the history *before* the held-out window is chosen (they share one likelihood, so AICc compares
them, as Hyndman's ``ets()`` does); its error on the held-out window is the backtest error, out
of sample; the same form is then refit on the whole history for the forecast.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

DAILY_SEASON = 7
MIN_SEASONS = 4  # a daily fit needs four weeks before the held-out window
MIN_POINTS = 12  # a series without a season (weeks, months) needs twelve points before it
LEVEL = 0.8  # the prediction interval's coverage


class ForecastRefused(ValueError):
    """The series cannot be forecast as asked; the message says why and what to ask instead."""


@dataclass(frozen=True)
class Spec:
    error: str  # "add" | "mul"
    trend: str | None  # "add" (damped) | None
    seasonal: str | None  # "add" | "mul" | None

    @property
    def label(self) -> str:
        letter = {"add": "A", "mul": "M", None: "N"}
        trend = "Ad" if self.trend else "N"
        return f"ETS({letter[self.error]},{trend},{letter[self.seasonal]})"


@dataclass(frozen=True)
class Backtest:
    points: int  # held-out points
    mape: float | None  # the model's mean absolute percentage error on them (0.05 = 5%)
    naive_mape: float | None  # the seasonal-naive baseline's
    coverage: float  # share of held-out actuals inside the model's interval


@dataclass
class Forecast:
    model: str
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    backtest: Backtest
    level: float = LEVEL
    notes: list[str] = field(default_factory=list)


def mape(actual: Sequence[float], predicted: Sequence[float]) -> float | None:
    """Mean of |actual - predicted| / |actual| over the points whose actual is not 0 (None: none)."""
    actual, predicted = np.asarray(actual, dtype=float), np.asarray(predicted, dtype=float)
    kept = actual != 0
    if not kept.any():
        return None
    return float(np.mean(np.abs(actual[kept] - predicted[kept]) / np.abs(actual[kept])))


def seasonal_naive(history: Sequence[float], steps: int, season: int | None) -> np.ndarray:
    """The last season repeated (the last value when there is no season): the baseline."""
    data = np.asarray(history, dtype=float)
    period = season or 1
    return np.resize(data[-period:], steps)


def candidates(values: np.ndarray, season: int | None) -> list[Spec]:
    seasonal = "add" if season else None
    specs = [Spec("add", "add", seasonal), Spec("add", None, seasonal)]
    if bool(np.all(values > 0)):
        specs += [Spec("mul", "add", "mul" if season else None), Spec("mul", None, "mul" if season else None)]
    return specs


def _fit(values: np.ndarray, spec: Spec, season: int | None):
    import pandas as pd  # statsmodels' ETS predictions need an indexed series
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    series = pd.Series(values, index=pd.RangeIndex(len(values)))
    model = ETSModel(series, error=spec.error, trend=spec.trend, damped_trend=spec.trend is not None,
                     seasonal=spec.seasonal, seasonal_periods=season if spec.seasonal else None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter; a failed fit raises or scores a bad AICc
        return model.fit(disp=False, maxiter=200)


def _predict(fitted, start: int, steps: int, level: float, seed: int) -> tuple[np.ndarray, ...]:
    # multiplicative models' intervals are simulated: a fixed generator keeps answers repeatable
    prediction = fitted.get_prediction(start=start, end=start + steps - 1, simulate_repetitions=500,
                                       rng=np.random.default_rng(seed))
    mean = np.asarray(prediction.predicted_mean, dtype=float)
    bounds = np.asarray(prediction.pred_int(alpha=1 - level), dtype=float)
    return mean, bounds[:, 0], bounds[:, 1]


def choose(values: np.ndarray, season: int | None) -> tuple[Spec, object]:
    """The candidate with the lowest AICc on ``values``, with its fit."""
    best = None
    for spec in candidates(values, season):
        try:
            fitted = _fit(values, spec, season)
        except (ValueError, np.linalg.LinAlgError):
            continue
        score = fitted.aicc
        if math.isfinite(score) and (best is None or score < best[0]):
            best = (score, spec, fitted)
    if best is None:
        raise ForecastRefused("no forecasting model fits this series")
    return best[1], best[2]


def holdout_points(steps: int, season: int | None) -> int:
    """Held-out points of the backtest: two to four weeks of days (as long as the horizon, in whole
    weeks), four to eight points of coarser grains."""
    if season:
        return min(4 * season, max(2 * season, math.ceil(steps / season) * season))
    return min(8, max(4, steps))


def minimum_history(steps: int, season: int | None) -> int:
    return holdout_points(steps, season) + (MIN_SEASONS * season if season else MIN_POINTS)


def _ordered(mean: np.ndarray, low: np.ndarray, high: np.ndarray, nonnegative: bool):
    if nonnegative:
        mean, low, high = np.maximum(mean, 0), np.maximum(low, 0), np.maximum(high, 0)
    return mean, np.minimum(low, mean), np.maximum(high, mean)


def _naive_interval(history: np.ndarray, steps: int, season: int | None, level: float, nonnegative: bool):
    """The seasonal-naive forecast of ``steps`` points with an empirical ``level`` interval: quantiles of
    its own one-season-back errors over ``history``, widened with the square root of the seasons
    ahead."""
    period = season or 1
    mean = seasonal_naive(history, steps, season)
    errors = history[period:] - history[:-period]
    if len(errors) == 0:
        return _ordered(mean, mean.copy(), mean.copy(), nonnegative)
    tail = (1 - level) / 2
    below, above = np.quantile(errors, tail), np.quantile(errors, 1 - tail)
    widen = np.sqrt(np.arange(steps) // period + 1)
    return _ordered(mean, mean + below * widen, mean + above * widen, nonnegative)


def forecast_series(values: Sequence[float], steps: int, season: int | None = DAILY_SEASON,
                    level: float = LEVEL, ahead: int = 0) -> Forecast:
    """Forecast the ``steps`` points after ``ahead`` skipped ones (the days between the last
    complete day and the first day asked about), with a ``level`` interval, and backtest the rule
    on the held-out end of the history."""
    data = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(data)):
        raise ForecastRefused("the series has gaps")
    holdout = holdout_points(steps, season)
    if len(data) < minimum_history(steps, season):
        raise ForecastRefused(f"too little history: {len(data)} points, and at least "
                              f"{minimum_history(steps, season)} are needed")
    nonnegative = bool(np.all(data >= 0))
    train, held = data[:-holdout], data[-holdout:]
    if np.ptp(data) == 0:  # a constant: nothing to fit, and nothing uncertain about it
        flat = np.full(steps, data[-1])
        return Forecast("constant", flat, flat.copy(), flat.copy(),
                        Backtest(holdout, mape(held, held), mape(held, held), 1.0), level)
    spec, fitted = choose(train, season)
    mean, low, high = _ordered(*_predict(fitted, len(train), holdout, level, seed=1), nonnegative)
    inside = float(np.mean((held >= low) & (held <= high)))
    backtest = Backtest(holdout, mape(held, mean), mape(held, seasonal_naive(train, holdout, season)), inside)
    if backtest.naive_mape is not None and backtest.mape is not None and backtest.naive_mape < backtest.mape:
        # the baseline did better on the held-out weeks: forecast with it (the rule is "the better of
        # ETS and the seasonal naive on the backtest"), its interval from its own past errors
        mean, low, high = _naive_interval(train, holdout, season, level, nonnegative)
        inside = float(np.mean((held >= low) & (held <= high)))
        backtest = Backtest(holdout, backtest.naive_mape, backtest.naive_mape, inside)
        mean, low, high = _naive_interval(data, ahead + steps, season, level, nonnegative)
        return Forecast("seasonal naive", mean[ahead:], low[ahead:], high[ahead:], backtest, level)
    try:
        final = _fit(data, spec, season)
    except (ValueError, np.linalg.LinAlgError):
        spec, final = choose(data, season)
    mean, low, high = _predict(final, len(data), ahead + steps, level, seed=2)
    mean, low, high = _ordered(mean[ahead:], low[ahead:], high[ahead:], nonnegative)
    return Forecast(spec.label, mean, low, high, backtest, level)
