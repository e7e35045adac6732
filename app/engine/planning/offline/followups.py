"""Follow-ups edit the previous turn's semantic query instead of re-reading the text.

"just iOS" replaces the platform filter, "by week" changes the time axis, "and
revenue instead?" swaps the metric, "same for June" moves the period, "as a
line chart" changes the chart, "compare with Android" widens a filter into a
grouping. Each edit is one small function over (query fields, reading).
"""
from __future__ import annotations

import re

from app.engine.nlp.timeexpr_periods import DateRange, preceding
from app.engine.planning.offline.words import COMPARE_CUE, FOLLOWUP_START, REFERENT_WORDS
from app.engine.planning.plan import SemanticQueryPlan
from semantic_layer import METRIC_TIME, Filter, SemanticQuery

_REPLACE_METRIC = re.compile(r"\b(?:instead|rather|switch|what\s+about|how\s+about|change|replace|swap)\b")
_ADD = re.compile(
    r"^\s*and\b|\b(?:also|too|as\s+well|plus|add|along\s+with|together\s+with|alongside|include)\b"
)
_ADD_VALUE = re.compile(r"\b(?:also|too|as\s+well|plus|add|along\s+with|together\s+with|alongside|include)\b")
_VERSUS_BEFORE = re.compile(
    r"\b(?:vs\.?|versus|compar\w*|against|relative\s+to)\b.*\b(?:before|previous|prior|"
    r"preceding|earlier|last)\b"
)
_INSTEAD_OF = re.compile(r"\b(?:instead\s+of|rather\s+than|not|no\s+longer|without(?:\s+the)?)\s+"
                         r"(?:by\s+|per\s+|the\s+)?"
                         r"$")
_DROP_NAMED_FILTER = re.compile(r"\b(?:remove|drop|clear|undo|forget|get\s+rid\s+of|lose)\b.*\bfilter\b")
_CLEAR_FILTERS = re.compile(r"\b(?:remove|drop|clear|without|no)\s+(?:the\s+|any\s+|all\s+)?filters?\b")


def previous_semantic(previous_plans) -> SemanticQueryPlan | None:
    for plan in reversed(previous_plans or ()):
        if getattr(plan, "kind", None) == "semantic_query":
            return plan
    return None


def looks_like_followup(reading, has_metric: bool) -> bool:
    """Starts like a continuation, or names no metric (so it must edit something), or points back."""
    if FOLLOWUP_START.search(reading.folded) or not has_metric:
        return True
    words = re.findall(r"[a-z0-9']+", reading.folded)  # "them?" is "them"
    return bool(set(words) & REFERENT_WORDS) and len(words) <= 8


def edit_query(
    previous: SemanticQueryPlan, reading, metrics: tuple[str, ...], groupings, compared_dims, model=None
) -> dict:
    """The previous query's fields with this turn's changes applied (a dict for SemanticQuery)."""
    query = previous.query
    old = query.filters if model is None else _other_roles(query.filters, reading, model)
    fields = {"metrics": _metrics(query.metrics, metrics, reading),
              "filters": _regrouped(_filters(old, reading, compared_dims), reading, groupings),
              "dimensions": _dimensions(query, reading, groupings, compared_dims),
              "time_range": query.time_range, "grain": query.grain}
    _time(fields, reading)
    fields["dimensions"] = _unpinned(fields["dimensions"], fields["filters"], groupings, compared_dims)
    return fields


def _metrics(old: tuple[str, ...], new: tuple[str, ...], reading) -> tuple[str, ...]:
    if not new:
        return old
    if _REPLACE_METRIC.search(reading.folded) or not _ADD.search(reading.folded):
        return new
    return tuple(dict.fromkeys(old + new))


def _other_roles(old: tuple[Filter, ...], reading, model) -> tuple[Filter, ...]:
    """ "and from Newark?" after "JetBlue out of JFK": the airport's name and its code pick the same
    thing (the flight's origin), so a new value of one replaces a filter on the other; so do an
    airline's name and its code. Two attributes of a thing (a plane's maker and model) stay apart."""
    if _ADD_VALUE.search(reading.folded):
        return old
    named = {vf.dimension for vf in reading.value_filters}
    roles = {_role(model, dimension) for dimension in named}
    kept = []
    for f in old:
        role, key = _role(model, f.dimension)
        if f.dimension in named or not any(r == role and (k or key) for r, k in roles):
            kept.append(f)
    return tuple(kept)


def _role(model, dimension: str) -> tuple[str, bool]:
    """(the thing a dimension's value picks, whether the dimension is that thing's key column)."""
    from app.engine.nlp.values_index import plain_column

    for table in model.spec.semantic_models:
        dim = next((d for d in table.dimensions if d.name == dimension), None)
        if dim is None:
            continue
        column = plain_column(dim.column_expr)
        for entity in table.entities:
            if column is not None and plain_column(entity.column_expr) == column:
                return entity.name, True  # flights.origin: the origin airport's key
        primary = next((e.name for e in table.entities if e.type == "primary"), None)
        referenced = primary is not None and any(
            e.type == "foreign" and e.name == primary for t in model.spec.semantic_models for e in t.entities)
        return (primary, False) if referenced else (dimension, False)
    return dimension, False


