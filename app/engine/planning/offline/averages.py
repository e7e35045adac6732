"""Grain words that change what is computed, not just how it is bucketed.

- "average daily spend in April", "mean weekly installs", "installs per day on average": the mean
  of the per-period totals, one number (``per_period``), not a daily series;
- "overall impressions for playable campaigns", "total spend on Facebook campaigns": one number;
  a plural mention ("campaigns") describes the population, it is not a breakdown.
"""
from __future__ import annotations

import re

from semantic_layer import METRIC_TIME, SemanticQuery

_UNIT = {"day": "day", "daily": "day", "week": "week", "weekly": "week", "month": "month",
         "monthly": "month", "quarter": "quarter", "quarterly": "quarter"}
_AVERAGE = r"(?:average|avg|mean|typical|usual|normal)"
_ORDER = {"day": 0, "week": 1, "month": 2, "quarter": 3}
# the bucket the averages are shown by: "average installs per day, for each month this year"
_BUCKET = re.compile(r"\b(?:for\s+each|in\s+each|each|every|by|per)\s+(?P<b>week|month|quarter)\b|"
                     r"\b(?P<b2>weekly|monthly|quarterly)\b|\b(?:week|month|quarter)\s+by\s+(?P<b3>week|month|quarter)\b")
_PERIOD = r"daily|weekly|monthly|quarterly|(?:per|a|each|every)\s+(?:day|week|month|quarter)"
_PER_PERIOD = re.compile(
    rf"\b{_AVERAGE}\s+(?:[\w']+\s+){{0,6}}?(?P<u1>{_PERIOD})\b"  # "average daily spend", "avg spend per day"
    rf"|\b(?P<u2>{_PERIOD})\s+(?:\w+\s+){{0,3}}?on\s+(?:an?\s+)?{_AVERAGE}\b"  # "per day on average"
    rf"|\bon\s+(?:an?\s+)?{_AVERAGE}\s*,?\s+(?:\w+\s+){{0,6}}?(?P<u3>{_PERIOD})"
    rf"\b"  # "on average, ... per day"
    rf"|\b(?P<u5>{_PERIOD})\s+(?:[\w']+\s+){{0,4}}?averag(?:ing|ed|es)\b"  # "installs a day was X averaging"
    rf"|\b(?P<u6>{_PERIOD})\s+{_AVERAGE}\b"  # "daily average of organic installs"
    rf"|\b(?:an?|the|on\s+an?)\s+{_AVERAGE}\s+(?P<u4>day|week|month)\b"  # "on an average day"
)
_TOTAL = re.compile(r"\b(?:overall|in\s+total|total|all\s+together|altogether|combined|all\s+told|summed|"
                    r"blended|"
                    r"(?:one|a\s+single|single|1)\s+(?:number|figure|value)|"
                    r"sum\s+of|grand\s+total|aggregate)\b")


_ONE_NUMBER = re.compile(r"(?:one|a\s+single|single|1)\s+(?:number|figure|value)")


def per_period_query(query: SemanticQuery, reading) -> SemanticQuery:
    """The mean of per-period totals when the question asks for an average day/week/month."""
    match = _PER_PERIOD.search(reading.folded)
    if match is None or not query.metrics or query.share is not None:
        return query
    written = next(match[g] for g in ("u1", "u2", "u3", "u4", "u5", "u6") if match[g])
    unit = _UNIT.get(written.split()[-1])
    if unit is None:
        return query
    reading.consume(match.span())
    if all(m in reading.averaged for m in query.metrics):
        return query  # "average DAU per month": DAU is already an average; the words ask for nothing more
    bucket = _coarser_bucket(reading, match, unit)
    if bucket is not None:  # the mean daily installs of each month: a series of averages
        dims = query.dimensions if METRIC_TIME in query.dimensions else (METRIC_TIME, *query.dimensions)
        return query.model_copy(update={"per_period": unit, "grain": bucket, "dimensions": dims,
                                        "order_by": ()})
    base = _without_time_axis(query) if query.grain in (None, unit) else query
    return base.model_copy(update={"per_period": unit})


def _coarser_bucket(reading, per_period_match, unit: str) -> str | None:
    start, end = per_period_match.span()
    for m in _BUCKET.finditer(reading.folded):
        if start <= m.start() < end:
            continue
        bucket = m["b"] or _UNIT.get(m["b2"] or "") or m["b3"]
        if bucket and _ORDER[bucket] > _ORDER.get(unit, 9):
            reading.consume(m.span())
            return bucket
    return None


def totals_query(query: SemanticQuery, reading, groupings) -> SemanticQuery:
    """One number when the question asks for the total and names no breakdown cue ("by", "per", ...)."""
    match = _TOTAL.search(reading.folded)
    if match is None:
        return query
    if not query.dimensions:  # one number already: "one blended number" says just that
        reading.consume(*(m.span() for m in _TOTAL.finditer(reading.folded)))
        return query
    if _ONE_NUMBER.fullmatch(match.group()):  # "just one number please": whatever else was said
        reading.consume(match.span())
        return query.model_copy(update={"dimensions": (), "grain": None, "order_by": (), "limit": None})
    uncued = {g.dimension for g in groupings if not g.cued}
    if not uncued:
        return query
    reading.consume(match.span())
    dims = tuple(d for d in query.dimensions if d not in uncued)
    return query.model_copy(update={"dimensions": dims, "order_by": (), "limit": None})


def _without_time_axis(query: SemanticQuery) -> SemanticQuery:
    return query.model_copy(update={"dimensions": tuple(d for d in query.dimensions if d != METRIC_TIME),
                                    "grain": None, "order_by": tuple(o for o in query.order_by
                                                                     if o.field != METRIC_TIME)})
