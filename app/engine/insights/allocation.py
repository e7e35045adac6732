"""A daily budget split across sources on their response curves: the constrained optimizer, the
outcome with an interval, and Thompson sampling for where the next dollar should be tried.

The optimizer maximizes ``sum_s value_s * curve_s(x_s)`` subject to ``sum_s x_s = total`` and
``low_s <= x_s <= high_s`` (each source within +/-N% of today; a source not asked about is held at
today's spend). Hill curves with slope above 1 are not concave at low spend, so it takes the best of
a greedy marginal allocation (exact for concave curves) and SLSQP started from it and from today's
split moved onto the constraints.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from app.engine.insights.response_curves import hill, hill_slope

GREEDY_STEPS = 2000
TOLERANCE = 1e-6  # of the total: how far the split's sum may be off it


class AllocationInfeasible(ValueError):
    """The total cannot be split within the bounds."""


@dataclass(frozen=True)
class Curves:
    """The curves the optimizer works on: rows of (top, half, slope) and a value per outcome unit
    (1 for installs, revenue per install for revenue)."""

    params: np.ndarray  # (S, 3)
    value: np.ndarray  # (S,)

    def outcome(self, x: np.ndarray) -> float:
        p = self.params
        return float(np.sum(self.value * hill(x, p[:, 0], p[:, 1], p[:, 2])))

    def gradient(self, x: np.ndarray) -> np.ndarray:
        p = self.params
        return self.value * hill_slope(x, p[:, 0], p[:, 1], p[:, 2])


def check_feasible(total: float, low: np.ndarray, high: np.ndarray, what: str = "") -> None:
    if low.sum() > total * (1 + TOLERANCE) or high.sum() < total * (1 - TOLERANCE):
        raise AllocationInfeasible(
            f"a daily total of ${total:,.0f} cannot be split{what}: the limits allow between "
            f"${low.sum():,.0f} and ${high.sum():,.0f} a day")


def onto_constraints(x: np.ndarray, total: float, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """``x`` shifted by one amount (found by bisection) and clipped so it sums to ``total``."""
    lo, hi = float(-high.max() - x.max()), float(high.max() + total)
    for _ in range(100):
        mid = (lo + hi) / 2
        if np.clip(x + mid, low, high).sum() < total:
            lo = mid
        else:
            hi = mid
    return np.clip(x + (lo + hi) / 2, low, high)


def greedy(curves: Curves, total: float, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Spend the money above the lower bounds step by step where the next step buys the most."""
    x = low.astype(float).copy()
    free = total - x.sum()
    if free <= 0:
        return x
    step = free / GREEDY_STEPS
    for _ in range(GREEDY_STEPS):
        room = high - x
        gain = np.where(room > 1e-12, _step_gain(curves, x, step, room), -np.inf)
        pick = int(np.argmax(gain))
        if not np.isfinite(gain[pick]):
            break
        x[pick] += min(step, room[pick])
    return onto_constraints(x, total, low, high)


def _step_gain(curves: Curves, x: np.ndarray, step: float, room: np.ndarray) -> np.ndarray:
    """What the next step buys per source (a step cut short by the bound is scaled up to compare)."""
    p = curves.params
    taken = np.minimum(step, room)
    after = hill(x + taken, p[:, 0], p[:, 1], p[:, 2])
    return curves.value * (after - hill(x, p[:, 0], p[:, 1], p[:, 2])) / np.maximum(taken, 1e-12) * step


def optimize(curves: Curves, current: np.ndarray, total: float, low: np.ndarray,
             high: np.ndarray) -> np.ndarray:
    """The split of ``total`` within [low, high] with the best outcome found (see the module)."""
    check_feasible(total, low, high)
    candidates = [greedy(curves, total, low, high), onto_constraints(current, total, low, high)]
    scale = max(total, 1.0)
    for start in list(candidates):
        found = minimize(lambda z: -curves.outcome(z * scale), start / scale,
                         jac=lambda z: -curves.gradient(z * scale) * scale, method="SLSQP",
                         bounds=list(zip(low / scale, high / scale)),
                         constraints=[{"type": "eq", "fun": lambda z: z.sum() - total / scale,
                                       "jac": lambda z: np.ones_like(z)}],
                         options={"maxiter": 300, "ftol": 1e-12})
        if found.success:
            candidates.append(onto_constraints(found.x * scale, total, low, high))
    return max(candidates, key=curves.outcome)


def thompson_best(marginal_draws: np.ndarray, rounds: int = 4000, seed: int = 0) -> np.ndarray:
    """Thompson sampling over the curves' uncertainty: each round draws one plausible curve per source
    (a bootstrap draw) and gives the next dollar to the source whose drawn marginal return is highest;
    returns each source's share of the rounds (the probability it is the best place for the next
    dollar). ``marginal_draws``: (S, B) marginal return per source per draw."""
    rng = np.random.default_rng(seed)
    sources, draws = marginal_draws.shape
    picked = marginal_draws[np.arange(sources)[:, None], rng.integers(0, draws, (sources, rounds))]
    wins = np.bincount(np.argmax(picked, axis=0), minlength=sources)
    return wins / rounds
