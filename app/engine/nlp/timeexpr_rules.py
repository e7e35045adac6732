"""The ordered table of time-expression patterns (see :mod:`app.engine.nlp.timeexpr_patterns`).

Order matters only between matches of the same length over the same words:
the longest match always wins, then the earlier rule.
"""
from __future__ import annotations

import re

from app.engine.nlp import timeexpr_parts as parts
from app.engine.nlp import timeexpr_patterns as p
from app.engine.nlp.numbers import NUMBER_PATTERN as NUM
from app.engine.nlp.timeexpr_points import DAY, MONTH, POINT, YEAR

_FULL = r"(?:(?P<full>full|complete|whole|calendar)\s+)?"
_PERIOD = r"(?P<unit>week|month|quarter|year)"
_TO = r"\s*(?:and|to|through|until|-)\s*"
_GRAIN_WORDS = {
    "day": r"(?:for\s+)?(?:each|every)\s+(?:single\s+)?(?:one\s+)?of(?=\s+(?:the\s+)?"
    r"(?:past|last|previous|prior|preceding)\s+\S+\s+days\b)|"
    r"daily|per\s+day|by\s+day|each\s+day|every\s+day|day[\s-]+by[\s-]+day|by\s+date|per\s+date|"
    r"day[\s-]+over[\s-]+day|day[\s-]+to[\s-]+day|dod|d/d|day[\s-]?wise|a\s+day(?!\s+ago)|"
    r"by\s+the\s+day",
    "week": r"(?:for\s+)?(?:each|every)\s+(?:single\s+)?(?:one\s+)?of(?=\s+(?:the\s+)?"
    r"(?:past|last|previous|prior|preceding)\s+\S+\s+weeks\b)|"
    r"weekly|per\s+week|by\s+week|each\s+week|every\s+week|week[\s-]+by[\s-]+week|"
    r"week[\s-]+over[\s-]+week|week[\s-]+to[\s-]+week|wow|w/w|w-o-w|by\s+(?:iso\s+)?weeks?|"
    r"a\s+week(?!\s+ago)|week[\s-]?wise",
    "month": r"(?:for\s+)?(?:each|every)\s+(?:single\s+)?(?:one\s+)?of(?=\s+(?:the\s+)?"
    r"(?:past|last|previous|prior|preceding)\s+\S+\s+months\b)|"
    r"monthly|per\s+month|by\s+month|each\s+month|every\s+month|month[\s-]+by[\s-]+month|"
    r"month[\s-]+over[\s-]+month|month[\s-]+to[\s-]+month|mom|m/m|by\s+months|a\s+month(?!\s+ago)|"
    r"month[\s-]?wise",
    "quarter": r"quarterly|per\s+quarter|by\s+quarters?|each\s+quarter|every\s+quarter|"
    r"quarter[\s-]+over[\s-]+quarter|qoq|q/q|quarter[\s-]+by[\s-]+quarter",
    "year": r"yearly|annually|per\s+year|by\s+years?|each\s+year|every\s+year|"
    r"year[\s-]+over[\s-]+year|yoy|y/y|year[\s-]+by[\s-]+year",
}


def _rule(build: p.Builder, *parts: str) -> tuple[re.Pattern, p.Builder]:
    return re.compile("".join(parts)), build


_SINCE_POINT = rf"(?:(?:the\s+)?(?:beginning|start)\s+of\s+)?(?P<a>{POINT}|{p.RELATIVE})"
# "by day-1 retention", "by day 7 ROAS": a unit with its number is a horizon, not a grain.
_HORIZON = r"-\d|\s+\d+[\s-]*(?:retention|retained|churn|ltv|roas|arpu|revenue|payers?)\b"

