"""Property tests: any result shape gets a valid, deterministic chart or a table."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import plotly.graph_objects as go
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charts import CHART_TYPES, INTENTS, build_chart, choose_chart

KINDS = {
    "VARCHAR": (st.sampled_from(["iOS", "Android", "Facebook_iOS_US_Lookalike_Broad", "", "x" * 40])
                | st.none()),
    "BIGINT": st.integers(-10**6, 10**9) | st.none(),
    "DOUBLE": st.floats(-1e6, 1e6) | st.sampled_from([float("nan"), float("inf")]) | st.none(),
    "Decimal(18, 2)": st.decimals(-1000, 1000, places=2, allow_nan=False) | st.none(),
    "DATE": st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)) | st.none(),
    "TIMESTAMP": st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2026, 12, 31)) | st.none(),
    "BOOLEAN": st.booleans() | st.none(),
}
NAMES = ["platform", "installs", "cost", "date", "fraud_rate", "campaign_id", "hour", "roas", "week", "ltv"]


@st.composite
def results(draw):
    count = draw(st.integers(1, 4))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=count, max_size=count, unique=True))
    types = draw(st.lists(st.sampled_from(sorted(KINDS)), min_size=count, max_size=count))
    rows = draw(st.lists(st.tuples(*[KINDS[t] for t in types]), max_size=40))
    return list(zip(names, types)), rows


REQUESTS = st.none() | st.sampled_from(["pie", "as a line chart", "horizontal bars", "stacked", "histogram",
                                        "kpi", "scatter", "table", "area", "grouped", "nonsense"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(result=results(), intent=st.none() | st.sampled_from(INTENTS), requested=REQUESTS)
def test_any_result_gets_a_valid_chart(result, intent, requested):
    columns, rows = result
    choice = choose_chart(columns, rows, intent=intent, requested=requested)
    assert choice.type in CHART_TYPES and choice.reason
    assert choose_chart(columns, rows, intent=intent, requested=requested) == choice
    chart = build_chart(choice, columns, rows, moving_average=True)
    if choice.type == "table" or not rows:
        assert chart is None
    else:
        go.Figure(chart["figure"])


def test_decimal_strategy_values_are_plain_numbers():
    columns = [("platform", "VARCHAR"), ("cost", "Decimal(18, 2)")]
    rows = [("iOS", Decimal("1.10")), ("x", Decimal(2))]
    chart = build_chart(choose_chart(columns, rows), columns, rows)
    assert all(isinstance(v, float) for v in chart["figure"]["data"][0]["y"])
