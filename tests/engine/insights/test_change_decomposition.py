"""The decomposition's arithmetic on small hand-made segments (numbers worked out by hand)."""
from __future__ import annotations

import datetime as dt
import math

import pytest

from app.engine.insights.change import spread_significance
from app.engine.insights.decompose import (
    REMAINDER,
    additive_segments,
    explain,
    focus,
    js_term,
    ranked,
    ratio_segments,
    significance,
    standout_explanation,
    standouts,
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


def _fraud_spike_splits():
    # fraud installs 23 -> 44 (tuning incident of seed 1): Unity 0 -> 12 while the rest went 23 -> 32;
    # ad_format = playable 5 -> 21 covers more of the change, but the rest of it moved too (18 -> 23)
    totals = (23, 44)
    by_source = additive_segments(("media_source",), {("Unity",): 0, ("ironSource",): 5, ("Other",): 18},
                                  {("Unity",): 12, ("ironSource",): 17, ("Other",): 15}, totals)
    by_format = additive_segments(("ad_format",), {("playable",): 5, ("video",): 18},
                                  {("playable",): 21, ("video",): 23}, totals)
    return [explain(("media_source",), by_source), explain(("ad_format",), by_format)]


def test_focus_is_how_much_further_a_segment_moved_than_the_rest_in_log_ratios():
    eps = 0.005 * (23 + 44) / 2  # the smoothing: half a percent of the level
    unity = math.log((12 + eps) / eps) - math.log((32 + eps) / (23 + eps))
    playable = math.log((21 + eps) / (5 + eps)) - math.log((23 + eps) / (18 + eps))
    assert focus(0, 12, (23, 44)) == pytest.approx(unity)  # 3.96
    assert focus(5, 21, (23, 44)) == pytest.approx(playable)  # 1.17
    assert abs(focus(400, 320, (1000, 800))) < 0.01  # moved like the rest: none (the smoothing aside)


def test_the_segment_that_stands_out_leads_though_a_coarser_one_covers_more():
    found = _fraud_spike_splits()
    assert [s.values for s in found[1].drivers] == [("playable",)]  # Adtributor alone: playable
    leading = standouts(found)
    assert leading[0].values == ("Unity",) and ("playable",) in [s.values for s in leading]  # > half each
    best = ranked(found + [standout_explanation(leading[0], found)])[0]
    assert best.standout and best.explains and [s.values for s in best.drivers] == [("Unity",)]


def test_of_two_segments_that_stand_out_the_change_furthest_outside_its_noise_leads():
    # held-out seed 11's one-day US revenue drop (2026-02-02, rounded): a device model lost nearly all
    # of a small amount, a country two thirds of a large one
    devices = additive_segments(("device_model",), {("iPhone13,2",): 76, ("other",): 757},
                                {("iPhone13,2",): 1, ("other",): 713}, (833, 714))
    countries = additive_segments(("country",), {("US",): 297, ("other",): 536},
                                  {("US",): 100, ("other",): 614}, (833, 714))
    found = [explain(("device_model",), devices), explain(("country",), countries)]
    leading = standouts(found)
    assert {s.values for s in leading} == {("iPhone13,2",), ("US",)}  # both stand out
    assert by_values(devices)[("iPhone13,2",)].focus > by_values(countries)[("US",)].focus  # focus: device
    assert leading[0].values == ("US",)
    assert significance(297, 100) == pytest.approx(197 / math.sqrt(397))
    assert significance(76, 1) == pytest.approx(75 / math.sqrt(77))
    best = ranked(found + [standout_explanation(leading[0], found)])[0]
    assert best.standout and [s.values for s in best.drivers] == [("US",)]


def test_a_ratio_segment_is_as_significant_as_the_effect_that_carries_it():
    # the rate: the numerator against the old ratio on the new denominator (100 users at 2.0 -> 200 expected)
    before = {("iOS",): (200, 100), ("Android",): (100, 100)}
    rate = by_values(ratio_segments(("platform",), before, {("iOS",): (80, 100), ("Android",): (100, 100)},
                                    ((300, 200), (180, 200))))
    assert rate[("iOS",)].significance == pytest.approx(120 / math.sqrt(280))
    # the mix: the denominator against its old share of the new total (half of 200 -> 100 expected)
    mix = by_values(ratio_segments(("platform",), before, {("iOS",): (100, 50), ("Android",): (150, 150)},
                                   ((300, 200), (250, 200))))
    assert abs(mix[("iOS",)].mix) > abs(mix[("iOS",)].rate)
    assert mix[("iOS",)].significance == pytest.approx(50 / math.sqrt(150))


def test_no_segment_stands_out_of_a_proportional_change_or_under_half_of_it():
    segments = additive_segments(("platform",), {("iOS",): 600, ("Android",): 400},
                                 {("iOS",): 480, ("Android",): 320}, (1000, 800))
    assert standouts([explain(("platform",), segments)]) == []
    small = additive_segments(("country",), {("BR",): 100, ("US",): 900}, {("BR",): 40, ("US",): 820},
                              (1000, 860))  # BR fell 60% but is 43% of the drop
    assert standouts([explain(("country",), small)]) == []


def test_a_segment_that_moved_against_the_total_by_more_than_all_of_it_stands_out():
    # tuning seed 23's one-day US revenue drop (2026-03-20, rounded): the US lost three quarters of its
    # revenue while large purchases elsewhere made the day's total rise a little
    countries = additive_segments(("country",), {("US",): 498, ("GB",): 82, ("other",): 929},
                                  {("US",): 122, ("GB",): 192, ("other",): 1281}, (1509, 1595))
    devices = additive_segments(("os_version",), {("18.4",): 409, ("other",): 1100},
                                {("18.4",): 655, ("other",): 940}, (1509, 1595))
    found = [explain(("country",), countries), explain(("os_version",), devices)]
    us = by_values(countries)[("US",)]
    assert us.share < -4  # against the rise, four times as large
    leading = standouts(found)
    # before (share >= 0.5 only) 18.4 led and the US did not stand out
    assert leading[0].values == ("US",)
    assert ("18.4",) in [s.values for s in leading]
    best = ranked(found + [standout_explanation(leading[0], found)])[0]
    assert best.standout and [s.values for s in best.drivers] == [("US",)]


def test_a_segment_against_the_total_stands_out_from_half_of_the_change_as_one_with_it_does():
    # installs fell 100 while BR rose against it: by 60 (60% of the change) it stands out, by 30 not,
    # though it moved much further than the rest
    moved = additive_segments(("country",), {("BR",): 100, ("US",): 900}, {("BR",): 160, ("US",): 740},
                              (1000, 900))
    assert by_values(moved)[("BR",)].share == pytest.approx(-0.6)
    assert [s.values for s in standouts([explain(("country",), moved)])] == [("BR",)]
    less = additive_segments(("country",), {("BR",): 20, ("US",): 980}, {("BR",): 50, ("US",): 850},
                             (1000, 900))
    assert by_values(less)[("BR",)].share == pytest.approx(-0.3) and by_values(less)[("BR",)].focus >= 0.25
    assert standouts([explain(("country",), less)]) == []


def test_the_spread_of_a_sum_is_its_amounts_squared_so_one_large_purchase_is_one_deviation():
    # a device model: one purchase of 200 more (and a few small ones); a country: many purchases cut
    assert spread_significance(28.4, 228.5, (13.7 ** 2, 148.0 ** 2)) < 1.5
    assert spread_significance(296.9, 100.5, (45.3 ** 2, 15.3 ** 2)) > 4
    # counts (each amount 1): the Poisson significance of decompose
    assert spread_significance(100, 40, (100, 40)) == pytest.approx(significance(100, 40))
    # a ratio's rate effect: the numerator against its old ratio on the new denominator (scale 2)
    assert spread_significance(50, 100, (50, 100), scale=2.0) == 0.0


def test_a_driver_against_the_total_is_told_as_such_not_as_a_negative_share():
    from app.engine.insights.change import ChangeReport
    from app.engine.insights.change_answer import change_narrative
    from app.engine.insights.shapes import MetricShape

    day, week_before = Period(dt.date(2026, 3, 20), dt.date(2026, 3, 20)), Period(dt.date(2026, 3, 13),
                                                                              dt.date(2026, 3, 13))

    def told(after_us: float, after_rest: float) -> str:
        after = {("US",): after_us, ("other",): after_rest}
        segments = additive_segments(("country",), {("US",): 500, ("other",): 1000}, after,
                                     (1500, after_us + after_rest))
        found = [explain(("country",), segments)]
        best = standout_explanation(standouts(found)[0], found)
        report = ChangeReport("revenue", MetricShape("revenue", "additive"), day, week_before, 1500,
                              after_us + after_rest, (best,))
        return change_narrative(report, "revenue", "USD")

    offset = told(120, 1480)  # the US fell by 380, the rest rose by 480: the total rose 100
    assert "Against the rise, revenue fell 76% in country = US" in offset
    assert "more than the whole change" in offset
    assert "-380%" not in offset and "of the rise is" not in offset
    partly = told(200, 1900)  # the US fell by 300 while the total rose 600: half the size of the change
    assert "Against the rise" in partly and "50% the size of the whole change" in partly
