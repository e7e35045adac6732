"""The demo's documented spend -> installs response (#22, warehouse/demo/response.py): each media source's
daily paid installs scatter around its true Hill curve of daily spend, the curves are written to
asklytics_meta, and they saturate (the busiest day is well up the curve)."""
from __future__ import annotations

import numpy as np
import pytest

from warehouse.demo import catalog
from warehouse.demo.response import META_KEY, SOURCE_RESPONSE, hill, read_curves, spend_for

DAILY = """
WITH spend AS (SELECT s.date AS day, c.media_source, SUM(s.cost) AS cost
               FROM ad_spend s JOIN campaigns c USING (campaign_id) GROUP BY ALL),
     paid AS (SELECT i.install_time::DATE AS day, c.media_source, COUNT(*) AS n
              FROM installs i JOIN campaigns c USING (campaign_id) GROUP BY ALL)
SELECT media_source, day, cost, n FROM spend JOIN paid USING (day, media_source)
WHERE day <> DATE '2026-03-10'  -- the tracking outage: spend billed, installs lost
  AND NOT (media_source = 'TikTok' AND day BETWEEN DATE '2026-04-06' AND DATE '2026-04-26')  -- fraud spike
ORDER BY 1, 2"""


@pytest.fixture(scope="module")
def curves(demo_sql):
    (value,), = demo_sql.execute("SELECT value FROM asklytics_meta WHERE key = ?", [META_KEY]).fetchall()
    return read_curves(value)


@pytest.fixture(scope="module")
def daily(demo_sql):
    found: dict[str, tuple[list, list]] = {}
    for source, _, cost, n in demo_sql.execute(DAILY).fetchall():
        found.setdefault(source, ([], []))
        found[source][0].append(cost)
        found[source][1].append(n)
    return {s: (np.array(x), np.array(y, dtype=float)) for s, (x, y) in found.items()}


def test_every_source_has_its_true_curve(curves):
    assert set(curves) == set(catalog.SOURCE_NAMES) == set(SOURCE_RESPONSE)
    for source, params in curves.items():
        assert params["top"] > 0 and params["half"] > 0
        assert params["slope"] == SOURCE_RESPONSE[source][1]


def test_installs_follow_the_curve_of_spend_with_noise(curves, daily):
    for source, (spend, installs) in daily.items():
        expected = hill(spend, **curves[source])
        error = np.abs(installs - expected) / expected
        assert np.median(error) < 0.15, source  # sampling noise, about 10% a day at scale 1
        assert abs(installs.sum() / expected.sum() - 1) < 0.03, source  # no bias
        assert np.corrcoef(spend, installs)[0, 1] > 0.7, source


def test_the_curves_saturate_so_returns_diminish(curves, daily):
    for source, (spend, _) in daily.items():
        params = curves[source]
        peak = hill(spend.max(), **params) / params["top"]
        assert peak == pytest.approx(SOURCE_RESPONSE[source][0], abs=0.08), source
        # a dollar beyond the busiest day buys fewer installs than a dollar on a typical day
        typical, beyond = float(np.median(spend)), 1.5 * float(spend.max())
        assert _marginal(beyond, params) < 0.8 * _marginal(typical, params), source


def _marginal(x: float, params: dict) -> float:
    return float((hill(1.01 * x, **params) - hill(x, **params)) / (0.01 * x))


def test_the_inverse_gives_back_the_spend():
    spend = np.array([5.0, 50.0, 500.0])
    params = {"top": 300.0, "half": 120.0, "slope": 1.3}
    assert spend_for(hill(spend, **params), **params) == pytest.approx(spend)
