"""The future period a forecast question asks about ("next week", "the next 14 days", "July",
"next month", "Q3", "the rest of the month").

The question reader places past periods only (a future month is cut at today), so forecast
questions read their period here. Calendar words mean calendar periods, as "last week" does for
the past (weeks start on Monday): on Wednesday July 1, "next week" is July 6-12 and "next month"
August; a count means that many days from today ("the next 14 days", "next two weeks": 14 days).
A month or quarter named without a year is the next one that has not ended.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from app.engine.nlp.numbers import NUMBER_PATTERN, parse_number
from app.engine.nlp.timeexpr_points import MONTH_NUMBERS

D = dt.date
_UNIT = r"(?P<unit>day|week|month|quarter|year)s?"
_COUNTED = re.compile(rf"\b(?:(?:over|in|for|during)\s+)?(?:the\s+)?(?:next|coming|upcoming|following)\s+"
                      rf"(?P<n>{NUMBER_PATTERN})\s+{_UNIT}\b")
_NEXT = re.compile(rf"\b(?:(?:over|in|for|during)\s+)?(?:the\s+)?(?:next|coming|upcoming|following)\s+"
                   rf"{_UNIT}\b")
_REST = re.compile(r"\b(?:(?:for|in|over)\s+)?(?:the\s+)?(?:rest\s+of\s+(?:the\s+|this\s+)?|remainder\s+of\s+"
                   r"(?:the\s+|this\s+)?|this\s+)(?P<unit>week|month|quarter|year)\b")
_TOMORROW = re.compile(r"\b(?:for\s+)?tomorrow\b")
_MONTHS = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_MONTH = re.compile(rf"\b(?:(?:for|in|during|of|through|over)\s+)?(?:the\s+month\s+of\s+)?(?P<m>{_MONTHS})"
                    rf"(?:\s+(?P<y>20\d\d))?\b")
_QUARTER = re.compile(r"\b(?:(?:for|in|during|of|over)\s+)?(?:the\s+)?q(?P<q>[1-4])(?:\s+(?P<y>20\d\d))?\b")


@dataclass(frozen=True)
class Horizon:
    start: dt.date  # first day forecast (never before today)
    end: dt.date  # last day, inclusive
    spans: tuple[tuple[int, int], ...]  # where the question says it
    named_ahead: bool = False  # a month or quarter named without a year that is next year's

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return D(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _unit_start(day: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return D(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return D(day.year, 1, 1) if unit == "year" else day


def _unit_end(start: dt.date, unit: str) -> dt.date:
    if unit == "day":
        return start
    if unit == "week":
        return start + dt.timedelta(days=6)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    return _add_months(start, months) - dt.timedelta(days=1)


def _next_unit(as_of: dt.date, unit: str) -> tuple[dt.date, dt.date]:
    current = _unit_start(as_of, unit)
    if unit == "day":
        return as_of, as_of
    start = current + dt.timedelta(days=7) if unit == "week" else _add_months(
        current, {"month": 1, "quarter": 3, "year": 12}[unit])
    return start, _unit_end(start, unit)


def _counted(n: int, unit: str, as_of: dt.date) -> tuple[dt.date, dt.date]:
    if unit in ("day", "week"):
        return as_of, as_of + dt.timedelta(days=n * (7 if unit == "week" else 1) - 1)
    months = n * {"month": 1, "quarter": 3, "year": 12}[unit]
    return as_of, _add_months(as_of, months) - dt.timedelta(days=1)


def _named(first_month: int, months: int, year: str | None, as_of: dt.date) -> tuple[dt.date, dt.date, bool]:
    """A named month or quarter: the year given, else the next one that has not ended (and whether
    that is next year's)."""
    start = D(int(year) if year else as_of.year, first_month, 1)
    end = _add_months(start, months) - dt.timedelta(days=1)
    if year is None and end < as_of:
        start = D(start.year + 1, first_month, 1)
        return start, _add_months(start, months) - dt.timedelta(days=1), True
    return start, end, False


def future_period(folded: str, as_of: dt.date) -> Horizon | None:
    """The period asked about, starting today at the earliest; None when the question names none
    or names one that ended before today."""
    found, ahead = None, False
    if m := _COUNTED.search(folded):
        n = parse_number(m["n"]) or 0
        found = (*_counted(n, m["unit"], as_of), m.span()) if n > 0 else None
    elif m := _NEXT.search(folded):
        found = (*_next_unit(as_of, m["unit"]), m.span())
    elif m := _REST.search(folded):
        found = (as_of, _unit_end(_unit_start(as_of, m["unit"]), m["unit"]), m.span())
    elif m := _TOMORROW.search(folded):
        found = (as_of + dt.timedelta(days=1), as_of + dt.timedelta(days=1), m.span())
    elif m := (_QUARTER.search(folded) or _MONTH.search(folded)):
        first, months = (3 * int(m["q"]) - 2, 3) if "q" in m.groupdict() else (MONTH_NUMBERS[m["m"]], 1)
        start, end, ahead = _named(first, months, m["y"], as_of)
        found = (start, end, m.span())
    if found is None:
        return None
    start, end, span = found
    if end < as_of:
        return None
    return Horizon(max(start, as_of), end, (span,), ahead)
