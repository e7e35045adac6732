"""Response curves (#22): a Hill curve fitted on synthetic daily data recovers the parameters it was
drawn from, gives intervals that cover the truth, shrugs off outage days, and refuses data that cannot
carry a curve."""
from __future__ import annotations

import numpy as np
import pytest

from app.engine.insights.response_curves import CurveFitError, fit_curve, hill, hill_slope

TRUE = {"top": 400.0, "half": 250.0, "slope": 1.3}


def _days(n=180, seed=1, low=40.0, high=900.0):
    rng = np.random.default_rng(seed)
    spend = rng.uniform(low, high, n)
    return spend, rng.poisson(hill(spend, **TRUE)).astype(float)


def test_known_parameters_are_recovered_from_noisy_days():
    spend, installs = _days()
    curve = fit_curve("synthetic", spend, installs)
    top, half, slope = curve.params
    assert top == pytest.approx(TRUE["top"], rel=0.1)
    assert half == pytest.approx(TRUE["half"], rel=0.15)
    assert slope == pytest.approx(TRUE["slope"], abs=0.2)
    for x in (100, 300, 700):
        assert curve.expected(x) == pytest.approx(float(hill(x, **TRUE)), rel=0.03)


def test_the_bootstrap_interval_covers_the_true_curve():
    spend, installs = _days(seed=2)
    curve = fit_curve("synthetic", spend, installs, draws=200)
    covered = 0
    for x in np.linspace(100, 800, 8):
        low, high = np.percentile(curve.drawn(x), [2.5, 97.5])
        covered += low <= float(hill(x, **TRUE)) <= high
        assert high > low  # an interval, not a point
    assert covered >= 6
    marginal = curve.marginal(300)
    assert np.percentile(marginal, 5) < float(hill_slope(300, **TRUE)) < np.percentile(marginal, 95)


def test_days_of_broken_tracking_do_not_bend_the_curve():
    spend, installs = _days(seed=3)
    broken = installs.copy()
    broken[:6] *= 0.25  # an outage: spend billed, installs not attributed
    robust = fit_curve("synthetic", spend, broken)
    assert robust.expected(400) == pytest.approx(float(hill(400, **TRUE)), rel=0.03)


def test_the_marginal_return_falls_as_spend_grows():
    spend, installs = _days(seed=4)
    curve = fit_curve("synthetic", spend, installs, draws=0)
    assert len(curve.draws) == 1
    slopes = [float(hill_slope(x, *curve.params)) for x in (400, 600, 900)]
    assert slopes[0] > slopes[1] > slopes[2] > 0


def test_data_that_cannot_carry_a_curve_is_refused_clearly():
    with pytest.raises(CurveFitError, match="at least 21"):
        fit_curve("new source", [10.0] * 5, [3.0] * 5)
    with pytest.raises(CurveFitError, match="barely varied"):
        fit_curve("flat source", [100.0] * 60, np.arange(60.0))
