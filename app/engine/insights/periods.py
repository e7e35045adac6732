"""The two periods a change is measured between, and the baseline when none is named.

The user's baseline wins ("compared with June 9"); a period shorter than a week is compared with
the same weekdays a week earlier (a Monday with a Monday, Monday-Wednesday with Monday-Wednesday:
the weekly rhythm is not a cause); a week or longer with the period of equal length just before it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WEEK = dt.timedelta(days=7)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError(f"a period cannot start ({self.start}) after it ends ({self.end})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        """``June 16`` / ``June 1 to June 30``: dates as a reader says them."""
        if self.start == self.end:
            return _day(self.start)
        return f"{_day(self.start)} to {_day(self.end)}"

    def as_range(self) -> tuple[dt.date, dt.date]:
        return self.start, self.end


def _day(day: dt.date) -> str:
    return f"{day:%B} {day.day}" + (f", {day.year}" if day.month == 1 and day.day == 1 else "")


def default_baseline(current: Period) -> Period:
    """The same weekdays a week earlier for less than a week, else the previous period of equal length."""
    if current.days < 7:
        return Period(current.start - WEEK, current.end - WEEK)
    return Period(current.start - current.days * DAY, current.start - DAY)


def periods(current_start: dt.date, current_end: dt.date | None = None, baseline_start: dt.date | None = None,
            baseline_end: dt.date | None = None) -> tuple[Period, Period]:
    """(current, baseline): a named baseline of one date is that day, or that many days from it."""
    current = Period(current_start, current_end or current_start)
    if baseline_start is None:
        return current, default_baseline(current)
    end = baseline_end or baseline_start + (current.days - 1) * DAY
    return current, Period(baseline_start, end)
