"""One metric divided by another per row (the semantic query's ``divide``).

- "revenue per install for the January cohort", "sessions per active user by country": two metrics
  joined by "per" when the model defines no metric for that quotient;
- "what share of people who installed in February have ever paid", "what fraction of Q1 installs
  became paying users": a count of the cohort's members divided by the cohort's size (the row count
  of the model's cohort table);
- "what % of active users paid in May", "of the users active in June, what proportion paid": a
  count divided by the population it is a part of (the metric named after "of" / "among").

Only counts of people or rows are divided as shares; "per" divides any two metrics.
"""
from __future__ import annotations

import itertools
import re

from app.engine.planning.offline.defaults import cohort_size_metric
from app.engine.planning.offline.shares import SHARE_CUE
from semantic_layer import SemanticQuery
from semantic_layer.query import DIVIDED_INFIX

_PER = re.compile(r"^\s*(?:per|for\s+each|for\s+every|each|/)\s+(?:single\s+|one\s+)?$")
_OF_POPULATION = re.compile(r"\b(?:of|among|out\s+of)\s+"
                            r"(?:the\s+|all\s+(?:the\s+)?|our\s+|those\s+|these\s+)?(?:[\w']+\s+){0,2}$")


def divided_query(query: SemanticQuery, reading, model) -> SemanticQuery:
    """``query`` with ``divide`` set when the question asks for one metric per or as a share of another."""
    if query.share is not None or query.count_groups or query.divide or query.per_period:
        return query
    per = _per_pair(query, reading, model)
    if per is not None:
        return _divided(query, per)
    cue = SHARE_CUE.search(reading.folded)
    if cue is None:
        return query
    counts = [m for m in query.metrics if _is_count(model, m)]
    if len(query.metrics) == 2 and len(counts) == 2:
        population = _population(query, reading, cue)
        if population is not None:
            part = next(m for m in query.metrics if m != population)
            reading.consume(cue.span())
            return _divided(query, (part, population))
    if len(query.metrics) == 1 and counts and query.cohort is not None:
        size = cohort_size_metric(model)
        # a filter of the part's own rows ("made a purchase in May": events) is what the members did;
        # the cohort's size counts every member (docs/semantic-layer.md, "Cohorts")
        if size is not None and size != counts[0]:
            reading.consume(cue.span())
            return _divided(query, (counts[0], size))
    return query


def _divided(query: SemanticQuery, pair: tuple[str, str]) -> SemanticQuery:
    metrics = tuple(dict.fromkeys(query.metrics + pair))
    column = f"{pair[0]}{DIVIDED_INFIX}{pair[1]}"  # SemanticQuery.divided_column
    order = tuple(o.model_copy(update={"field": column}) if o.field in pair else o for o in query.order_by)
    return query.model_copy(update={"metrics": metrics, "divide": pair, "order_by": order})


def _per_pair(query: SemanticQuery, reading, model) -> tuple[str, str] | None:
    """ "revenue per install": the two metrics either side of "per", when no metric is their quotient.
    Any mention counts ("Jan installers: revenue per install" names installs twice)."""
    mentions = sorted(((m.span, name) for m in reading.matches
                       if (name := m.reading("metric")) in query.metrics), key=lambda item: item[0])
    if len({name for _, name in mentions}) != 2:
        return None
    for (a, first), (b, second) in itertools.pairwise(mentions):
        if first == second or _PER.match(reading.folded[a[1]:b[0]]) is None:
            continue
        if _defined_ratio(model, first, second):
            return None
        reading.consume((a[1], b[0]))
        return first, second
    return None


def _defined_ratio(model, numerator: str, denominator: str) -> bool:
    return any(m.type == "ratio" and _name(m.type_params.numerator) == numerator
               and _name(m.type_params.denominator) == denominator for m in model.metrics.values())


def _name(ref) -> str:
    return getattr(ref, "name", ref)


def _population(query: SemanticQuery, reading, cue) -> str | None:
    """The metric the share is taken of: named right after "of"/"among" (before or after the cue)."""
    for match in sorted(reading.matches, key=lambda m: m.start):
        name = match.reading("metric")
        before = reading.folded[max(0, match.start - 40):match.start]
        if name in query.metrics and _OF_POPULATION.search(before):
            return name
    return None


def _is_count(model, name: str) -> bool:
    metric = model.metrics.get(name)
    return metric is not None and metric.type == "simple" and (metric.units or "") == "count"
