"""The decomposition's arithmetic on small hand-made segments (numbers worked out by hand)."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.insights.decompose import (
    REMAINDER,
    additive_segments,
    explain,
    js_term,
    ranked,
    ratio_segments,
)
from app.engine.insights.periods import Period, default_baseline, periods


def by_values(segments):
    return {s.values: s for s in segments}


def test_additive_contributions_add_up_and_a_remainder_holds_what_no_value_covers():
    # installs 1200 -> 930; BR 255 -> 25, US 545 -> 505; 400 -> 400 installs have no country value
    segments = by_values(additive_segments(("country",), {("BR",): 255, ("US",): 545},
                                           {("BR",): 25, ("US",): 505}, (1200, 930)))
    assert segments[("BR",)].contribution == -230
    assert segments[("BR",)].share == pytest.approx(230 / 270)
    assert segments[("US",)].share == pytest.approx(40 / 270)
    assert segments[(REMAINDER,)].before == 400 and segments[(REMAINDER,)].contribution == 0
    assert sum(s.contribution for s in segments.values()) == -270


def test_the_explanation_is_the_surprising_segment_not_the_big_one():
    segments = additive_segments(("country",), {("BR",): 255, ("US",): 545}, {("BR",): 25, ("US",): 505},
                                 (1200, 930))
    found = explain(("country",), segments)
    assert [s.values for s in found.drivers] == [("BR",)]
    assert found.explained == pytest.approx(230 / 270) and found.explains
    # BR's share of installs went from 255/1200 to 25/930: its Jensen-Shannon term
    assert found.surprise == pytest.approx(js_term(255 / 1200, 25 / 930))


def test_a_proportional_change_has_no_cause():
    # every segment fell by 20%: the biggest one "explains" 60% but is not surprising
    segments = additive_segments(("platform",), {("iOS",): 600, ("Android",): 400},
                                 {("iOS",): 480, ("Android",): 320}, (1000, 800))
    assert not explain(("platform",), segments).explains


def test_ratio_change_splits_into_mix_and_rate_exactly():
    # A: 10/100 both periods; B: 10/100 -> 60/200. R: 0.1 -> 70/300; weights (1/2, 1/2) -> (1/3, 2/3)
    segments = by_values(ratio_segments(("source",), {("A",): (10, 100), ("B",): (10, 100)},
                                        {("A",): (10, 100), ("B",): (60, 200)}, ((20, 200), (70, 300))))
    a, b = segments[("A",)], segments[("B",)]
    mid = (0.1 + 70 / 300) / 2
    assert a.rate == pytest.approx(0.0)
    assert a.mix == pytest.approx((1 / 3 - 1 / 2) * (0.1 - mid))  # 0.0111: A's weight fell, below average
    assert b.rate == pytest.approx((0.3 - 0.1) * (1 / 2 + 2 / 3) / 2)  # 0.1167: B's own ratio tripled
    assert b.mix == pytest.approx((2 / 3 - 1 / 2) * (0.2 - mid))
    assert a.contribution + b.contribution == pytest.approx(70 / 300 - 0.1)
    assert (b.before, b.after) == (0.1, 0.3)


def test_a_pair_that_picks_the_same_amounts_as_a_single_dimension_is_left_out():
    single = explain(("country",), additive_segments(("country",), {("BR",): 255, ("US",): 545},
                                                     {("BR",): 25, ("US",): 505}, (800, 530)))
    pair = explain(("country", "platform"), additive_segments(
        ("country", "platform"), {("BR", "iOS"): 255, ("US", "iOS"): 545},
        {("BR", "iOS"): 25, ("US", "iOS"): 505}, (800, 530)))
    assert [e.dimensions for e in ranked([pair, single])] == [("country",)]


def test_baselines_same_weekday_for_a_day_previous_period_otherwise_or_the_named_one():
    d = dt.date
    assert default_baseline(Period(d(2026, 6, 16), d(2026, 6, 16))) == Period(d(2026, 6, 9), d(2026, 6, 9))
    assert default_baseline(Period(d(2026, 6, 1), d(2026, 6, 30))) == Period(d(2026, 5, 2), d(2026, 5, 31))
    # shorter than a week: the same weekdays a week earlier (Fri-Sun against Fri-Sun)
    assert default_baseline(Period(d(2026, 5, 22), d(2026, 5, 24))) == Period(d(2026, 5, 15), d(2026, 5, 17))
    assert default_baseline(Period(d(2026, 6, 1), d(2026, 6, 7))) == Period(d(2026, 5, 25), d(2026, 5, 31))
    assert periods(d(2026, 6, 16), None, d(2026, 6, 2))[1] == Period(d(2026, 6, 2), d(2026, 6, 2))
    assert periods(d(2026, 6, 1), d(2026, 6, 30), d(2026, 5, 1), d(2026, 5, 31))[1] == Period(
        d(2026, 5, 1), d(2026, 5, 31))
    with pytest.raises(ValueError, match="after it ends"):
        Period(d(2026, 6, 2), d(2026, 6, 1))
