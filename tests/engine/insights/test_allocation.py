"""The budget optimizer (#22): the total is kept, every source stays in its bounds, the split matches
the analytic optimum where there is one, impossible limits are a clear error; Thompson sampling picks
the clearly better source and splits evenly between equals."""
from __future__ import annotations

import numpy as np
import pytest

from app.engine.insights.allocation import AllocationInfeasible, Curves, greedy, optimize, thompson_best
from app.engine.insights.response_curves import hill

# two concave sources (slope 1): the optimum equalizes top*half/(x+half)^2
PARAMS = np.array([[300.0, 200.0, 1.0], [500.0, 900.0, 1.0], [120.0, 60.0, 1.4]])
CURRENT = np.array([400.0, 300.0, 100.0])


def _curves(params=PARAMS):
    return Curves(params, np.ones(len(params)))


def test_total_is_kept_and_bounds_hold():
    low, high = CURRENT * 0.8, CURRENT * 1.2
    x = optimize(_curves(), CURRENT, CURRENT.sum(), low, high)
    assert x.sum() == pytest.approx(CURRENT.sum(), rel=1e-6)
    assert np.all(x >= low - 1e-6) and np.all(x <= high + 1e-6)
    assert _curves().outcome(x) >= _curves().outcome(CURRENT)


def test_a_new_total_is_spent_in_full():
    low, high = CURRENT * 0.5, CURRENT * 1.5
    x = optimize(_curves(), CURRENT, 1000.0, low, high)
    assert x.sum() == pytest.approx(1000.0, rel=1e-6)


def test_the_split_is_the_analytic_optimum_for_two_concave_sources():
    params = PARAMS[:2]
    total = 1500.0
    wide = np.array([0.0, 0.0]), np.array([total, total])
    x = optimize(_curves(params), np.array([750.0, 750.0]), total, *wide)
    # equal marginal returns: sqrt(top*half) / (x + half) equal for both
    a, b = np.sqrt(params[:, 0] * params[:, 1])
    h1, h2 = params[:, 1]
    x1 = (a * (total + h2) - b * h1) / (a + b)
    assert x[0] == pytest.approx(x1, rel=1e-3)
    grid = np.linspace(0, total, 3001)
    brute = max(grid, key=lambda v: hill(v, *params[0]) + hill(total - v, *params[1]))
    assert x[0] == pytest.approx(brute, abs=1.0)


def test_greedy_and_the_optimizer_agree():
    low, high = CURRENT * 0.7, CURRENT * 1.3
    curves = _curves()
    assert curves.outcome(greedy(curves, CURRENT.sum(), low, high)) == pytest.approx(
        curves.outcome(optimize(curves, CURRENT, CURRENT.sum(), low, high)), rel=1e-3)


def test_limits_that_cannot_hold_the_total_are_a_clear_error():
    with pytest.raises(AllocationInfeasible, match=r"\$50,000.*between \$640 and \$960"):
        optimize(_curves(), CURRENT, 50_000.0, CURRENT * 0.8, CURRENT * 1.2)
    with pytest.raises(AllocationInfeasible):
        optimize(_curves(), CURRENT, 100.0, CURRENT * 0.8, CURRENT * 1.2)


def test_a_fixed_source_stays_where_it_is():
    low, high = CURRENT * 0.8, CURRENT * 1.2
    low[1] = high[1] = CURRENT[1]
    x = optimize(_curves(), CURRENT, CURRENT.sum(), low, high)
    assert x[1] == pytest.approx(CURRENT[1])


def test_thompson_sampling_prefers_the_better_source_and_splits_equals():
    rng = np.random.default_rng(0)
    clear = np.vstack([rng.normal(2.0, 0.1, 200), rng.normal(1.0, 0.1, 200)])
    assert thompson_best(clear)[0] > 0.99
    equal = np.vstack([rng.normal(1.0, 0.3, 200), rng.normal(1.0, 0.3, 200)])
    assert 0.4 < thompson_best(equal)[0] < 0.6
    assert thompson_best(equal).sum() == pytest.approx(1.0)


def test_a_source_too_new_for_a_curve_keeps_its_spend_and_is_flagged_to_explore():
    from app.engine.insights.budget import fit_sources, reallocate
    from app.engine.insights.budget_data import SourceHistory

    rng = np.random.default_rng(3)
    histories = []
    for label, (top, half) in (("Old A", (300.0, 200.0)), ("Old B", (500.0, 900.0))):
        spend = rng.uniform(100.0, 900.0, 120)
        installs = hill(spend, top, half, 1.0) * rng.normal(1.0, 0.05, 120)
        histories.append(SourceHistory(label, spend, installs, installs * 2.0, float(spend[-28:].mean()),
                                       float(installs[-28:].mean())))
    new_spend = np.array([50.0, 60.0, 55.0])  # three days: no curve can be fitted
    histories.append(SourceHistory("New C", new_spend, np.array([20.0, 25.0, 22.0]), np.zeros(3), 55.0, 22.0))
    plans = fit_sources(histories, None, draws=40)
    result = reallocate(plans, "installs", None, 0.3)
    new = next(p for p in result.plans if p.label == "New C")
    assert new.curve is None and new.proposed == pytest.approx(55.0)  # kept where it is
    assert new.advice == "explore: new, too little data" and 0.0 <= new.p_best <= 1.0
    assert sum(p.proposed for p in result.plans) == pytest.approx(sum(h.current_spend for h in histories))
