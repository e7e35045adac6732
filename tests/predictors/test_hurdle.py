"""The two-part LTV distribution's math, checked against a known answer: data drawn from the model itself.

Users pay with probability pi; payers spend lognormal(mu, sigma). The exact
spend quantiles at ``hurdle.LEVELS`` stand in for the spend part, so every
quantity has a closed form or a sampling answer to compare with.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import lognorm

from predictors import evaluate, hurdle
from predictors.predict import LtvParts

LEVELS = np.asarray(hurdle.LEVELS)


def _true_spend(mu: np.ndarray, sigma: float) -> np.ndarray:
    return lognorm.ppf(LEVELS[None, :], s=sigma, scale=np.exp(mu)[:, None])


def _draw(rng, n: int, pi: np.ndarray, mu: np.ndarray, sigma: float) -> np.ndarray:
    paid = rng.random(n) < pi
    return np.where(paid, np.exp(mu + sigma * rng.standard_normal(n)), 0.0)


@pytest.fixture(scope="module")
def population():
    rng = np.random.default_rng(11)
    n = 60_000
    pi = np.where(rng.random(n) < 0.9, rng.uniform(0.001, 0.08, n), rng.uniform(0.6, 0.999, n))
    mu = rng.normal(1.5, 0.6, n)
    return rng, pi, mu, 1.1, _draw(rng, n, pi, mu, 1.1)


def test_quantiles_of_the_mixture_match_the_closed_form():
    pi, mu, sigma = np.array([0.05, 0.3, 0.95]), np.array([1.0, 1.0, 2.0]), 0.8
    got = hurdle.quantiles(pi, _true_spend(mu, sigma), (0.1, 0.5, 0.9))
    for row in range(3):
        for col, alpha in enumerate((0.1, 0.5, 0.9)):
            level = (alpha - (1 - pi[row])) / pi[row]
            want = 0.0 if level <= 0 else lognorm.ppf(level, s=sigma, scale=np.exp(mu[row]))
            assert got[row, col] == pytest.approx(want, rel=0.03), (row, alpha)
    assert (np.diff(got, axis=1) >= 0).all()


def test_expected_value_matches_the_lognormal_mean():
    pi, mu, sigma = np.array([0.04, 0.5, 1.0]), np.array([0.5, 1.5, 2.5]), 1.1
    want = pi * np.exp(mu + sigma ** 2 / 2)
    assert hurdle.expected(pi, _true_spend(mu, sigma)) == pytest.approx(want, rel=0.03)


def test_spend_cdf_inverts_the_spend_quantiles():
    spend = _true_spend(np.array([1.0]), 0.9)
    for i, level in enumerate(LEVELS):
        assert hurdle.spend_cdf(spend, np.array([spend[0, i]]))[0] == pytest.approx(level, abs=1e-9)
    assert hurdle.spend_cdf(spend, np.array([spend[0, 0] / 10]))[0] == LEVELS[0] / 2
    assert hurdle.spend_cdf(spend, np.array([spend[0, -1] * 10]))[0] == (1 + LEVELS[-1]) / 2


def test_a_calibrated_model_covers_the_claimed_share_although_most_users_pay_nothing(population):
    rng, pi, mu, sigma, y = population
    spend = _true_spend(mu, sigma)
    assert (y == 0).mean() > 0.8
    plain = hurdle.quantiles(pi, spend, (0.1, 0.9))
    assert ((y >= plain[:, 0]) & (y <= plain[:, 1])).mean() > 0.9  # the plain count is inflated by the $0s
    for low, high in ((0.1, 0.9), (0.25, 0.75), (0.05, 0.95)):
        assert hurdle.interval_coverage(y, pi, spend, low, high) == pytest.approx(high - low, abs=0.01)
    pit = hurdle.randomized_pit(y, pi, spend, rng)
    deciles = np.histogram(pit, bins=10, range=(0, 1))[0] / len(y)
    assert np.abs(deciles - 0.1).max() < 0.01


def test_miscalibration_moves_the_recorded_metrics_away_from_the_claim(population):
    """Overconfident spend shows in the payers' spend coverage; an overstated chance of paying in the
    PIT histogram and the mean. (For users unlikely to pay, the 80% interval is [$0, $0] whatever
    they would spend, so the ties-split coverage alone barely moves: that is why all are recorded.)"""
    _, pi, mu, sigma, y = population
    calibrated = evaluate.ltv_metrics(y, LtvParts(pi, _true_spend(mu, sigma)))
    too_narrow = evaluate.ltv_metrics(y, LtvParts(pi, _true_spend(mu, sigma / 3)))
    too_hopeful = evaluate.ltv_metrics(y, LtvParts(np.clip(pi * 3, 0, 0.999), _true_spend(mu, sigma)))
    assert calibrated["spend_coverage_p10_p90_payers"] == pytest.approx(0.8, abs=0.015)
    assert calibrated["coverage_p10_p90_ties_split"] == pytest.approx(0.8, abs=0.01)
    assert calibrated["expected_revenue_ratio"] == pytest.approx(1.0, abs=0.05)
    assert max(abs(d - 0.1) for d in calibrated["pit_deciles"]) < 0.01
    assert too_narrow["spend_coverage_p10_p90_payers"] < 0.4
    assert too_hopeful["expected_revenue_ratio"] > 1.5
    assert max(abs(d - 0.1) for d in too_hopeful["pit_deciles"]) > 0.04  # the PIT histogram is not flat
