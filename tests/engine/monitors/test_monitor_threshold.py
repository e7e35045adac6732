"""Threshold rules of monitors: how they are written, stored in the ``condition`` column and checked."""
from __future__ import annotations

import pytest

from app.engine.monitors import MonitorError, MonitorSeries, Threshold, parse_threshold


@pytest.mark.parametrize(("text", "op", "value"), [
    ("> 5%", ">", 0.05), (">=0.05", ">=", 0.05), ("below 1000", "<", 1000.0), ("< 1,000", "<", 1000.0),
    ("over 2.5", ">", 2.5), ("UNDER 10", "<", 10.0), ("<= -3", "<=", -3.0)])
def test_thresholds_are_read_from_plain_words(text, op, value):
    assert parse_threshold(text) == Threshold(op=op, value=value)


@pytest.mark.parametrize("text", ["", "5%", "> five", "> 5 installs", "== 3"])
def test_a_threshold_without_an_operator_and_a_number_is_refused(text):
    with pytest.raises(MonitorError, match="cannot read the threshold"):
        parse_threshold(text)


def test_breached_follows_the_operator_at_the_boundary():
    assert Threshold(op=">", value=0.05).breached(0.06) and not Threshold(op=">", value=0.05).breached(0.05)
    assert Threshold(op=">=", value=0.05).breached(0.05)
    assert Threshold(op="<", value=1000).breached(999) and not Threshold(op="<", value=1000).breached(1000)
    assert Threshold(op="<=", value=1000).breached(1000)


def test_the_rule_is_stored_in_the_condition_column_and_read_back():
    series = MonitorSeries(metric="fraud_rate", threshold=parse_threshold("> 5%"))
    stored, condition = series.stored()
    assert "threshold" not in stored and condition == {"lookback": 7, "threshold": {"op": ">", "value": 0.05}}
    again = MonitorSeries.from_row({"semantic_query": stored, "condition": condition})
    assert (again.metric, again.threshold, again.window) == (series.metric, series.threshold, 7)
    assert MonitorSeries.from_row({"semantic_query": stored, "condition": {"lookback": 7}}).threshold is None
