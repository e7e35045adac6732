"""A period taken back and said again ("last week-ish, i mean the last 7 days", "May, sorry, June",
"last week (the last 7 days)"): the second one is meant; two periods without such words still join
or compare as before (fourth wave-2 session, #17)."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.nlp.timeexpr import resolve_time_strict

AS_OF = dt.date(2026, 7, 1)
D = dt.date


@pytest.mark.parametrize(("text", "start", "end"), [
    ("sessions last week-ish, i mean the last 7 days", D(2026, 6, 24), D(2026, 6, 30)),
    ("installs in May, sorry, June", D(2026, 6, 1), D(2026, 6, 30)),
    ("spend last week (the last 7 days)", D(2026, 6, 24), D(2026, 6, 30)),
    ("installs in May and June", D(2026, 5, 1), D(2026, 6, 30)),
])
def test_a_corrected_period_is_the_second(text, start, end):
    window = resolve_time_strict(text, AS_OF).range
    assert (window.start, window.end) == (start, end)


def test_compared_periods_stay_compared():
    resolved = resolve_time_strict("May vs June installs", AS_OF)
    assert resolved.range.start == D(2026, 5, 1) and resolved.compare_range.start == D(2026, 6, 1)
