"""The LTV model's predictive distribution: a point mass at 0 USD plus a spend distribution.

Most users never pay, so 60-day revenue is 0 for ~95% of them and continuous
for the rest. One quantile regression over everyone cannot describe that: its
p10 and p90 are both 0 for almost every user, and such an interval holds the
truth whenever the user does not pay. The LTV model is therefore a two-part
(hurdle) model:

- ``payer``: a classifier for P(revenue > 0), which is pi;
- ``spend``: a quantile regression of log(revenue) among payers, at ``LEVELS``.

The user's distribution is "0 with probability 1 - pi, else the spend
distribution"; its quantiles (p10/p50/p90), mean and CDF follow from the two
parts. Everything here is plain numpy on the parts' outputs.
"""
from __future__ import annotations

import numpy as np
from scipy.special import ndtri

LEVELS: tuple[float, ...] = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98)
"""Quantile levels of the spend part (conditional on paying)."""

_EPS = 1e-9


def spend_quantiles(log_raw: np.ndarray) -> np.ndarray:
    """The spend part's raw output (log USD, rows x LEVELS) as USD, sorted so levels never cross."""
    return np.exp(np.sort(np.asarray(log_raw, dtype=np.float64).reshape(-1, len(LEVELS)), axis=1))


def _log_spend_at(spend: np.ndarray, grid: np.ndarray, points: np.ndarray) -> np.ndarray:
    """log spend at ``points`` on the scale of ``grid`` (one grid value per spend column): linear between
    grid points and along the end segments beyond them. ``points`` is rows x k, or k shared by all rows."""
    upper = np.clip(np.searchsorted(grid, points), 1, len(grid) - 1)
    lower = upper - 1
    weight = (points - grid[lower]) / (grid[upper] - grid[lower])
    rows = np.arange(len(spend))[:, None]
    log_spend = np.log(spend)
    return log_spend[rows, lower] + weight * (log_spend[rows, upper] - log_spend[rows, lower])


def _at_levels(spend: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Each row's spend quantile at its own level, interpolated in log space (flat beyond the grid)."""
    grid = np.asarray(LEVELS)
    return np.exp(_log_spend_at(spend, grid, np.clip(level, grid[0], grid[-1])[:, None])[:, 0])


def quantiles(pi: np.ndarray, spend: np.ndarray, alphas: tuple[float, ...]) -> np.ndarray:
    """Quantiles of the whole distribution (rows x alphas): 0 while alpha <= P(no revenue)."""
    pi = np.asarray(pi, dtype=np.float64)
    out = np.zeros((len(pi), len(alphas)))
    for j, alpha in enumerate(alphas):
        level = (alpha - (1.0 - pi)) / np.maximum(pi, _EPS)
        paying = level > 0
        if paying.any():
            out[paying, j] = _at_levels(spend[paying], level[paying])
    return out


def expected(pi: np.ndarray, spend: np.ndarray) -> np.ndarray:
    """Mean revenue: pi times the mean of the spend distribution.

    The mean integrates the spend quantile function over normal scores
    z = Phi^-1(level), log-linear in z between the predicted levels and
    continued along the end segments beyond p2 and p98 (a lognormal-shaped
    tail), out to z = +-4.5. Holding the tails flat instead would ignore the
    whales above p98. The held-out ratio of the summed mean to the realised
    revenue is recorded with the model.
    """
    z = np.linspace(-4.5, 4.5, 91)
    log_q = _log_spend_at(spend, ndtri(np.asarray(LEVELS)), z)  # beyond the grid: extrapolated
    density = np.exp(-z ** 2 / 2) / np.sqrt(2 * np.pi)
    step = np.full(len(z), z[1] - z[0])
    step[[0, -1]] /= 2
    mass = density * step
    return np.asarray(pi, dtype=np.float64) * (np.exp(log_q) @ mass) / mass.sum()


def spend_cdf(spend: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each row's spend CDF at its own y > 0 (log-linear between levels, halfway to 0 or 1 beyond)."""
    grid = np.asarray(LEVELS)
    log_spend, log_y = np.log(spend), np.log(np.maximum(y, _EPS))
    below = (log_spend < log_y[:, None]).sum(axis=1)  # grid quantiles strictly below y
    out = np.empty(len(y))
    low, high = log_y < log_spend[:, 0], below == len(grid)
    out[low], out[high] = grid[0] / 2, (1.0 + grid[-1]) / 2
    rows = np.flatnonzero(~(low | high))
    upper = np.maximum(below[rows], 1)
    lower = upper - 1
    span = log_spend[rows, upper] - log_spend[rows, lower]
    safe = np.where(span > 0, span, 1.0)
    weight = np.where(span > 0, (log_y[rows] - log_spend[rows, lower]) / safe, 1.0)
    out[rows] = grid[lower] + weight * (grid[upper] - grid[lower])
    return out


def _payer_pit(y: np.ndarray, pi: np.ndarray, spend: np.ndarray) -> np.ndarray:
    """The PIT of payers (y > 0, one row each): 1 - pi + pi * F(y)."""
    return 1.0 - pi + pi * spend_cdf(spend, y)


def randomized_pit(y: np.ndarray, pi: np.ndarray, spend: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Probability integral transform, with the point mass at 0 spread uniformly (Czado et al. 2009).

    For a calibrated model these values are uniform on [0, 1]: a user with
    revenue 0 lands uniformly in [0, 1 - pi], a payer at 1 - pi + pi * F(y).
    """
    y, pi = np.asarray(y, dtype=np.float64), np.asarray(pi, dtype=np.float64)
    pit = (1.0 - pi) * rng.random(len(y))
    paid = y > 0
    if paid.any():
        pit[paid] = _payer_pit(y[paid], pi[paid], spend[paid])
    return pit


def interval_coverage(y: np.ndarray, pi: np.ndarray, spend: np.ndarray, low: float = 0.1,
                      high: float = 0.9) -> float:
    """Expected share of users inside the central [low, high] interval, ties at 0 split by probability.

    A user with revenue 0 sits on the point mass, which spans the levels
    [0, 1 - pi]; the part of it inside [low, high] counts as covered (the
    expectation of the randomized PIT, so no random draw is needed). A payer is
    covered when 1 - pi + pi * F(y) falls in [low, high]. A calibrated model
    covers high - low of the users whatever the share of non-payers.
    """
    y, pi = np.asarray(y, dtype=np.float64), np.asarray(pi, dtype=np.float64)
    nothing = np.maximum(1.0 - pi, _EPS)
    covered = np.clip(np.minimum(nothing, high) - low, 0.0, None) / nothing
    paid = y > 0
    if paid.any():
        pit = _payer_pit(y[paid], pi[paid], spend[paid])
        covered[paid] = ((pit >= low) & (pit <= high)).astype(np.float64)
    return float(covered.mean())
