"""Builders of the time-expression rules (the ordered table is :mod:`app.engine.nlp.timeexpr_rules`).

Each builder turns one regex match into a :class:`Found` (a date range, a
grain, or a comparison instruction) or rejects it (returns None). Rules run
on typo-corrected, folded text; the resolver keeps the longest non-overlapping
matches, earlier rules winning ties.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from app.engine.nlp.numbers import parse_number
from app.engine.nlp.timeexpr_periods import (
    ONE_DAY,
    DateRange,
    add_months,
    period_of,
    previous_period,
    to_date,
    trailing,
    year_range,
)
from app.engine.nlp.timeexpr_points import MONTH_NUMBERS, Point, parse_point

UNIT = r"(?:days?|weeks?|months?|quarters?|years?|fortnights?)"
VS = (
    r"(?:compared?\s+(?:to|with)|in\s+comparison\s+(?:to|with)|vs\.?|versus|against|relative\s+to|than|over|"
    r"from)"
)
RELATIVE = r"(?:(?:last|previous|prior|this|current)\s+(?:week|month|quarter|year)|yesterday|today)"
MAX_COUNT = 5000  # "last 99999999 days" is nonsense; treat it as no match rather than overflow


@dataclass(frozen=True)
class Found:
    # "range", "grain", "trend", "all_time", or a comparison: "compare_prev", "compare_unit",
    # "compare_year", "compare_count", "compare_shift" (see timeexpr._COMPARISONS)
    kind: str
    range: DateRange | None = None
    grain: str | None = None
    unit: str | None = None
    span: tuple[int, int] | None = None  # the words consumed, when not the whole match
    count: int | None = None  # "vs the previous 30 days"


@dataclass(frozen=True)
class Context:
    text: str  # corrected, folded text the patterns run on
    original: Callable[[int, int], str]  # the user's own characters for a corrected span
    as_of: dt.date


Builder = Callable[[re.Match, Context], "Found | None"]


_ABBREVIATED_UNITS = {"d": "day", "w": "week", "wk": "week", "m": "month", "mo": "month", "q": "quarter",
                      "y": "year", "yr": "year"}


def _unit(word: str) -> str:
    """"days" -> "day", "7d"'s "d" -> "day"."""
    if word in _ABBREVIATED_UNITS:
        return _ABBREVIATED_UNITS[word]
    return word.rstrip("s") if word.rstrip("s") != "fortnight" else "fortnight"


def _count(text: str) -> int | None:
    value = parse_number(text)
    return value if value is not None and 0 < value <= MAX_COUNT else None


def found_range(window: DateRange) -> Found:
    return Found("range", range=window)


def build_trailing(m: re.Match, ctx: Context) -> Found | None:
    count, unit = _count(m["n"]), _unit(m["unit"])
    if count is None:
        return None
    if unit == "fortnight":
        unit, count = "day", 14 * count
    if m["full"] and unit != "day":  # "last 3 full months": whole calendar months
        return found_range(DateRange(previous_period(unit, ctx.as_of, count).start,
                                previous_period(unit, ctx.as_of).end))
    return found_range(trailing(unit, count, ctx.as_of))


def build_lnd(m: re.Match, ctx: Context) -> Found | None:
    count = _count(m["n"])
    return found_range(trailing("day", count, ctx.as_of)) if count else None


def build_whole_year(m: re.Match, ctx: Context) -> Found:
    """ "the whole year", "all year": the calendar year of the latest complete day (on January 1st,
    the year just ended; otherwise this year so far, cut at as_of like "this year")."""
    return found_range(year_range((ctx.as_of - ONE_DAY).year))


def build_previous(m: re.Match, ctx: Context) -> Found:
    unit = _unit(m["unit"])
    if unit == "fortnight":
        return found_range(trailing("day", 14, ctx.as_of))
    if unit == "day":
        return found_range(DateRange(ctx.as_of - ONE_DAY, ctx.as_of - ONE_DAY))
    return found_range(previous_period(unit, ctx.as_of, 2 if m.group().endswith("before last") else 1))


def build_current(m: re.Match, ctx: Context) -> Found:
    abbreviations = {"ytd": "year", "mtd": "month", "qtd": "quarter", "wtd": "week"}
    unit = abbreviations.get(m["abbr"] or "", None) or _unit(m["unit"])
    return found_range(to_date(unit, ctx.as_of))


def build_day(offset: int) -> Builder:
    def build(m: re.Match, ctx: Context) -> Found:
        day = ctx.as_of - dt.timedelta(days=offset)
        return found_range(DateRange(day, day))
    return build


def build_ago(m: re.Match, ctx: Context) -> Found | None:
    count, unit = _count(m["n"]), _unit(m["unit"])
    if count is None or unit == "fortnight":
        return None
    if unit in ("day", "week"):
        day = ctx.as_of - dt.timedelta(days=count * (7 if unit == "week" else 1))
    else:
        day = add_months(ctx.as_of, -count * {"month": 1, "quarter": 3, "year": 12}[unit])
    return found_range(period_of(unit, day))


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


def text_before(m: re.Match, ctx: Context, limit: int = 120) -> str:
    """The words just before a match; bounded, so long texts stay linear."""
    return ctx.text[max(0, m.start() - limit):m.start()]


def _changes_before(m: re.Match, ctx: Context) -> bool:
    """A change word before the match ("difference between May and June"); "Delta" written with a
    capital is a name (the airline), not a delta."""
    start = max(0, m.start() - 120)
    found = _CHANGE_WORDS.search(ctx.text[start:m.start()])
    if found is None:
        return False
    word = found.group().split()[0] if found.group() else ""
    if word == "delta":
        at = start + found.start()
        return not ctx.original(at, at + len(word))[:1].isupper()
    return True


