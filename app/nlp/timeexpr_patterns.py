"""The time-expression patterns: an ordered tuple of ``(regex, builder)`` pairs.

Each builder turns one regex match into a :class:`Found` (a date range, a
grain, or a comparison instruction) or rejects it (returns None). Patterns run
on typo-corrected, folded text; the resolver keeps the longest non-overlapping
matches, earlier patterns winning ties.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from app.nlp.numbers import parse_number
from app.nlp.timeexpr_periods import (
    ONE_DAY,
    DateRange,
    add_months,
    period_of,
    previous_period,
    to_date,
    trailing,
)
from app.nlp.timeexpr_points import MONTH_NUMBERS, Point, parse_point

UNIT = r"(?:days?|weeks?|months?|quarters?|years?|fortnights?)"
VS = r"(?:compared?\s+(?:to|with)|in\s+comparison\s+(?:to|with)|vs\.?|versus|against|relative\s+to|than|over|from)"
RELATIVE = r"(?:(?:last|previous|prior|this|current)\s+(?:week|month|quarter|year)|yesterday|today)"
MAX_COUNT = 5000  # "last 99999999 days" is nonsense; treat it as no match rather than overflow


@dataclass(frozen=True)
class Found:
    kind: str  # "range", "grain", "trend", "all_time", "compare_prev", "compare_unit", "compare_year"
    range: DateRange | None = None
    grain: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Context:
    text: str  # corrected, folded text the patterns run on
    original: Callable[[int, int], str]  # the user's own characters for a corrected span
    as_of: dt.date


Builder = Callable[[re.Match, Context], "Found | None"]


def _unit(word: str) -> str:
    return word.rstrip("s") if word.rstrip("s") != "fortnight" else "fortnight"


def _count(text: str) -> int | None:
    value = parse_number(text)
    return value if value is not None and 0 < value <= MAX_COUNT else None


def _range(window: DateRange) -> Found:
    return Found("range", range=window)


def build_trailing(m: re.Match, ctx: Context) -> Found | None:
    count, unit = _count(m["n"]), _unit(m["unit"])
    if count is None:
        return None
    if unit == "fortnight":
        unit, count = "day", 14 * count
    if m["full"] and unit != "day":  # "last 3 full months": whole calendar months
        return _range(DateRange(previous_period(unit, ctx.as_of, count).start,
                                previous_period(unit, ctx.as_of).end))
    return _range(trailing(unit, count, ctx.as_of))


def build_lnd(m: re.Match, ctx: Context) -> Found | None:
    count = _count(m["n"])
    return _range(trailing("day", count, ctx.as_of)) if count else None


def build_previous(m: re.Match, ctx: Context) -> Found:
    unit = _unit(m["unit"])
    if unit == "fortnight":
        return _range(trailing("day", 14, ctx.as_of))
    if unit == "day":
        return _range(DateRange(ctx.as_of - ONE_DAY, ctx.as_of - ONE_DAY))
    return _range(previous_period(unit, ctx.as_of, 2 if m.group().endswith("before last") else 1))


def build_current(m: re.Match, ctx: Context) -> Found:
    abbreviations = {"ytd": "year", "mtd": "month", "qtd": "quarter", "wtd": "week"}
    unit = abbreviations.get(m["abbr"] or "", None) or _unit(m["unit"])
    return _range(to_date(unit, ctx.as_of))


def build_day(offset: int) -> Builder:
    def build(m: re.Match, ctx: Context) -> Found:
        day = ctx.as_of - dt.timedelta(days=offset)
        return _range(DateRange(day, day))
    return build


def build_ago(m: re.Match, ctx: Context) -> Found | None:
    count, unit = _count(m["n"]), _unit(m["unit"])
    if count is None or unit == "fortnight":
        return None
    if unit in ("day", "week"):
        day = ctx.as_of - dt.timedelta(days=count * (7 if unit == "week" else 1))
    else:
        day = add_months(ctx.as_of, -count * {"month": 1, "quarter": 3, "year": 12}[unit])
    return _range(period_of(unit, day))


def _relative_point(text: str, ctx: Context) -> DateRange | None:
    text = re.sub(r"\s+", " ", text.strip())
    if text == "yesterday":
        return DateRange(ctx.as_of - ONE_DAY, ctx.as_of - ONE_DAY)
    if text == "today":
        return DateRange(ctx.as_of, ctx.as_of)
    which, unit = text.split(" ")
    if which in ("this", "current"):
        return to_date(unit, ctx.as_of)
    return previous_period(unit, ctx.as_of)


def read_point(text: str, ctx: Context, year: int | None = None) -> Point | None:
    if re.fullmatch(RELATIVE, text.strip()):
        return Point(_relative_point(text, ctx), True, "relative")
    return parse_point(text, ctx.as_of, year)


def span_between(a_text: str, b_text: str, ctx: Context) -> DateRange | None:
    """``a .. b`` with years shared between the ends ("January to March 2026")."""
    a, b = read_point(a_text, ctx), read_point(b_text, ctx)
    if a is None or b is None:
        return None
    if b.explicit_year and not a.explicit_year:
        a = read_point(a_text, ctx, b.range.start.year)
        if a is not None and a.range.start > b.range.start:
            a = read_point(a_text, ctx, b.range.start.year - 1)
    elif a.explicit_year and not b.explicit_year:
        b = read_point(b_text, ctx, a.range.start.year)
        if b is not None and b.range.end < a.range.start:
            b = read_point(b_text, ctx, a.range.start.year + 1)
    elif not a.explicit_year and a.range.start > b.range.start:
        a = read_point(a_text, ctx, b.range.start.year - 1)
    if a is None or b is None or a.range.start > b.range.end:
        return None
    return DateRange(a.range.start, b.range.end)


_CHANGE_WORDS = re.compile(
    r"\b(?:differen\w*|differ|change[sd]?|changing|compar\w*|growth|grow|grew|increase[sd]?|decrease[sd]?|"
    r"drop(?:ped)?|delta|gap|shift(?:ed)?|move[sd]?|went|go|evolve[sd]?)\b[^.?!;]*$"
)


def build_between(m: re.Match, ctx: Context) -> Found | None:
    # "difference between May and June" compares two periods; it is not one long period.
    if _CHANGE_WORDS.search(ctx.text[:m.start()]):
        return None
    window = span_between(m["a"], m["b"], ctx)
    return _range(window) if window else None


def build_day_span(m: re.Match, ctx: Context) -> Found | None:
    if _CHANGE_WORDS.search(ctx.text[:m.start()]):
        return None
    month_name = next(w for w in re.findall(r"[a-z]+", m["m"]) if w in MONTH_NUMBERS)
    suffix = f" {m['y']}" if m["y"] else ""
    first = parse_point(f"{month_name} {int(re.match(r'[0-9]+', m['d1']).group())}{suffix}", ctx.as_of)
    if first is None:
        return None
    last_day = int(re.match(r"[0-9]+", m["d2"]).group())
    try:
        last = first.range.start.replace(day=last_day)
    except ValueError:
        return None
    return _range(DateRange(first.range.start, last)) if last >= first.range.start else None


def build_since(m: re.Match, ctx: Context) -> Found | None:
    point = read_point(m["a"], ctx)
    if point is None:
        return None
    start = point.range.end + ONE_DAY if m["after"] else point.range.start
    return _range(DateRange(start, max(start, ctx.as_of - ONE_DAY)))


_MONTH_CONTEXT = re.compile(
    r"\b(?:in|for|during|of|since|from|to|until|through|and|or|vs\.?|versus|between|before|after|early|"
    r"mid|late|whole|entire|all|last|this|on|over|by|than|with|compared|&)\s*$|,\s*$"
)


def build_point(m: re.Match, ctx: Context) -> Found | None:
    point = parse_point(m["a"], ctx.as_of)
    if point is None or not _point_allowed(point, m, ctx):
        return None
    return _range(point.range)


def _point_allowed(point: Point, m: re.Match, ctx: Context) -> bool:
    before = ctx.text[:m.start()]
    if point.kind == "year":  # a bare number like 2026 is a year only after "in", "for", ...
        return bool(re.search(r"\b(?:in|for|during|of|throughout|over|year|and|vs\.?|versus)\s*$", before))
    if point.kind == "month" and m["a"].strip().rstrip(".") == "may":
        # "may" is usually the verb: a month only after "in", "for", ... or written "May" (not "May I").
        written = ctx.original(m.start("a"), m.end("a"))
        after = ctx.text[m.end():]
        if re.match(r"\s*(?:i|we|you|be|have|not|it|they|he|she|also|still|need|want|help|show)\b", after):
            return False
        return bool(_MONTH_CONTEXT.search(before)) or written.startswith("May")
    return True


def build_all_time(m: re.Match, ctx: Context) -> Found:
    return Found("all_time")


def build_grain(grain: str) -> Builder:
    def build(m: re.Match, ctx: Context) -> Found | None:
        shorthand = m.group().strip()
        if shorthand in ("wow", "mom") and ctx.original(*m.span()).islower():
            return None  # "wow" the word, "mom" the person; "WoW" and "MoM" are grains
        return Found("grain", grain=grain)
    return build


def build_trend(m: re.Match, ctx: Context) -> Found:
    return Found("trend")


def build_compare(kind: str) -> Builder:
    def build(m: re.Match, ctx: Context) -> Found:
        unit = m.groupdict().get("unit") or m.groupdict().get("unit2")
        return Found(kind, unit=_unit(unit) if unit else None)
    return build


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
        return _range(DateRange(point.range.end - dt.timedelta(days=6), point.range.end))
    week = _ORDINAL_WEEKS[m["ord"]]
    return _range(_month_days(point.range, 7 * week - 6, 7 * week))


def build_part_of_month(m: re.Match, ctx: Context) -> Found | None:
    point = parse_point(m["a"], ctx.as_of)
    if point is None:
        return None
    first, last = _MONTH_PARTS[m["part"] or m["part2"]]
    return _range(_month_days(point.range, first, last))


def build_weekday(m: re.Match, ctx: Context) -> Found:
    """The latest such weekday before ``as_of`` ("last Monday", "on Friday")."""
    back = (ctx.as_of.weekday() - WEEKDAYS.index(m["wd"])) % 7 or 7
    day = ctx.as_of - dt.timedelta(days=back)
    return _range(DateRange(day, day))


def build_weekend(m: re.Match, ctx: Context) -> Found:
    week = previous_period("week", ctx.as_of)
    return _range(DateRange(week.end - ONE_DAY, week.end))


def build_until(m: re.Match, ctx: Context) -> Found | None:
    point = read_point(m["a"], ctx)
    if point is None:
        return None
    end = point.range.start - ONE_DAY if m["kind"].startswith(("before", "prior")) else point.range.end
    return _range(DateRange(OPEN_START, end)) if end >= OPEN_START else None


def build_half_of_month(m: re.Match, ctx: Context) -> Found | None:
    point = parse_point(m["a"], ctx.as_of)
    if point is None:
        return None
    first_half = m["half"] in ("first", "1st")
    return _range(_month_days(point.range, 1, 15) if first_half else _month_days(point.range, 16, 31))


def build_week_of(m: re.Match, ctx: Context) -> Found | None:
    """"the week of June 8": the ISO week holding that day; "the week starting June 8": 7 days from it."""
    point = read_point(m["a"], ctx)
    if point is None:
        return None
    if m["starting"]:
        return _range(DateRange(point.range.start, point.range.start + dt.timedelta(days=6)))
    return _range(period_of("week", point.range.start))


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
    return _range(period_of("week", monday))


def build_shift(days: int) -> Builder:
    """"vs the same day last week": the range moved ``days`` back (applied by the resolver)."""
    def build(m: re.Match, ctx: Context) -> Found:
        return Found("compare_shift", unit=str(days))
    return build
