"""The future period of a forecast question, in calendar terms like "last week" (weeks start on
Monday); on the demo's today, Wednesday 2026-07-01."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.planning.offline.horizon import future_period

TODAY = dt.date(2026, 7, 1)
D = dt.date


@pytest.mark.parametrize(("text", "start", "end"), [
    ("installs next week", D(2026, 7, 6), D(2026, 7, 12)),
    ("installs next month", D(2026, 8, 1), D(2026, 8, 31)),
    ("installs next quarter", D(2026, 10, 1), D(2026, 12, 31)),
    ("revenue for the next 14 days", D(2026, 7, 1), D(2026, 7, 14)),
    ("revenue over the coming three weeks", D(2026, 7, 1), D(2026, 7, 21)),
    ("revenue for the next 2 months", D(2026, 7, 1), D(2026, 8, 31)),
    ("spend for the rest of the month", D(2026, 7, 1), D(2026, 7, 31)),
    ("spend this week", D(2026, 7, 1), D(2026, 7, 5)),
    ("installs tomorrow", D(2026, 7, 2), D(2026, 7, 2)),
    ("spend forecast for july", D(2026, 7, 1), D(2026, 7, 31)),
    ("spend forecast for september 2026", D(2026, 9, 1), D(2026, 9, 30)),
    ("installs in q4", D(2026, 10, 1), D(2026, 12, 31)),
])
def test_periods_ahead(text, start, end):
    found = future_period(text, TODAY)
    assert (found.start, found.end) == (start, end)
    assert text[found.spans[0][0]:found.spans[0][1]].strip()


def test_a_month_already_past_is_next_years_and_flagged():
    found = future_period("installs forecast for march", TODAY)
    assert (found.start, found.end, found.named_ahead) == (D(2027, 3, 1), D(2027, 3, 31), True)
    assert future_period("installs in march 2026", TODAY) is None  # over: nothing to forecast
    assert future_period("installs by platform", TODAY) is None
