"""Calendar arithmetic for time expressions: months, quarters, ISO weeks, trailing windows.

All ranges are inclusive dates. "Complete days" end the day before ``as_of``:
the data of ``as_of`` itself is still arriving.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class DateRange:
    """Inclusive ``start .. end``; a one-day range has ``start == end``."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_tuple(self) -> tuple[dt.date, dt.date]:
        return (self.start, self.end)

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, 1), 9999)
    return dt.date(year, month + 1, min(day.day, _month_length(year, month + 1)))


def _month_length(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.date(year, month, 1)).days


def month_range(year: int, month: int) -> DateRange:
    return DateRange(dt.date(year, month, 1), dt.date(year, month, _month_length(year, month)))


def quarter_range(year: int, quarter: int) -> DateRange:
    first = 3 * (quarter - 1) + 1
    return DateRange(dt.date(year, first, 1), month_range(year, first + 2).end)


def half_range(year: int, half: int) -> DateRange:
    return DateRange(dt.date(year, 6 * half - 5, 1), month_range(year, 6 * half).end)


def year_range(year: int) -> DateRange:
    return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31))


def week_range(day: dt.date) -> DateRange:
    """The ISO week (Monday..Sunday) holding ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return DateRange(monday, monday + dt.timedelta(days=6))


def period_of(unit: str, day: dt.date) -> DateRange:
    """The calendar ``unit`` (day, week, month, quarter, year) that holds ``day``."""
    if unit == "day":
        return DateRange(day, day)
    if unit == "week":
        return week_range(day)
    if unit == "month":
        return month_range(day.year, day.month)
    if unit == "quarter":
        return quarter_range(day.year, (day.month - 1) // 3 + 1)
    return year_range(day.year)


def previous_period(unit: str, as_of: dt.date, count: int = 1) -> DateRange:
    """The ``count``-th full calendar ``unit`` before the one holding ``as_of`` ("last month")."""
    current = period_of(unit, as_of)
    day = current.start
    for _ in range(count):
        day = period_of(unit, day - ONE_DAY).start
    return period_of(unit, day)


def to_date(unit: str, as_of: dt.date) -> DateRange:
    """The current ``unit`` up to yesterday ("this month", "year to date").

    On the period's first day there is no complete day yet; the range then is
    that single day (``as_of``), whose data is not in yet: zero rows, no error.
    """
    start = period_of(unit, as_of).start
    return DateRange(start, max(start, as_of - ONE_DAY))


def trailing(unit: str, count: int, as_of: dt.date) -> DateRange:
    """The ``count`` units of full days before ``as_of`` ("last 7 days", "past 3 months")."""
    end = as_of - ONE_DAY
    if unit == "day":
        start = as_of - dt.timedelta(days=count)
    elif unit == "week":
        start = as_of - dt.timedelta(days=7 * count)
    else:
        start = add_months(as_of, -count * {"month": 1, "quarter": 3, "year": 12}[unit])
    return DateRange(min(start, end), end)


def preceding(window: DateRange) -> DateRange:
    """The period just before ``window`` with the same shape ("vs the previous period").

    Whole calendar months (and quarters, years) step back by months so May
    precedes June; any other window steps back by its own length in days.
    """
    months = _whole_months(window)
    if months:
        start = add_months(window.start, -months)
        return DateRange(start, window.start - ONE_DAY)
    return DateRange(window.start - dt.timedelta(days=window.days), window.start - ONE_DAY)


def _whole_months(window: DateRange) -> int:
    if window.start.day != 1 or (window.end + ONE_DAY).day != 1:
        return 0
    after = window.end + ONE_DAY
    return (after.year - window.start.year) * 12 + after.month - window.start.month


def shift_years(window: DateRange, years: int) -> DateRange:
    """The same dates ``years`` earlier or later ("same period last year")."""
    return DateRange(add_months(window.start, 12 * years), add_months(window.end, 12 * years))


def default_grain(window: DateRange | None) -> str:
    """Grain for "trend"/"over time": at most ~60 points of day, then week, then month."""
    if window is None:
        return "week"
    if window.days <= 62:
        return "day"
    return "week" if window.days <= 366 else "month"