def build_between(m: re.Match, ctx: Context) -> Found | None:
    # "difference between May and June" compares two periods; it is not one long period.
    if _changes_before(m, ctx):
        return None
    window = span_between(m["a"], m["b"], ctx)
    return found_range(window) if window else None


def build_day_span(m: re.Match, ctx: Context) -> Found | None:
    if _changes_before(m, ctx):
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
    return found_range(DateRange(first.range.start, last)) if last >= first.range.start else None


def build_since(m: re.Match, ctx: Context) -> Found | None:
    point = read_point(m["a"], ctx)
    if point is None:
        return None
    start = point.range.end + ONE_DAY if m["after"] else point.range.start
    return found_range(DateRange(start, max(start, ctx.as_of - ONE_DAY)))


def build_span_from(m: re.Match, ctx: Context) -> Found | None:
    """ "the 4 weeks starting June 1", "the 10 days after May 3", "the first 2 weeks of June": a count of
    days/weeks/months from a day (after it, for "after"/"following")."""
    count, unit = _count(m["n"]), _unit(m["unit"])
    point = read_point(m["a"], ctx)
    if count is None or point is None or unit not in ("day", "week", "month") or count < 1:
        return None
    start = point.range.end + ONE_DAY if m["after"] else point.range.start
    if unit == "month":
        end = add_months(start, count) - ONE_DAY
    else:
        end = start + dt.timedelta(days=count * (7 if unit == "week" else 1)) - ONE_DAY
    return found_range(DateRange(start, end))


def build_from_day(m: re.Match, ctx: Context) -> Found | None:
    """"installs from June 1": a day with no end means since that day ("from May" stays May)."""
    point = parse_point(m["a"], ctx.as_of)
    if point is None or point.kind not in ("iso_date", "us_date", "month_day", "day_month"):
        return None
    start = point.range.start
    return found_range(DateRange(start, max(start, ctx.as_of - ONE_DAY)))


_MONTH_CONTEXT = re.compile(
    r"\b(?:in|for|during|of|since|from|to|until|through|and|or|vs\.?|versus|between|before|after|early|"
    r"mid|late|whole|entire|all|last|this|on|over|by|than|with|compared|&)\s*$|,\s*$"
)


_LISTED_MONTH = re.compile(r"\s*(?:vs\.?|versus|and|or|to|through|-|–)\s*"
                           r"(?:jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)")


def build_point(m: re.Match, ctx: Context) -> Found | None:
    point = parse_point(m["a"], ctx.as_of)
    if point is None or not _point_allowed(point, m, ctx):
        return None
    return found_range(point.range)


_QUANTITY_AFTER = re.compile(
    r"\s*(?:miles?|mi|km|kilomet(?:er|re)s?|meters?|feet|ft|minutes?|mins?|hours?|hrs?|seconds?|secs?|"
    r"dollars?|usd|eur|euros?|seats?|passengers?|people|users?|installs?|flights?|events?|sessions?|"
    r"clicks?|impressions?|orders?|purchases?|units?|items?|times|x)\b")


def _point_allowed(point: Point, m: re.Match, ctx: Context) -> bool:
    before = text_before(m, ctx)
    if point.kind == "year":  # a bare number like 2026 is a year only after "in", "for", ...
        if _QUANTITY_AFTER.match(ctx.text[m.end():]):
            return False  # "flights over 2000 miles", "more than 2013 users": a quantity
        return bool(re.search(r"\b(?:in|for|during|of|throughout|over|year|and|vs\.?|versus)\s*$", before))
    if point.kind == "month" and m["a"].strip().rstrip(".") == "may":
        # "may" is usually the verb: a month only after "in", "for", ... or written "May" (not "May I").
        written = ctx.original(m.start("a"), m.end("a"))
        after = ctx.text[m.end():]
        if re.match(r"\s*(?:i|we|you|be|have|not|it|they|he|she|also|still|need|want|help|show)\b", after):
            return False
        # a terse "arpu may", "installs may 2026": the last word (or with a year) is the month
        at_end = re.match(r"\s*(?:\d{4}\s*)?[?.!]*\s*$", after)
        # "installs may vs june", "may and june": listed with another month
        listed = _LISTED_MONTH.match(after)
        return (bool(_MONTH_CONTEXT.search(before)) or written.startswith("May") or bool(at_end)
                or bool(listed))
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


def build_named_grain(m: re.Match, ctx: Context) -> Found:
    """"which month had the most installs", "top 3 days": rank the periods of that grain.

    Only the unit is consumed: "which" and "top 3" are for the planner.
    """
    return Found("grain", grain=m["unit"], span=(m.start("unit"), m.end()))


def build_unit_grain(m: re.Match, ctx: Context) -> Found:
    """"by install month", "by cohort week": the whole phrase is the grain."""
    return Found("grain", grain=m["unit"])


def build_trend(m: re.Match, ctx: Context) -> Found:
    return Found("trend")


def build_compare_count(m: re.Match, ctx: Context) -> Found | None:
    """"vs the previous 30 days": that many units just before the range (resolved by the resolver)."""
    count, unit = _count(m["n"]), _unit(m["unit"])
    if count is None or unit == "fortnight":
        return None
    return Found("compare_count", unit=unit, count=count)


def build_compare(kind: str) -> Builder:
    def build(m: re.Match, ctx: Context) -> Found:
        unit = m.groupdict().get("unit") or m.groupdict().get("unit2")
        return Found(kind, unit=_unit(unit) if unit else None)
    return build
