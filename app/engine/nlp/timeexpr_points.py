"""Calendar "points": one named date or period (a day, month, quarter, half, year).

``POINT`` is a regex fragment without groups, so range patterns can embed it
twice ("from <point> to <point>"); :func:`parse_point` then reads the matched
text. A point without a year is the latest one that has started by ``as_of``
("May" on 2026-07-01 is May 2026, "August" is August 2025); a month, quarter or half
must also hold a complete day before ``as_of``, so on 2014-01-01 "January" is January
2013, not the month that starts that day and has no data yet.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from app.engine.nlp.timeexpr_periods import DateRange, half_range, month_range, quarter_range, year_range
from app.engine.nlp.timeexpr_typos import MONTHS

MONTH_NUMBERS = {name: i for i, name in enumerate(MONTHS, 1)}
MONTH_NUMBERS.update({name[:3]: i for name, i in list(MONTH_NUMBERS.items())})
MONTH_NUMBERS["sept"] = 9
MONTH = r"(?:" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\b\.?"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
YEAR = r"(?:19|20)\d\d\b"
SHORT_YEAR = r"(?:'\d\d\b)"
ORDINAL_QUARTER = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
ORDINAL_HALF = r"(?:first|second|1st|2nd)"
_OF_YEAR = rf"(?:\s*,?\s*(?:of\s+|in\s+)?(?:{YEAR}|{SHORT_YEAR}|(?:the|this|last|previous)\s+year))"

_ALTERNATIVES: dict[str, str] = {
    "iso_date": r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b",
    "us_date": r"\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b",
    "month_day": rf"{MONTH}\s*{DAY}(?:\s*,?\s*{YEAR})?",
    "day_month": rf"(?:the\s+)?{DAY}\s*(?:of\s+)?{MONTH}(?:\s*,?\s*{YEAR})?",
    "iso_month": r"\d{4}-\d{1,2}\b(?![-/.]\d)",
    "month_year": rf"{MONTH}\s*(?:of\s+)?(?:{YEAR}|{SHORT_YEAR})",
    "quarter": rf"(?:q\s?[1-4]\b(?:\s*,?\s*(?:of\s+)?{YEAR})?|{YEAR}\s*-?\s*q[1-4]\b"
    rf"|(?:the\s+)?{ORDINAL_QUARTER}\s+quarter{_OF_YEAR}?|quarter\s+[1-4]\b{_OF_YEAR}?)",
    "half": rf"(?:h[12](?:\s*,?\s*{YEAR})?\b|{YEAR}\s*-?\s*h[12]\b"
    rf"|(?:the\s+)?{ORDINAL_HALF}\s+half{_OF_YEAR}?)",
    "month": MONTH,
    "year": YEAR,
}
POINT = "(?:" + "|".join(_ALTERNATIVES.values()) + ")"
_FULL = {kind: re.compile(pattern) for kind, pattern in _ALTERNATIVES.items()}


@dataclass(frozen=True)
class Point:
    range: DateRange
    explicit_year: bool
    kind: str = ""  # which form matched: "month", "year", "iso_date", ...


def parse_point(text: str, as_of: dt.date, year: int | None = None) -> Point | None:
    """The period ``text`` names (one of ``POINT``'s forms), or None when it is not a valid date."""
    text = text.strip()
    for kind, pattern in _FULL.items():
        if pattern.fullmatch(text):
            try:
                return replace(_READERS[kind](text, as_of, year), kind=kind)
            except (ValueError, OverflowError):
                return None
    return None


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def _explicit_year(text: str, as_of: dt.date) -> int | None:
    if found := re.search(YEAR, text):
        return int(found.group()[:4])
    if found := re.search(r"'(\d\d)", text):
        return 2000 + int(found.group(1))
    if re.search(r"(?:last|previous)\s+year", text):
        return as_of.year - 1
    if re.search(r"(?:this|the)\s+year", text):
        return as_of.year
    return None


def _year_for(
    text: str, as_of: dt.date, year: int | None, start_of: Callable[[int], dt.date], *, whole_day: bool = True
) -> tuple[int, bool]:
    """The explicit year, else the given one, else the latest year whose period has started.

    With ``whole_day`` the period must have started before ``as_of`` (it holds a complete day);
    a single day may be ``as_of`` itself.
    """
    explicit = _explicit_year(text, as_of)
    if explicit is not None:
        return explicit, True
    if year is not None:
        return year, False
    start = start_of(as_of.year)
    started = start < as_of if whole_day else start <= as_of
    return (as_of.year if started else as_of.year - 1), False


def _month_of(text: str) -> int:
    return next(MONTH_NUMBERS[w] for w in re.findall(r"[a-z]+", text) if w in MONTH_NUMBERS)


def _iso_date(text: str, as_of: dt.date, year: int | None) -> Point:
    y, m, d = _numbers(text)
    return Point(DateRange(dt.date(y, m, d), dt.date(y, m, d)), True)


def _us_date(text: str, as_of: dt.date, year: int | None) -> Point:
    m, d, y = _numbers(text)
    day = dt.date(y + 2000 if y < 100 else y, m, d)
    return Point(DateRange(day, day), True)


def _day_in_month(text: str, as_of: dt.date, year: int | None) -> Point:
    month = _month_of(text)
    day = int(re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", re.sub(YEAR, "", text)).group(1))
    y, explicit = _year_for(text, as_of, year, lambda y: dt.date(y, month, day), whole_day=False)
    return Point(DateRange(dt.date(y, month, day), dt.date(y, month, day)), explicit)


def _iso_month(text: str, as_of: dt.date, year: int | None) -> Point:
    y, m = _numbers(text)
    return Point(month_range(y, m), True)


def _month(text: str, as_of: dt.date, year: int | None) -> Point:
    month = _month_of(text)
    y, explicit = _year_for(text, as_of, year, lambda y: dt.date(y, month, 1))
    return Point(month_range(y, month), explicit)


_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def _ordinal(text: str, prefix: str) -> int:
    if found := re.search(rf"{prefix}\s?([1-4])\b|quarter\s+([1-4])\b", text):
        return int(found.group(1) or found.group(2))
    return _ORDINALS[re.search("|".join(_ORDINALS), text).group()]


def _quarter(text: str, as_of: dt.date, year: int | None) -> Point:
    quarter = _ordinal(text, "q")
    y, explicit = _year_for(text, as_of, year, lambda y: quarter_range(y, quarter).start)
    return Point(quarter_range(y, quarter), explicit)


def _half(text: str, as_of: dt.date, year: int | None) -> Point:
    half = _ordinal(text, "h")
    y, explicit = _year_for(text, as_of, year, lambda y: half_range(y, half).start)
    return Point(half_range(y, half), explicit)


def _year(text: str, as_of: dt.date, year: int | None) -> Point:
    return Point(year_range(int(text[:4])), True)


_READERS = {
    "iso_date": _iso_date, "us_date": _us_date, "month_day": _day_in_month, "day_month": _day_in_month,
    "iso_month": _iso_month, "month_year": _month, "quarter": _quarter, "half": _half,
    "month": _month, "year": _year,
}
