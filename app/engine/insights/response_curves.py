"""Response curves: daily outcome (installs) as a saturating function of daily spend, with uncertainty.

The curve is a Hill function, the saturation curve of media-mix models (Google Meridian, PyMC-Marketing)::

    installs(x) = top * x**slope / (x**slope + half**slope)

fitted per media source (or campaign) on its daily (spend, installs) pairs. For a given (half, slope)
the curve is linear in ``top``, so the fit profiles it out in closed form over a fine grid of
(half, slope), then polishes the best grid point with ``scipy.optimize.curve_fit``. Days are weighted as
counts (sigma ~ sqrt(installs)) and robustly: a day far off the curve (a tracking outage, a burst of
fraudulent installs) is down-weighted (Huber weights, two passes). Uncertainty comes from a bootstrap
over days: B resamples with replacement, each refitted on the same grid (one matrix product for all
of them), so every answer (installs at a spend, the marginal installs there) is given per draw and
intervals are percentiles of the draws. No adstock: spend acts on the same day's installs, which is
what daily install attribution measures.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import OptimizeWarning, curve_fit

SLOPES = (0.5, 3.0)  # shapes allowed: concave from the first dollar to a clear S
MIN_DAYS = 21  # days with spend a curve needs; fewer: the source is "new" (explored, not optimized)
BOOTSTRAP_DRAWS = 200
ROBUST_SCALE = 2.5  # residuals (in count standard errors) beyond which a day counts less and less
ROBUST_PASSES = 2
HALF_STEPS, SLOPE_STEP = 90, 0.1


class CurveFitError(ValueError):
    """The data cannot carry a curve (too few days, no variation in spend)."""


def hill(x, top, half, slope):
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    xs = x ** slope
    return top * xs / (xs + half ** slope)


def hill_slope(x, top, half, slope):
    """d installs / d spend at ``x``: the marginal installs of the next dollar."""
    x = np.maximum(np.asarray(x, dtype=float), 1e-9)
    xs, hs = x ** slope, half ** slope
    return top * slope * hs * x ** (slope - 1) / (xs + hs) ** 2


@dataclass(frozen=True)
class ResponseCurve:
    """One source's fitted curve and its bootstrap draws (rows of top, half, slope)."""

    label: str
    params: np.ndarray  # (top, half, slope) of the fit on all days
    draws: np.ndarray  # (B, 3)
    spend_range: tuple[float, float]  # lowest and highest daily spend seen
    days: int

    def expected(self, x) -> float:
        return float(hill(x, *self.params))

    def drawn(self, x) -> np.ndarray:
        """Installs at spend ``x`` under each bootstrap draw."""
        d = self.draws
        return hill(x, d[:, 0], d[:, 1], d[:, 2])

    def marginal(self, x) -> np.ndarray:
        d = self.draws
        return hill_slope(x, d[:, 0], d[:, 1], d[:, 2])


@dataclass(frozen=True)
class _Grid:
    """Every (half, slope) of the grid with the unit curve (top = 1) at each day's spend, computed once
    per fit: the profile of every pass and every bootstrap draw is then two matrix products."""

    half: np.ndarray  # (combos,)
    slope: np.ndarray
    curve: np.ndarray  # (combos, days)
    squared: np.ndarray


def _grid(x: np.ndarray) -> _Grid:
    halves = np.geomspace(float(x.min()) * 0.05, float(x.max()) * 20, HALF_STEPS)
    slopes = np.round(np.arange(SLOPES[0], SLOPES[1] + 1e-9, SLOPE_STEP), 3)
    xs = np.exp(slopes[:, None] * np.log(x)[None, :])  # (slopes, days)
    hs = np.exp(slopes[:, None] * np.log(halves)[None, :])  # (slopes, halves)
    curve = (xs[:, None, :] / (xs[:, None, :] + hs[:, :, None])).reshape(-1, len(x))
    half, slope = np.meshgrid(halves, slopes)
    return _Grid(half.ravel(), slope.ravel(), curve, curve * curve)


def _best(y: np.ndarray, weights: np.ndarray, grid: _Grid) -> np.ndarray:
    """(B, 3) best (top, half, slope) per row of ``weights``: for each (half, slope) the best top in
    closed form and its weighted squared error, the smallest error kept."""
    counts = np.maximum(y, 1.0)
    wy = weights * (y / counts)[None, :]  # weights / sigma^2, times y
    sgy = wy @ grid.curve.T
    sgg = (weights / counts[None, :]) @ grid.squared.T
    top = sgy / np.maximum(sgg, 1e-12)
    pick = np.argmin(-sgy * top, axis=1)  # the error is sum(w y^2) - sgy * top; the first term is fixed
    rows = np.arange(len(pick))
    return np.column_stack([top[rows, pick], grid.half[pick], grid.slope[pick]])


def _robust_weights(x, y, params) -> np.ndarray:
    r = np.abs(y - hill(x, *params)) / np.sqrt(np.maximum(y, 1.0))
    return np.minimum(1.0, ROBUST_SCALE / np.maximum(r, 1e-9))


def _polish(x, y, weights, start) -> np.ndarray:
    sigma = np.sqrt(np.maximum(y, 1.0) / np.maximum(weights, 1e-6))
    low = [1e-9, float(x.min()) * 0.01, SLOPES[0]]
    high = [np.inf, float(x.max()) * 100, SLOPES[1]]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OptimizeWarning)
            params, _ = curve_fit(hill, x, y, p0=np.clip(start, low, high), sigma=sigma, bounds=(low, high),
                                  method="trf", max_nfev=200)
    except (RuntimeError, ValueError):
        return start
    return params


def fit_curve(label: str, spend, installs, draws: int = BOOTSTRAP_DRAWS, seed: int = 0) -> ResponseCurve:
    """The Hill curve of daily ``installs`` on daily ``spend`` (days without spend are left out)."""
    x, y = np.asarray(spend, dtype=float), np.asarray(installs, dtype=float)
    keep = np.isfinite(x) & np.isfinite(y) & (x > 0)
    x, y = x[keep], y[keep]
    if len(x) < MIN_DAYS:
        raise CurveFitError(f"{label}: {len(x)} days with spend; a response curve needs at least {MIN_DAYS}")
    if np.ptp(x) <= 0.05 * float(np.median(x)):
        raise CurveFitError(f"{label}: daily spend barely varied, so its effect cannot be measured")
    grid = _grid(x)
    weights = np.ones((1, len(x)))
    for _ in range(ROBUST_PASSES):
        params = _best(y, weights, grid)[0]
        weights = _robust_weights(x, y, params)[None, :]
    params = _polish(x, y, weights[0], params)
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(x), np.full(len(x), 1.0 / len(x)), size=draws)
    sampled = _best(y, counts * weights, grid) if draws else params[None, :]
    return ResponseCurve(label, params, sampled, (float(x.min()), float(x.max())), len(x))
