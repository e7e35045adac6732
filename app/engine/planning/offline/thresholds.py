"""Thresholds on numeric columns: "installs with a fraud probability above 0.8", "users whose churn
risk is over 50%", "click-to-install time under 10 seconds".

A numeric dimension of the model (scores, probabilities, durations) named with a comparison and a
number becomes a filter. A probability written as a percentage ("50%", or "over 50") is a fraction.
Counting people or installs above a model's threshold counts that model's scored rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from semantic_layer import Filter, SemanticQuery

OPS = (("at least", ">="), ("no less than", ">="), (">=", ">="), ("at most", "<="), ("no more than", "<="),
        ("<=", "<="), ("above", ">"), ("over", ">"), ("more than", ">"), ("greater than", ">"),
        ("higher than", ">"), ("exceeding", ">"), ("exceeds", ">"), (">", ">"), ("below", "<"),
        ("under", "<"), ("less than", "<"), ("lower than", "<"), ("smaller than", "<"), ("<", "<"))


def op_words(ops=OPS) -> str:
    """The comparison words of ``ops`` as one regex alternation (longer phrases listed first win)."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w, _ in ops)


def operator_of(written: str, ops=OPS) -> str:
    """The operator a written comparison means: "no more than" -> "<=", "over" -> ">"."""
    return next(o for w, o in ops if re.fullmatch(re.escape(w).replace(r"\ ", r"\s+"), written))


_OP_WORDS = op_words()
_COMPARISON = re.compile(
    rf"\s*(?:(?:is|are|was|were|of|scored?|scores|scoring|rated|that\s+(?:is|are))\s+)?(?:a\s+)?"
    rf"(?P<op>{_OP_WORDS})\s*(?:a\s+|an\s+)?(?P<num>\d+(?:\.\d+)?)\s*(?P<pct>%|percent|pct)?")
# Counting what a score describes: people scored by churn/LTV, installs scored by fraud.
_SCORED_COUNT = {"churn_probability": "churn_scored_users", "ltv_p10": "ltv_scored_users",
                 "ltv_p50": "ltv_scored_users", "ltv_p90": "ltv_scored_users",
                 "fraud_probability": "fraud_scored_installs"}
_PEOPLE_COUNTS = ("active_users", "paying_users", "installs", "dau")


@dataclass(frozen=True)
class Threshold:
    filter: Filter
    span: tuple[int, int]


def find_thresholds(reading, model) -> list[Threshold]:
    """Each "<numeric dimension> <comparison> <number>" in the question."""
    numeric = {name for name, d in model.dimensions.items() if d.type == "numeric"}
    found = []
    for match in reading.matches:
        name = match.reading("dimension")
        if name not in numeric:
            continue
        comparison = _COMPARISON.match(reading.folded, match.end)
        if comparison is None:
            continue
        op = operator_of(comparison["op"])
        value = float(comparison["num"])
        if name.endswith("probability") and (comparison["pct"] or 1 < value <= 100):
            value /= 100
        found.append(
            Threshold(Filter(dimension=name, op=op, values=(value,)), (match.start, comparison.end()))
        )
    return found


def numeric_dimensions(model) -> frozenset[str]:
    return frozenset(name for name, d in model.dimensions.items() if d.type == "numeric")


def threshold_query(query: SemanticQuery, thresholds: list[Threshold], reading) -> SemanticQuery:
    """The query with the thresholds as filters, counting the scored rows when people are counted."""
    if not thresholds:
        return query
    reading.consume(*(t.span for t in thresholds))
    filters = query.filters + tuple(t.filter for t in thresholds if t.filter not in query.filters)
    scored = _SCORED_COUNT.get(thresholds[0].filter.dimension)
    metrics = query.metrics
    if scored and (not metrics or (len(metrics) == 1 and metrics[0] in _PEOPLE_COUNTS
                                   and not (scored == "fraud_scored_installs" and metrics[0] == "installs"))):
        metrics = (scored,)
    dims = tuple(d for d in query.dimensions if d not in {t.filter.dimension for t in thresholds})
    order = tuple(o for o in query.order_by if o.field in metrics or o.field in dims)
    return query.model_copy(update={"filters": filters, "metrics": metrics, "dimensions": dims,
                                    "order_by": order})
