"""Builders for parts of periods and open ranges: "first week of June", "mid-May", "last Monday",
"the week of June 8", "week 23", "until May", "vs the same day last week".

Same contract as :mod:`app.engine.nlp.timeexpr_patterns`: one regex match in, a :class:`Found` or None out.
"""
from __future__ import annotations

import datetime as dt
import re

from app.engine.nlp.timeexpr_patterns import Builder, Context, Found, found_range, read_point, text_before
from app.engine.nlp.timeexpr_periods import ONE_DAY, DateRange, period_of, previous_period
from app.engine.nlp.timeexpr_points import parse_point

OPEN_START = dt.date(1900, 1, 1)  # "until May": no lower bound; far before any data
_ORDINAL_WEEKS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_MONTH_PARTS = {"early": (1, 10), "beginning": (1, 10), "start": (1, 10), "mid": (11, 20),
                "middle": (11, 20), "late": (21, 31), "end": (21, 31)}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _month_days(window: DateRange, first: int, last: int) -> DateRange:
    """Days ``first..last`` of the month ``window`` (``last`` clamped to the month's end)."""
    return DateRange(window.start.replace(day=first), window.start.replace(day=min(last, window.end.day)))


def build_week_of_month(m: re.Match, ctx: Context) -> Found | None:
    point = parse_point(m["a"], ctx.as_of)
    if point is None:
        return None
    if m["ord"] in ("last", "final"):
        return found_range(DateRange(point.range.end - dt.timedelta(days=6), point.range.end))
    week = _ORDINAL_WEEKS[m["ord"]]
    return found_range(_month_days(point.range, 7 * week - 6, 7 * week))


def build_part_of_month(m: re.Match, ctx: Context) -> Found | None:
    point = parse_point(m["a"], ctx.as_of)
    if point is None:
        return None
    first, last = _MONTH_PARTS[m["part"] or m["part2"]]
    return found_range(_month_days(point.range, first, last))


_DAY_NAMES = "|".join(WEEKDAYS)
# Weekday names that define what a week is ("Monday-to-Sunday weeks", "weeks starting on Sunday"),
# not a day of data.
_WEEK_DEFINITION = re.compile(
    rf"(?:{_DAY_NAMES})[\s-]*(?:to|through|thru|till|until|-)[\s-]*(?:{_DAY_NAMES})[\s-]*weeks?\b|"
    rf"(?:{_DAY_NAMES})[\s-]+weeks?\b|"
    rf"\bweeks?\s+(?:that\s+)?(?:start(?:ing|s)?|begin(?:ning|s)?|run(?:ning|s)?|end(?:ing|s)?)\s+(?:on\s+)?"
    rf"(?:a\s+)?(?:{_DAY_NAMES})\b"
)


def monday_week_spans(folded: str) -> list[tuple[int, int]]:
    """Where the text says weeks run Monday to Sunday (the only weeks the data is grouped by)."""
    spans = []
    for w in _WEEK_DEFINITION.finditer(folded):
        days = re.findall(_DAY_NAMES, w.group())
        if days and (days[0] == "monday" or days[-1] == "sunday" and len(days) > 1):
            spans.append(w.span())
    return spans


def _defines_weeks(m: re.Match) -> bool:
    text = m.string
    return any(w.start() <= m.start("wd") < w.end() for w in _WEEK_DEFINITION.finditer(text))


def build_weekday(m: re.Match, ctx: Context) -> Found | None:
    """The latest such weekday before ``as_of`` ("last Monday", "on Friday")."""
    if _defines_weeks(m):
        return None
    back = (ctx.as_of.weekday() - WEEKDAYS.index(m["wd"])) % 7 or 7
    day = ctx.as_of - dt.timedelta(days=back)
    return found_range(DateRange(day, day))


def build_weekend(m: re.Match, ctx: Context) -> Found:
    week = previous_period("week", ctx.as_of)
    return found_range(DateRange(week.end - ONE_DAY, week.end))


def build_until(m: re.Match, ctx: Context) -> Found | None:
    point = read_point(m["a"], ctx)
    if point is None:
        return None
    end = point.range.start - ONE_DAY if m["kind"].startswith(("before", "prior")) else point.range.end
    return found_range(DateRange(OPEN_START, end)) if end >= OPEN_START else None