def _filters(old: tuple[Filter, ...], reading, compared_dims) -> tuple[Filter, ...]:
    if _CLEAR_FILTERS.search(reading.folded):
        old = ()
    if _DROP_NAMED_FILTER.search(reading.folded):  # "drop the US filter": that dimension's filter goes
        named = {vf.dimension for vf in reading.value_filters}
        return tuple(f for f in old if f.dimension not in named)
    kept = {f.dimension: f for f in old}
    adding = bool(_ADD_VALUE.search(reading.folded)) or bool(compared_dims)
    for vf in reading.value_filters:
        previous = kept.get(vf.dimension)
        if previous is not None and adding and previous.op in ("=", "in") and vf.op in ("=", "in"):
            values = tuple(dict.fromkeys(previous.values + tuple(vf.values)))
            kept[vf.dimension] = Filter(
                dimension=vf.dimension, op="in" if len(values) > 1 else "=", values=values
            )
        else:
            kept[vf.dimension] = Filter(dimension=vf.dimension, op=vf.op, values=tuple(vf.values))
    return tuple(kept.values())


def _regrouped(filters, reading, groupings) -> tuple:
    """ "now by platform" / "all platforms" after "iOS installs": the grouping replaces the platform
    filter."""
    named = {vf.dimension for vf in reading.value_filters}
    grouped = {g.dimension for g in groupings} - named
    return tuple(f for f in filters if f.dimension not in grouped)


def _dimensions(query, reading, groupings, compared_dims) -> tuple[str, ...]:
    # "by month instead of by source": the grouping named after "instead of" goes
    dropped = {g.dimension for g in groupings if _INSTEAD_OF.search(reading.folded[:g.span[0]])}
    old = tuple(d for d in query.dimensions if d not in dropped)
    new = tuple(g.dimension for g in groupings if g.dimension not in dropped) + tuple(compared_dims)
    if not new:
        return old
    keep_time = tuple(d for d in old if d == METRIC_TIME)
    base = old if _ADD.search(reading.folded) or compared_dims else keep_time
    return tuple(dict.fromkeys(base + new))


def _time(fields: dict, reading) -> None:
    from app.engine.planning.offline.shape import time_axis, unit_grain

    time_range, grain = time_axis(reading)
    if reading.time.all_time:
        fields["time_range"] = None
    elif time_range is not None:
        fields["time_range"] = time_range
    elif fields["time_range"] is not None and _VERSUS_BEFORE.search(reading.folded):
        # "vs the month before" after "revenue in June": May and June, one row each.
        start, end = fields["time_range"]
        grain = grain or unit_grain(start, end)
        fields["time_range"] = (preceding(DateRange(start, end)).start, end)
    if grain is not None:
        fields["grain"] = grain
        if METRIC_TIME not in fields["dimensions"]:
            fields["dimensions"] = (METRIC_TIME,) + tuple(fields["dimensions"])


def _unpinned(dims, filters, groupings, compared_dims) -> tuple[str, ...]:
    """Drop a grouping that a single-value filter now pins ("only Android" after "by platform")."""
    asked = {g.dimension for g in groupings} | set(compared_dims)
    pinned = {f.dimension for f in filters if f.op == "=" and f.dimension not in asked}
    return tuple(d for d in dims if d not in pinned)


def is_compare_followup(reading) -> bool:
    return bool(COMPARE_CUE.search(reading.folded))


_THOSE = re.compile(r"\b(?:those|these|them|their|its|the\s+same)\b(?:\s+\d+|\s+(?:ones|rows))?")


def same_rows(previous: SemanticQuery, metrics: tuple[str, ...], reading) -> tuple[str, ...] | None:
    """The metrics to show when a follow-up asks a new metric of the previous answer's rows ("what's
    the ROAS for those 5?" after "top 5 campaigns by spend"): the previous ranking metric stays (it
    picks the rows), the new metric is added; None when the turn does not refer back to a top-N."""
    if reading.ranking is not None or previous.limit is None or not previous.order_by:
        return None
    found = _THOSE.search(reading.folded)
    ranked_by = tuple(o.field for o in previous.order_by if o.field in previous.metrics)
    if found is None or not ranked_by or all(m in metrics for m in ranked_by):
        return None
    reading.consume(found.span())
    return tuple(dict.fromkeys(ranked_by + metrics))


# "how many of those were cancelled?", "and for them?": words pointing back at an earlier answer
_BACK_REFERENCE = re.compile(r"\b(?:of|for|among|from|to)\s+(?:those|them|these|that\s+list)\b"
                             r"(?!\s+(?:who|that|which|with|whose|where|in|from|on|of)\b)")


def dangling_reference(reading) -> str | None:
    """The back-reference of a question that has no earlier answer to point to, or None."""
    opener = _WHAT_ABOUT.match(reading.folded)
    if opener is not None and any(m.reading("metric") for m in reading.matches):
        # "what about the delays?" asks about a metric instead of what came before (with no metric,
        # "what about iOS?" is asked which metric, with options)
        return reading.text[opener.start("what"):opener.end()]
    found = _BACK_REFERENCE.search(reading.folded)
    if found is None or not _OPENING.match(reading.folded[:found.start()]):
        return None  # "Q1 installs by media source: how many of them ...": named in the question itself
    return reading.text[found.start():found.end()]


_WHAT_ABOUT = re.compile(r"^\s*(?:(?:and|so|ok(?:ay)?|then)\b[\s,]*)?(?P<what>(?:what|how)\s+about)\b")
# what may come before a back-reference that opens a question ("and how many of those ...")
_OPENING = re.compile(r"^\s*(?:(?:and|so|ok(?:ay)?|then|also|now|but)\b[\s,]*)?(?:how\s+many|how\s+much|what|"
                      r"which|who|show\s+me|list|what\s+(?:share|percent(?:age)?|fraction))?(?:\s+\w+){0,2}?\s*$")
