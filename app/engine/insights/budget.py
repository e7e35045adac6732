"""Budget reallocation (#22): fit a response curve per source, split the daily budget on the curves
within the limits asked, and give the outcome with an interval and an explore/exploit reading.

- installs: each source's Hill curve of daily paid installs on daily spend (``response_curves.py``);
- revenue: the installs curve times the source's attributed revenue per paid install over the same
  history (a constant per source, bootstrapped over days for its interval);
- ROAS: with the total fixed, the best ROAS is the best revenue, so it optimizes revenue.

A source with too little history for a curve (new, or spend that never varied) is held at today's
spend and flagged for a test (explore); the optimizer moves only the sources asked about.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.engine.insights.allocation import Curves, check_feasible, optimize, thompson_best
from app.engine.insights.budget_data import SourceHistory
from app.engine.insights.response_curves import CurveFitError, ResponseCurve, fit_curve

LEVEL = 0.8  # coverage of the intervals
UNCERTAIN = 0.5  # relative width of the marginal return's interval above which a source is "uncertain"
CHANGED = 0.01  # a proposed change below this share of today's spend is "keep"


@dataclass
class SourcePlan:
    label: str
    history: SourceHistory
    curve: ResponseCurve | None  # None: too little data (kept at today's spend, explored)
    why_no_curve: str | None
    value_draws: np.ndarray  # revenue per install, per bootstrap draw
    movable: bool
    current: float = 0.0
    proposed: float = 0.0
    installs: tuple[float, float, float] = (0.0, 0.0, 0.0)  # expected, low, high at the proposed spend
    revenue: tuple[float, float, float] = (0.0, 0.0, 0.0)
    p_best: float = 0.0
    marginal: tuple[float, float] = (0.0, 0.0)  # interval of the outcome per extra dollar
    advice: str = "keep"

    @property
    def value(self) -> float:
        return float(np.median(self.value_draws)) if len(self.value_draws) else 0.0


@dataclass
class Reallocation:
    plans: list[SourcePlan]
    objective: str
    total: float
    current_total: float
    outcome_now: tuple[float, float, float]  # expected, low, high of the objective's outcome at today's split
    outcome_new: tuple[float, float, float]
    gain: tuple[float, float, float]
    p_gain: float  # share of draws in which the proposal beats today's split


def _interval(draws: np.ndarray, expected: float) -> tuple[float, float, float]:
    tail = (1 - LEVEL) / 2 * 100
    return expected, float(np.percentile(draws, tail)), float(np.percentile(draws, 100 - tail))


def _value_draws(history: SourceHistory, draws: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = len(history.installs)
    counts = rng.multinomial(n, np.full(n, 1.0 / n), size=draws)
    installs, revenue = counts @ history.installs, counts @ history.revenue
    return np.where(installs > 0, revenue / np.maximum(installs, 1), 0.0)


def fit_sources(histories: list[SourceHistory], movable: set[str] | None, draws: int,
                seed: int = 0) -> list[SourcePlan]:
    plans = []
    for n, history in enumerate(histories):
        try:
            curve, why = fit_curve(history.label, history.spend, history.installs, draws, seed + n), None
        except CurveFitError as exc:
            curve, why = None, str(exc)
        asked = movable is None or history.label in movable
        plans.append(SourcePlan(history.label, history, curve, why, _value_draws(history, draws, seed + n),
                                movable=asked and curve is not None, current=history.current_spend))
    return plans


def reallocate(plans: list[SourcePlan], objective: str, total: float | None, max_change: float,
               seed: int = 0) -> Reallocation:
    current = np.array([p.current for p in plans])
    low = np.array([p.current * (1 - max_change) if p.movable else p.current for p in plans])
    high = np.array([p.current * (1 + max_change) if p.movable else p.current for p in plans])
    total = float(current.sum()) if total is None else float(total)
    check_feasible(total, low, high, f" with each source within {max_change:.0%} of today's spend")
    fitted = [p for p in plans if p.curve is not None]
    revenue = objective in ("revenue", "roas")
    params = np.array([p.curve.params if p.curve else (0.0, 1.0, 1.0) for p in plans])
    value = np.array([p.value if revenue else 1.0 for p in plans])
    # fixed sources (no curve) sit at their bounds; their outcome does not depend on the split
    proposed = optimize(Curves(params, value), current, total, low, high) if fitted else current.copy()
    draws = min(len(p.curve.draws) for p in fitted) if fitted else 1
    now, new = np.zeros(draws), np.zeros(draws)
    for p, x in zip(plans, proposed):
        p.proposed = float(x)
        _outcomes(p, draws)
        drawn_now, drawn_new = _drawn(p, p.current, draws), _drawn(p, p.proposed, draws)
        scale = p.value_draws[:draws] if revenue else 1.0
        now += drawn_now * scale
        new += drawn_new * scale
    _explore(plans, revenue, draws, seed)
    expected_now = sum(_expected(p, p.current) * (p.value if revenue else 1) for p in plans)
    expected_new = sum(_expected(p, p.proposed) * (p.value if revenue else 1) for p in plans)
    return Reallocation(plans, objective, total, float(current.sum()), _interval(now, expected_now),
                        _interval(new, expected_new), _interval(new - now, expected_new - expected_now),
                        float(np.mean(new - now > 0)))


def _expected(p: SourcePlan, x: float) -> float:
    if p.curve is not None:
        return p.curve.expected(x)
    return p.history.recent_installs * (x / p.current if p.current else 0.0)


def _drawn(p: SourcePlan, x: float, draws: int) -> np.ndarray:
    if p.curve is not None:
        return p.curve.drawn(x)[:draws]
    return np.full(draws, _expected(p, x))


def _outcomes(p: SourcePlan, draws: int) -> None:
    installs = _drawn(p, p.proposed, draws)
    p.installs = _interval(installs, _expected(p, p.proposed))
    p.revenue = _interval(installs * p.value_draws[:draws], _expected(p, p.proposed) * p.value)


def _explore(plans: list[SourcePlan], revenue: bool, draws: int, seed: int) -> None:
    """Thompson sampling for the next dollar, and each source's advice."""
    rng = np.random.default_rng(seed)
    marginal = []
    for p in plans:
        scale = p.value_draws[:draws] if revenue else 1.0
        if p.curve is not None:
            marginal.append(p.curve.marginal(p.proposed)[:draws] * scale)
        else:  # no curve: the average return, with a wide prior around it
            average = p.history.recent_installs / p.current if p.current else 0.0
            marginal.append(average * rng.lognormal(0.0, 0.75, draws) * scale)
    marginal = np.array(marginal)
    best = thompson_best(marginal, seed=seed)
    for p, row, share in zip(plans, marginal, best):
        p.p_best = float(share)
        low, high = np.percentile(row, [(1 - LEVEL) / 2 * 100, (1 + LEVEL) / 2 * 100])
        p.marginal = (float(low), float(high))
        middle = float(np.median(row))
        uncertain = p.curve is None or (middle > 0 and (high - low) / middle > UNCERTAIN)
        change = p.proposed - p.current
        if uncertain and share >= 1 / (2 * len(plans)):
            p.advice = "explore: test more spend" if p.curve is not None else "explore: new, too little data"
        elif abs(change) < CHANGED * max(p.current, 1e-9):
            p.advice = "keep"
        else:
            p.advice = "increase" if change > 0 else "decrease"