def build_first_months(m: re.Match, ctx: Context) -> Found | None:
    """"the first six months of the year": January 1 to the end of month N (of that year)."""
    from app.engine.nlp.numbers import parse_number

    count = parse_number(m["n"])
    if not count or not 1 <= count <= 12:
        return None
    year = int(m["y"]) if m["y"] else ctx.as_of.year
    end = dt.date(year + (count == 12), count % 12 + 1, 1) - ONE_DAY
    return found_range(DateRange(dt.date(year, 1, 1), end))


def build_half_of_month(m: re.Match, ctx: Context) -> Found | None:
    point = parse_point(m["a"], ctx.as_of)
    if point is None:
        return None
    first_half = m["half"] in ("first", "1st")
    return found_range(_month_days(point.range, 1, 15) if first_half else _month_days(point.range, 16, 31))


def build_week_of(m: re.Match, ctx: Context) -> Found | None:
    """"the week of June 8": the ISO week holding that day; "the week starting June 8": 7 days from it."""
    point = read_point(m["a"], ctx)
    if point is None:
        return None
    if point.range.end > point.range.start + dt.timedelta(days=6):
        # "each week of May": May, a week at a time (the grain words stay for the grain rules)
        return Found("range", range=point.range, span=(m.start("a"), m.end()))
    if m["starting"]:
        return found_range(DateRange(point.range.start, point.range.start + dt.timedelta(days=6)))
    return found_range(period_of("week", point.range.start))


def build_iso_week(m: re.Match, ctx: Context) -> Found | None:
    """"week 23 (of 2026)": the ISO week; without a year, the latest one that has started."""
    number = int(m["n"])
    year = int(m["y"]) if m["y"] else ctx.as_of.year
    try:
        monday = dt.date.fromisocalendar(year, number, 1)
        if not m["y"] and monday > ctx.as_of:
            monday = dt.date.fromisocalendar(year - 1, number, 1)
    except ValueError:
        return None
    return found_range(period_of("week", monday))


def build_shift(days: int) -> Builder:
    """"vs the same day last week": the range moved ``days`` back (applied by the resolver)."""
    def build(m: re.Match, ctx: Context) -> Found:
        return Found("compare_shift", unit=str(days))
    return build


# Meteorological seasons (northern hemisphere): the months each starts and ends in; winter Y runs
# from December Y-1 to February Y (the winter that ends in Y).
SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2)}


def _season(name: str, year: int) -> DateRange:
    first, last = SEASONS[name]
    start = dt.date(year - 1 if first > last else year, first, 1)
    end = dt.date(year + (last == 12), last % 12 + 1, 1) - ONE_DAY
    return DateRange(start, end)


_BEFORE_SEASON = re.compile(r"\b(?:the|in|during|over|throughout|this|last|past|previous|of|for)\s*$")
_AFTER_SEASON = re.compile(
    r"\s*(?:$|[,.;:?!)]|'s\b|(?:and|or|vs|versus|by|for|of|in|on|at|to|from|with|compared|than|per|broken|"
    r"split|grouped|when|where|season|months?)\b)")


def _season_context(m: re.Match, ctx: Context) -> bool:
    """A season word without a year is a time only between time-like words: "over the summer",
    "in winter by carrier"; not a name's word ("the Winter Email promo") or the verb "fall"."""
    return bool((m["rel"] or _BEFORE_SEASON.search(text_before(m, ctx)))
                and _AFTER_SEASON.match(ctx.text[m.end():]))


def build_season(m: re.Match, ctx: Context) -> Found | None:
    """ "over the summer", "summer 2013", "last winter": the season's months; without a year, the
    latest one holding a complete day before ``as_of`` ("last": the latest that has ended)."""
    name = m["s"]
    if not m["y"] and not _season_context(m, ctx):
        return None  # "installs fall" (the verb), "the Winter Email promo" (a name)
    if m["y"]:
        return found_range(_season(name, int(m["y"])))
    year = ctx.as_of.year + 1
    while True:
        window = _season(name, year)
        if window.start < ctx.as_of and (not m["rel"] or m["rel"] == "this" or window.end < ctx.as_of):
            return found_range(window)
        year -= 1

