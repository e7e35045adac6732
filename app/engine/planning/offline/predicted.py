"""Aggregates of predictions are ordinary metrics: "average churn probability by country", "how many
TikTok installs have a fraud probability above 0.8", "total predicted LTV of the June cohort".

The prediction tables are semantic models (docs/semantic-layer.md), so such questions are
semantic queries, answered in milliseconds; only listing or explaining individual users or
installs ("who is most likely to churn", "why does i42 look fraudulent") goes to the tools.
"""
from __future__ import annotations

import re

from app.engine.planning.offline.defaults import cohort_size_metric
from app.engine.planning.offline.metrics import MetricChoice

_AGGREGATE = re.compile(
    r"\b(?:average|avg|mean|median|typical|sum|total|overall|how\s+many|number\s+of|count|"
    r"by|per|each|every|across|distribution|share|percent(?:age)?|fraction|compare|vs|"
    r"versus)\b"
)


# "top 5 Brazilian users by predicted LTV", "which installs look most fraudulent": rows are users or
# installs, so it is a listing (the tools), unless a count or average of them is asked for.
_ENTITY_LISTING = re.compile(
    r"\b(?:top|bottom|highest|lowest|best|worst|most|least|riskiest|which|who|list|show)\b"
    r"(?:\s+[\w'-]+){0,3}?\s+(?:users?|installs?|players?|customers?|people|payers|devices?)\b"
)
_COUNTED = re.compile(r"\b(?:how\s+many|number\s+of|count|average|avg|mean|median|total|sum|share|"
                      r"percent(?:age)?|fraction|proportion)\b")


_AGGREGATE_BEFORE = re.compile(r"\b(?:(?P<avg>average|avg|mean|typical)|(?P<sum>sum|total))"
                               r"\s+(?:of\s+)?(?:the\s+|our\s+)?(?:predicted\s+)?$")


def scored_columns(model) -> frozenset[str]:
    """Numeric dimensions (scores, probabilities): what thresholds and averages of predictions read."""
    return frozenset(name for name, d in model.dimensions.items() if d.type == "numeric")


def average_metric_of(model, dimension: str, agg: str = "average") -> str | None:
    """The model's metric that aggregates ``dimension`` with ``agg`` ("churn probability" ->
    avg_churn_probability; "sum of p50 LTV" -> total_predicted_ltv)."""
    for name, metric in model.metrics.items():
        if metric.type != "simple" or metric.filter:
            continue
        table, measure = model.measures.get(metric.type_params.measure, (None, None))
        column = next((d for d in (table.dimensions if table else ()) if d.name == dimension), None)
        if measure is not None and column is not None and measure.agg == agg and \
                (measure.expr or measure.name) == (column.expr or column.name):
            return name
    return None


def asks_aggregate_of_predictions(reading, model, choice: MetricChoice, thresholds) -> bool:
    """True when the question aggregates scores (or counts above a threshold) instead of listing rows."""
    if thresholds:
        return True
    if _ENTITY_LISTING.search(reading.folded) and not _COUNTED.search(reading.folded):
        return False
    scored = scored_columns(model)
    named_dims = [m.reading("dimension") for m in reading.matches if m.reading("dimension") in scored]
    named_metrics = [n for n in choice.names if _is_prediction_metric(model, n, scored)]
    return bool(named_metrics) or (bool(named_dims) and bool(_AGGREGATE.search(reading.folded)))


def prediction_choice(reading, model, choice: MetricChoice) -> MetricChoice:
    """ "churn probability by country": the average of the named score when no metric is named."""
    if any(_is_prediction_metric(model, n, scored_columns(model)) for n in choice.names):
        return choice
    if choice.names and choice.source != "weak" and not _averaged_population(reading, model, choice):
        return choice  # "how many installs have a fraud probability above 0.8" counts installs
    thresholded = {t.filter.dimension for t in reading.thresholds}
    for match in reading.matches:
        dimension = match.reading("dimension")
        if dimension in thresholded or dimension not in scored_columns(model):
            continue
        cue = _AGGREGATE_BEFORE.search(reading.folded[:match.start])
        metric = average_metric_of(model, dimension, "sum" if cue and cue["sum"] else "average")
        if metric is not None:
            reading.consume(match.span, cue.span() if cue else None)
            return MetricChoice((metric,), (match.span,), "lexical", named=((metric, match.span),))
    return choice


def _averaged_population(reading, model, choice: MetricChoice) -> bool:
    """ "avg fraud probability per media source for June installs": the installs are whose scores are
    averaged (a cohort), not a metric, when an average or sum is written right before a score."""
    if choice.names != (cohort_size_metric(model),) or _COUNT_WORDS.search(reading.folded):
        return False
    return any(m.reading("dimension") in scored_columns(model)
               and _AGGREGATE_BEFORE.search(reading.folded[:m.start]) for m in reading.matches)


_COUNT_WORDS = re.compile(r"\b(?:how\s+many|number\s+of|count)\b")


def _is_prediction_metric(model, name: str, scored: frozenset[str]) -> bool:
    metric = model.metrics.get(name)
    if metric is None or metric.type != "simple":
        return False
    table, _ = model.measures.get(metric.type_params.measure, (None, None))
    # a table that is written by scoring (and says what to do while it is missing) holds predictions
    return table is not None and bool(table.when_missing) and any(d.name in scored for d in table.dimensions)