RULES: tuple[tuple[re.Pattern, p.Builder], ...] = (
    _rule(
        p.build_trailing,
        r"\b(?:the\s+)?(?:last|past|previous|prior|trailing|rolling|recent|preceding|most\s+recent|"
        r"latest)\s+",
        rf"(?P<n>{NUM})\s+{_FULL}(?P<unit>{p.UNIT})\b",
    ),
    _rule(p.build_trailing, rf"\b(?P<n>{NUM})\s+{_FULL}(?P<unit>{p.UNIT})\s+(?:back|trailing|rolling)\b"),
    # "the last week (7 days)", "past month (30 days)": a day count in parentheses says which days
    _rule(
        p.build_trailing,
        r"\b(?:the\s+)?(?:last|past|previous|prior|recent)\s+(?:week|month|fortnight)\s*\(\s*(?:i\.?e\.?,?\s*|"
        r"(?:the\s+)?(?:last|past)\s+)?",
        rf"(?P<n>{NUM})\s+(?P<unit>days?)\s*\)(?P<full>)",
    ),
    _rule(p.build_lnd, r"\bl(?P<n>\d{1,3})d\b"),
    _rule(
        p.build_trailing,
        r"\b(?:the\s+)?(?:last|past|previous|prior|trailing|rolling)\s+(?P<n>\d{1,4})\s?",
        r"(?P<unit>d|w|wk|m|mo|q|y|yr)\b(?P<full>)",
    ),
    _rule(p.build_day(1), r"\b(?:the\s+)?(?:last|past)\s+24\s+hours\b"),
    _rule(
        p.build_previous,
        r"\b(?:in\s+|during\s+|over\s+)?(?:the\s+)?(?:last|previous|prior|past|preceding|this\s+past|"
        r"most\s+recent|latest)",
        r"[\s-]+(?:full\s+|complete\s+|whole\s+|calendar\s+)?(?P<unit>day|week|month|quarter|year|"
        r"fortnight)\b",
    ),
    _rule(p.build_previous, rf"\b(?:the\s+)?{_PERIOD}\s+before\s+last\b"),
    _rule(p.build_whole_year, r"\b(?:(?:for|in|over|during|across)\s+)?(?:the\s+)?(?:whole|entire|full)\s+",
          r"year\b(?!\s*(?:of\s+)?\d{4})|"
          r"\ball\s+year(?:\s+long|\s+round)?\b"),
    _rule(
        p.build_current,
        rf"\b(?:so\s+far\s+)?(?:this|the\s+current|current)\s+(?:calendar\s+)?{_PERIOD}",
        r"(?:\s+so\s+far|\s+to\s+date)?\b(?P<abbr>)",
    ),
    _rule(p.build_current, rf"\b{_PERIOD}[\s-]+to[\s-]+date\b(?P<abbr>)"),
    _rule(
        p.build_current,
        rf"\b(?:for\s+|in\s+|over\s+)?the\s+{_PERIOD}\s+(?:so\s+far|to\s+date)\b(?P<abbr>)",
    ),
    _rule(p.build_current, r"\b(?P<abbr>ytd|mtd|qtd|wtd)\b(?P<unit>)"),
    _rule(
        p.build_current,
        rf"\b(?:since|from)\s+(?:the\s+)?(?:start|beginning)\s+of\s+(?:the|this)\s+{_PERIOD}",
        r"(?:\s+(?:to|until)\s+(?:now|today|date))?\b(?P<abbr>)",
    ),
    _rule(p.build_day(2), r"\b(?:the\s+)?day\s+before\s+yesterday\b"),
    _rule(p.build_day(1), r"\byesterday\b"),
    _rule(p.build_day(0), r"\b(?:so\s+far\s+)?today\b"),
    _rule(p.build_ago, rf"\b(?P<n>{NUM}|an?)\s+(?P<unit>{p.UNIT})\s+ago\b"),
    _rule(
        p.build_between,
        rf"\b(?:between|from)\s+(?P<a>{POINT}|{p.RELATIVE})\s*(?:and|to|through|until|-)\s*",
        rf"(?P<b>{POINT}|{p.RELATIVE})",
    ),
    _rule(p.build_between, rf"\b(?P<a>{POINT})\s*(?:to|through|until|-|\.\.)\s*(?P<b>{POINT})"),
    _rule(p.build_from_day, rf"\bfrom\s+(?P<a>{POINT})(?!\s*(?:to|through|until|and|-|\.\.)\s*\w)"),
    _rule(
        p.build_day_span,
        rf"\b(?:(?:between|from)\s+)?(?P<m>{MONTH})\s*(?P<d1>{DAY}){_TO}(?P<d2>{DAY})",
        rf"(?:\s*,?\s*(?P<y>{YEAR}))?",
    ),
    _rule(
        p.build_day_span,
        rf"\b(?:(?:between|from)\s+)?(?:the\s+)?(?P<d1>{DAY}){_TO}(?:the\s+)?(?P<d2>{DAY})",
        rf"\s*(?:of\s+)?(?P<m>{MONTH})(?:\s*,?\s*(?P<y>{YEAR}))?",
    ),
    _rule(
        p.build_since,
        r"\b(?:since|starting(?:\s+(?:from|in|on))?|beginning(?:\s+(?:in|on))?)\s+",
        _SINCE_POINT,
        r"(?P<after>)",
    ),
    _rule(p.build_since, r"\b(?P<after>after)\s+", _SINCE_POINT),
    # "the 4 weeks starting June 1", "10 days after May 3", "the first 2 weeks of June"
    _rule(
        p.build_span_from,
        rf"\b(?:the\s+)?(?:next\s+|first\s+|following\s+)?(?P<n>{NUM})\s+{_FULL}(?P<unit>{p.UNIT})\s+",
        r"(?:(?:starting|beginning|commencing)(?:\s+(?:from|on|with|in))?|from|since|(?P<after>after|following))\s+",
        _SINCE_POINT,
    ),
    _rule(
        p.build_span_from,
        rf"\b(?:the\s+)?first\s+(?P<n>{NUM})\s+{_FULL}(?P<unit>days?|weeks?)\s+(?:of|in)\s+(?P<after>)",
        _SINCE_POINT,
    ),
    _rule(
        p.build_since,
        r"\bfrom\s+",
        _SINCE_POINT,
        r"\s+(?:on(?:wards?)?|onward|until\s+now|to\s+(?:now|today|date))\b(?P<after>)",
    ),
    _rule(p.build_point, rf"\b(?P<a>{POINT})"),
    _rule(
        parts.build_week_of_month,
        r"\b(?:the\s+)?(?P<ord>first|1st|second|2nd|third|3rd|fourth|4th|last|final)\s+",
        rf"week\s+(?:of|in)\s+(?P<a>{MONTH}(?:\s*,?\s*{YEAR})?)",
    ),
    _rule(
        parts.build_part_of_month,
        r"\b(?:(?P<part>early|mid|late)[\s-]+|(?:the\s+|at\s+the\s+)?",
        rf"(?P<part2>beginning|start|middle|end)\s+of\s+)(?P<a>{MONTH}(?:\s*,?\s*{YEAR})?)",
    ),
    _rule(
        parts.build_half_of_month,
        r"\b(?:the\s+|in\s+the\s+)?(?P<half>first|1st|second|2nd)\s+half\s+of\s+",
        rf"(?P<a>{MONTH}(?:\s*,?\s*{YEAR})?)",
    ),
    _rule(
        parts.build_week_of,
        r"\b(?:the\s+)?week\s+(?:of|(?P<starting>starting(?:\s+on)?|beginning|from|commencing))\s+",
        rf"(?P<a>{POINT}|{p.RELATIVE})",
    ),
    _rule(
        parts.build_iso_week,
        rf"\b(?:iso\s+|calendar\s+)?(?:week|wk|cw)\s*#?(?P<n>[1-9]|[1-4]\d|5[0-3])\b(?:\s*(?:of|"
        rf",)?\s*(?P<y>{YEAR}))?",
        r"(?!\s*(?:retention|retained|churn|ltv|cohort))",
    ),  # "week 1 retention" is a metric
    _rule(
        parts.build_shift(7),
        rf"\b(?:{p.VS}\s+)?(?:the\s+)?same\s+(?:day|days|weekday)\s+(?:last|previous|the\s+previous|a|one|"
        rf"the\s+prior)\s+",
        r"week(?:\s+ago)?\b|\b(?:a|one)\s+week\s+(?:earlier|before)\b",
    ),
    _rule(
        parts.build_weekday,
        r"\b(?:(?:last|this\s+past|previous|on)\s+)?(?P<wd>",
        "|".join(parts.WEEKDAYS),
        r")\b",
    ),
    _rule(
        parts.build_season,
        r"\b(?:(?P<rel>last|this|past|previous)\s+)?(?P<s>spring|summer|autumn|winter|fall)",
        rf"(?:\s+(?:of\s+)?(?P<y>{YEAR}))?\b",
    ),
    _rule(parts.build_weekend, r"\b(?:the\s+)?(?:last|this\s+past|previous|past)\s+weekend\b"),
    _rule(
        parts.build_first_months,  # "the first six months of the year", "first 3 months of 2025"
        rf"\b(?:the\s+)?first\s+(?P<n>{NUM})\s+months?\s+of\s+",
        rf"(?:the\s+|this\s+)?(?:year|(?P<y>{YEAR}))\b",
    ),
    _rule(
        parts.build_until,  # "up to the end of June": everything until June 30
        r"(?<![\w-])(?P<kind>until|up\s+to|through|thru|till|up\s+until)\s+(?:the\s+)?end\s+of\s+",
        rf"(?P<a>{MONTH}(?:\s*,?\s*{YEAR})?)",
    ),
    _rule(
        parts.build_until,
        # not "view-through last month": a word ending in "-through" is no "until"
        r"(?<![\w-])(?P<kind>until|up\s+to|through|before|prior\s+to|up\s+until)\s+",
        rf"(?P<a>{POINT}|{p.RELATIVE})",
    ),
    _rule(
        p.build_all_time,
        r"\b(?:(?:of\s+)?all[\s-]+time|ever|lifetime|overall|(?:the\s+)?(?:entire|whole|full)\s+",
        r"(?:period|history|time\s+range|date\s+range|dataset|data\s+set)",
        r"|since\s+(?:the\s+)?(?:beginning|launch|start)(?!\s+of)|all\s+dates|all\s+the\s+data)\b",
    ),
    _rule(
        p.build_compare("compare_prev"),
        rf"\b{p.VS}\s+(?:the\s+)?(?:previous|prior|preceding|last)\s+period\b",
        rf"|\bperiod[\s-]+over[\s-]+period\b|\b{p.VS}\s+(?:the\s+)?period\s+before\b",
    ),
    _rule(
        p.build_compare_count,
        rf"\b{p.VS}\s+(?:the\s+)?(?:previous|prior|preceding)\s+",
        rf"(?P<n>{NUM})\s+(?P<unit>{p.UNIT})\b",
    ),
    _rule(
        p.build_compare("compare_unit"),
        rf"\b{p.VS}\s+(?:the\s+)?(?:previous|prior|preceding)\s+(?P<unit>day|week|month|quarter|year)\b",
        rf"|\b(?:{p.VS}|and)\s+(?:the\s+)?(?P<unit2>day|week|month|quarter|year)\s+before\b",
    ),
    _rule(
        p.build_compare("compare_year"),
        rf"\b(?:{p.VS}\s+)?(?:the\s+)?same\s+(?:period|time|days?|weeks?|months?|quarters?|dates)\s+",
        r"(?:last|previous|a|the\s+previous|the\s+prior|prior|one)\s+year(?:\s+ago)?\b",
        rf"|\b{p.VS}\s+(?:a\s+|one\s+)?year\s+(?:ago|earlier|before)\b",
    ),
    _rule(
        p.build_unit_grain,
        r"\b(?:by|per|(?:for\s+)?(?:each|every))\s+(?:the\s+)?(?:install|installation|cohort|signup|acquisition|"
        r"event|calendar|",
        r"activity|spend|iso)\s+(?P<unit>day|week|month|quarter|year)s?\b",
    ),
    _rule(
        p.build_named_grain,
        r"\b(?:which|what|best|worst|busiest|quietest|top|peak|highest|lowest|strongest|weakest|biggest|"
        r"largest|smallest|slowest|record|heaviest|lightest)",
        # not "day-7 retention" / "week 1 retention": a unit with its number is a retention horizon
        r"\s+(?:\w+\s+)?(?P<unit>day|week|month|quarter|year)s?\b(?!\s+(?:ago|before|of|to\s+date))"
        r"(?![\s-]*\d)",
    ),
    _rule(  # "which day of 2013 ...", "which month of last year ...": the period after "of" is the range
        p.build_named_grain,
        r"\b(?:which|what|best|worst|busiest|quietest|top|peak|highest|lowest|biggest|record)",
        rf"\s+(?P<unit>day|week|month|quarter)s?(?=\s+of\s+(?:the\s+)?(?:{YEAR}|last\s+year|this\s+year|"
        r"previous\s+year|the\s+year|q[1-4]|h[12]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))",
    ),
    _rule(  # "months ranked by revenue", "weeks of 2013 sorted by spend": the buckets are what is ranked
        p.build_named_grain,
        r"\b(?P<unit>day|week|month|quarter|year)s\b(?=(?:\s+(?:of|in|during)\s+[\w\s']{1,20}?)?\s+"
        r"(?:ranked|sorted|ordered|ranking)\b)",
    ),
    *(
        _rule(p.build_grain(grain), rf"(?<![\w/])(?:{words})(?![\w/])(?!{_HORIZON})")
        for grain, words in _GRAIN_WORDS.items()
    ),
    _rule(
        p.build_trend,
        r"\b(?:over\s+time|trend(?:s|ing|line)?|time[\s-]?series|timeline|evolution|evolved?",
        r"|history|historical|over\s+the\s+(?:period|months|weeks|days))\b",
    ),
)
