"""Thresholds on numeric columns: "installs with a fraud probability above 0.8", "users whose churn
risk is over 50%", "click-to-install time under 10 seconds".

A numeric dimension of the model (scores, probabilities, durations) named with a comparison and a
number becomes a filter. A probability written as a percentage ("50%", or "over 50") is a fraction.
Counting people or installs above a model's threshold counts that model's scored rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.engine.planning.offline.described import UNIT_WORDS, root
from semantic_layer import Filter, SemanticQuery
from semantic_layer.plan import simple_inputs

OPS = (("at least", ">="), ("no less than", ">="), (">=", ">="), ("at most", "<="), ("no more than", "<="),
        ("<=", "<="), ("above", ">"), ("over", ">"), ("more than", ">"), ("greater than", ">"),
        ("higher than", ">"), ("exceeding", ">"), ("exceeds", ">"), (">", ">"), ("below", "<"),
        ("under", "<"), ("less than", "<"), ("lower than", "<"), ("smaller than", "<"), ("<", "<"),
        ("longer than", ">"), ("shorter than", "<"), ("by over", ">"), ("by at least", ">="))


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
    return found + unit_thresholds(reading, model, [t.span for t in found], _root_words)


def _root_words(text: str) -> set[str]:
    return {root(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2} - _GENERIC_UNIT_WORDS


_GENERIC_UNIT_WORDS = frozenset({"minut", "hour", "mile", "second", "delay", "time"})


# "more than 2 hours late", "routes longer than 2,000 miles", "15+ min", "15 minutes or more"
_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_UNIT = (r"(?P<unit>minutes?|mins?|hours?|hrs?|h|miles?|mi|km|kilometers?|seconds?|secs?|s|days?|usd|"
         r"dollars?)\b")
_UNIT_THRESHOLD = re.compile(
    rf"\b(?:(?P<op>{_OP_WORDS})\s*{_NUMBER}\s*{_UNIT}"
    rf"|{_NUMBER.replace('num', 'num2')}\s*(?P<plus>\+)?\s*{_UNIT.replace('unit', 'unit2')}"
    rf"(?:\s+or\s+(?P<post>more|longer|later|over|less|fewer|shorter|under))?)")
# a unit as written -> (the unit family a dimension declares, the factor to it)
_UNITS = {"minute": ("minutes", 1), "min": ("minutes", 1), "hour": ("minutes", 60), "hr": ("minutes", 60),
          "h": ("minutes", 60), "second": ("seconds", 1), "sec": ("seconds", 1), "s": ("seconds", 1),
          "mile": ("miles", 1), "mi": ("miles", 1), "km": ("km", 1), "kilometer": ("km", 1),
          "day": ("days", 1), "usd": ("usd", 1), "dollar": ("usd", 1)}
# a unit as a model declares it ("minutes", "min", "USD", "$") -> its family: described.UNIT_WORDS
_DECLARED = {**{word: unit for unit, words in UNIT_WORDS.items() for word in (unit, *words)}, "s": "seconds"}


def unit_thresholds(reading, model, taken: list[tuple[int, int]], words_of) -> list[Threshold]:
    """A comparison with a number in a unit ("more than 2 hours late") on the one numeric dimension
    declared in that unit, or the one of several the question's words name ("arrival"). When none
    or several fit, nothing is guessed: the words stay unplaced and the plan unsure."""
    found = []
    for m in _UNIT_THRESHOLD.finditer(reading.folded):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        number = float((m["num"] or m["num2"]).replace(",", ""))
        unit = (m["unit"] or m["unit2"]).rstrip("s") or "s"
        family, factor = _UNITS.get(unit, _UNITS.get(m["unit"] or m["unit2"], (None, 1)))
        if m["op"]:
            op = operator_of(m["op"])
        elif m["plus"] or m["post"] in ("more", "longer", "later", "over"):
            op = ">="
        elif m["post"] in ("less", "fewer", "shorter", "under"):
            op = "<="
        else:
            continue  # "15 minutes" with no comparison is no threshold
        dimension = _dimension_in(model, family, reading, words_of)
        if dimension:
            threshold = Filter(dimension=dimension, op=op, values=(number * factor,))
            found.append(Threshold(threshold, m.span()))
    return found


def _dimension_in(model, family: str | None, reading, words_of) -> str | None:
    fitting = [name for name, d in model.dimensions.items()
               if d.type == "numeric" and _DECLARED.get((d.units or "").strip().lower()) == family]
    if len(fitting) <= 1:
        return fitting[0] if fitting else None
    said = words_of(reading.folded)
    scores = {name: len(words_of(" ".join((name.replace("_", " "), *model.dimensions[name].synonyms))) & said)
              for name in fitting}
    best = max(scores.values())
    winners = [name for name, score in scores.items() if score == best]
    if len(winners) > 1:  # "delayed by 15 minutes": the dimension the named metric "delayed" filters on
        metrics = [model.metrics.get(m.reading("metric") or "") for m in reading.matches]
        named = {f.dimension for metric in metrics if metric for f in metric.filter} & set(winners)
        winners = sorted(named) if len(named) == 1 else winners
        best = best or len(named)
    return winners[0] if best and len(winners) == 1 else None


def _own_filters(model, name: str) -> list:
    """The filters a metric applies itself, through its inputs too (delay rate: delayed's filter)."""
    metric = model.metrics.get(name)
    return [f for simple in simple_inputs(model, metric) for f in simple.filter] if metric else []


def _same_filter(a: Filter, b) -> bool:
    try:
        return a.dimension == b.dimension and a.op == b.op and [float(v) for v in a.values] == [
            float(v) for v in b.values]
    except (TypeError, ValueError):
        return False


def numeric_dimensions(model) -> frozenset[str]:
    return frozenset(name for name, d in model.dimensions.items() if d.type == "numeric")


def threshold_query(query: SemanticQuery, thresholds: list[Threshold], reading, model=None) -> SemanticQuery:
    """The query with the thresholds as filters, counting the scored rows when people are counted."""
    if not thresholds:
        return query
    reading.consume(*(t.span for t in thresholds))
    # "delayed flights (15+ min late)": a threshold a metric already applies restates it
    own = [f for m in query.metrics for f in _own_filters(model, m)] if model is not None else []
    thresholds = [t for t in thresholds if not any(_same_filter(t.filter, f) for f in own)]
    if not thresholds:
        return query
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
