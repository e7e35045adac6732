"""Conditions on a metric's value per group: "campaigns whose CTR was above 2% in May", "how many
campaigns spent more than $1,000 in June", "how many media sources have a fraud rate over 5%",
"how many campaigns had spend on April 27".

A metric named with a comparison and a number keeps the groups that pass (the semantic layer's
``having``); "how many <things>" then counts the groups (``count_groups``) instead of listing them.
A percentage of a ratio metric is a fraction ("2%" of CTR is 0.02); "$1,000", "1.5k" are numbers.
Thresholds on numeric columns (scores, probabilities) are filters instead (thresholds.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.engine.nlp.numbers import NUMBER_PATTERN, parse_number
from app.engine.planning.offline.defaults import (
    counted_dimension,
    money_metric,
    people_key,
    people_metrics,
    spend_metric,
)
from app.engine.planning.offline.thresholds import (
    OPS,
    declared_unit,
    op_words,
    operator_of,
    unit_after,
    unit_word_end,
)
from app.engine.planning.offline.words import COUNT_CUE
from semantic_layer import METRIC_TIME, MetricCondition, SemanticQuery

# the comparison words of thresholds.py, and a few said of amounts rather than scores
_OPS = OPS + (("bigger than", ">"), ("in excess of", ">"), ("north of", ">"), ("fewer than", "<"))
_OP_WORDS = op_words(_OPS)
_NUMBER = (r"\$?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<k>k|m)?\b\s*(?P<pct>%|percent|pct)?"
           r"(?P<cents>cents?\b|¢)?")
# after the metric: "CTR was above 2%", "spent more than $1,000", "a fraud rate over 5%"
_AFTER = re.compile(
    rf"\s*(?:(?:was|were|is|are|of|has|had|have|at|with|came\s+in|came\s+out|ran|go|goes|went|gone|get|got|"
    rf"rise|rose|climb|climbed|jump|jumped|stay|stayed|come|came|fall|fell|drop|dropped)\s+)*(?:a\s+|an\s+)?"
    rf"(?P<op>{_OP_WORDS})\s*(?:a\s+|an\s+)?{_NUMBER}")
# before the metric: "more than 1,000 installs", "over $500 in spend", "at least 5% CTR"
_BEFORE = re.compile(rf"(?P<op>{_OP_WORDS})\s*{_NUMBER}\s*(?:(?:in|of|worth\s+of)\s+)?(?:the\s+)?$")
# after the metric, the comparison last: "spent $1,000 or more", "CTR of 2% or higher"
# "or more", "or lower": the comparison written after the number; the second group means at most
_OR_MORE_WORDS = "more|over|above|higher|greater|bigger"
_OR_LESS_WORDS = ("less", "fewer", "under", "below", "lower", "smaller")
_OR_WORDS = f"{_OR_MORE_WORDS}|{'|'.join(_OR_LESS_WORDS)}"
_AFTER_OR = re.compile(
    rf"\s*(?:(?:was|were|is|are|of|has|had|have|at|with)\s+)*(?:a\s+|an\s+)?{_NUMBER}\s*"
    rf"(?:\s+or\s+(?P<post>{_OR_WORDS})|(?P<plus>\+))(?:\s+each)?\b")
_SPENT = re.compile(r"(?:spent|spend|spending)\b"
                    r"(?!\s+(?:more|less|over|under|above|below|at\s+least|at\s+most))")
_PLUS_BEFORE = re.compile(r"(?<![\w.])\$?(?P<num>\d[\d,]*)\s*(?P<k>k|m)?\s*\+\s*(?:of\s+)?(?:the\s+)?$")
# "had spend on April 27", "with any installs": more than nothing
_ANY = re.compile(r"\b(?:had|have|has|with|got|get|saw|see|recorded|showed|were|was|are|is)\s+"
                  r"(?:any\s+|some\s+)?$")
# "how many campaigns were live on May 1": live on a day = had spend that day
_LIVE = re.compile(r"\b(?:were|was|are|is|went|been)\s+(?:still\s+)?"
                   r"(?P<w>live|running|active|serving|on\s+air)\b")


@dataclass(frozen=True)
class MetricThreshold:
    condition: MetricCondition
    span: tuple[int, int]


def find_metric_thresholds(reading, model, counting: bool) -> list[MetricThreshold]:
    """Each "<metric> <comparison> <number>" (or "<comparison> <number> <metric>") in the question;
    with ``counting`` ("how many campaigns ..."), also "had <metric>" (more than zero)."""
    found = []
    for match in reading.matches:
        metric = match.reading("metric")
        if metric is None or metric not in model.metrics:
            continue
        after = _AFTER.match(reading.folded, match.end) or _AFTER_OR.match(reading.folded, match.end)
        before = _BEFORE.search(reading.folded[:match.start])
        if after is not None and _metric_follows(reading, after.end()):
            after = None  # "destinations with at least 1,000 flights": the number is the flights'
        if after is not None and "$" in after.group(0) and not money_metric(model, metric):
            # "average predicted LTV per user above $1": a dollar amount is the money metric's, not the users'
            owner = next((m for m in reversed(reading.matches) if m.end <= match.start and m.reading("metric")
                          and money_metric(model, m.reading("metric"))), None)
            if owner is None:
                continue
            metric, match = owner.reading("metric"), owner
        unit = unit_after(reading.folded, after.end()) if after is not None else None
        if unit is not None and unit != declared_unit(model, metric):
            after = None  # "flights over 2000 miles": a distance, not 2000 flights (a row threshold)
        if after is not None:
            # "an average arrival delay above 20 minutes": the metric's own unit is part of it
            end = unit_word_end(reading.folded, after.end()) if unit is not None else after.end()
            found.append(MetricThreshold(_condition(model, metric, after), (match.start, end)))
        elif before is not None:
            found.append(MetricThreshold(_condition(model, metric, before), (before.start(), match.end)))
        elif (around := _number_or_more(reading.folded, match)) is not None:
            # "campaigns with 500 installs or more": the number before the metric, the comparison after
            value, op, span = around
            found.append(MetricThreshold(MetricCondition(metric=metric, op=op, value=value), span))
        elif (plus := _PLUS_BEFORE.search(reading.folded[:match.start])) is not None:
            # "only ones with 1000+ flights", "10k+ installs": at least that many
            value = _amount(plus)
            found.append(MetricThreshold(MetricCondition(metric=metric, op=">=", value=value),
                                         (plus.start(), match.end)))
        elif counting and _SPENT.match(reading.folded, match.start) \
                and spend_metric(model, reading.lower_is_better) == metric:
            # "how many campaigns spent money in June": spent anything, more than nothing
            found.append(MetricThreshold(MetricCondition(metric=metric, op=">", value=0),
                                         (match.start, match.end)))
        elif counting and _ANY.search(reading.folded[:match.start]):
            any_cue = _ANY.search(reading.folded[:match.start])
            found.append(MetricThreshold(MetricCondition(metric=metric, op=">", value=0),
                                         (any_cue.start(), match.end)))
    if counting and not found and counts_people(reading, model):
        found += _event_counts(reading, model)
    live = _LIVE.search(reading.folded)
    spend = spend_metric(model, reading.lower_is_better)
    if counting and not found and live and reading.time.range is not None and spend \
            and not counts_people(reading, model):  # "how many users were active": not campaigns live
        found.append(MetricThreshold(MetricCondition(metric=spend, op=">", value=0), live.span()))
    return found


_NUMBER_RIGHT_BEFORE = re.compile(r"(?<![\w.])\$?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<k>k|m)?\s+$")
_OR_MORE_AFTER = re.compile(rf"\s+or\s+(?P<post>{_OR_WORDS})\b")


def _number_or_more(folded: str, match) -> tuple[float, str, tuple[int, int]] | None:
    """(value, op, span) of "<number> <metric> or more/less", else None."""
    number = _NUMBER_RIGHT_BEFORE.search(folded[:match.start])
    post = _OR_MORE_AFTER.match(folded, match.end)
    if number is None or post is None:
        return None
    return _amount(number), _or_op(post["post"]), (number.start(), post.end())


def _amount(m: re.Match) -> float:
    """A match's ``num`` with its ``k``/``m`` suffix: "1,500" -> 1500.0, "10k" -> 10000.0."""
    return float(m["num"].replace(",", "")) * {"k": 1_000, "m": 1_000_000}.get(m["k"] or "", 1)


def _or_op(post: str | None) -> str:
    """The operator of a comparison written after its number: "or more" -> ">=", "or lower" -> "<="."""
    return "<=" if post in _OR_LESS_WORDS else ">="


def _metric_follows(reading, at: int) -> bool:
    gap = re.match(r"\s*(?:of\s+|in\s+)?", reading.folded[at:]).end()
    return any(m.start == at + gap and m.reading("metric") for m in reading.matches)


def _condition(model, metric: str, m: re.Match) -> MetricCondition:
    groups = m.groupdict()
    # "$1,000 or more", "2% or lower", "1000+": the comparison after the number
    op = operator_of(m["op"], _OPS) if groups.get("op") else _or_op(groups.get("post"))
    value = _amount(m)
    if m["cents"] and getattr(model.metrics[metric], "units", None) == "USD":
        value /= 100  # "a CPI under 20 cents": $0.20
    if m["pct"] and getattr(model.metrics[metric], "units", None) == "ratio":
        value /= 100
    return MetricCondition(metric=metric, op=op, value=value)


def metric_threshold_query(query: SemanticQuery, thresholds: list[MetricThreshold], reading,
                           counted: str | None, model=None) -> SemanticQuery:
    """``query`` keeping only the groups that pass; counting them when ``counted`` names the things
    counted ("how many campaigns ..." -> campaign_name)."""
    if not thresholds or query.share is not None or query.per_period is not None:
        return query
    listed = _LISTED_PERIODS.search(reading.folded) if counted is None and not query.dimensions else None
    if listed is not None and query.time_range is not None:
        # "days last month where spend went over $2,000": the days are the groups kept
        reading.consume(*(t.span for t in thresholds), listed.span("unit"))
        return query.model_copy(update={"dimensions": (METRIC_TIME,), "grain": listed["unit"], "order_by": (),
                                        "limit": None, "having": tuple(t.condition for t in thresholds)})
    if counted is None and not query.dimensions:
        return query  # "total spend above $1,000" has no groups to keep: left unplaced, so it is asked
    conditions = tuple(t.condition for t in thresholds)
    if counted is not None and model is not None and counted == people_key(model):
        conditions = tuple(per_person(model, c, counted) for c in conditions)
        if None in conditions:
            return query  # a condition that is not about each person: left unplaced, so it is asked
        query = query.model_copy(update={"metrics": ()})
    reading.consume(*(t.span for t in thresholds))
    if counted is not None:
        dims = (counted, *(d for d in query.dimensions if d != counted))
        # the count itself (campaign count, distinct count) is what count_groups computes
        metrics = tuple(m for m in query.metrics
                        if not m.startswith("count_distinct:") and counted_dimension(model, m) is None)
        shown = tuple(m for m in metrics if m not in {c.metric for c in conditions})
        # "destinations with an average arrival delay above 20 minutes": named without a count word,
        # the groups that pass are listed, not counted
        counting = bool(_ANY_COUNT_WORD.search(reading.folded)) or counted == "metric_time"
        if not counting:  # each group shown with the value that let it pass
            shown = tuple(dict.fromkeys(shown + tuple(c.metric for c in conditions)))
        return query.model_copy(update={"dimensions": dims, "metrics": shown, "having": conditions,
                                        "count_groups": counting, "order_by": (), "limit": None})
    return query.model_copy(update={"having": conditions})


_ANY_COUNT_WORD = re.compile(r"\b(?:how\s+many|number\s+of|count|counted|counting|tally|#\s*of|no\.?\s+of)\b")
_LISTED_PERIODS = re.compile(r"\b(?P<unit>day|week|month)s\b(?:\s+[\w']+){0,3}?\s+"
                             r"(?:where|when|with|that|on\s+which|in\s+which)\b")
_COUNTED_PERIODS = re.compile(r"\b(?:how\s+many|(?:the\s+)?number\s+of|count\s+(?:of|the))\s+(?:of\s+the\s+)?"
                              r"(?P<unit>day|week|month)s\b")


_TIMES = re.compile(rf"\s*(?:[a-z]+\s+)?(?P<op>{_OP_WORDS})\s*(?:(?P<word>once|twice|thrice)\b|"
                    rf"(?P<n>{NUMBER_PATTERN})\s+times\b)")
_COUNT_BEFORE = re.compile(rf"(?P<op>{_OP_WORDS})\s*(?P<n>{NUMBER_PATTERN})\s+$")
_TIMES_WORDS = {"once": 1, "twice": 2, "thrice": 3}


def _event_counts(reading, model) -> list[MetricThreshold]:
    """ "users who bought more than once", "players with at least 3 purchases": a number of events
    of one kind per person, counted by the events' row count under the event's filter."""
    from app.engine.planning.offline.defaults import event_dimensions, event_measure, table_row_count_metric

    measure = event_measure(model)
    metric = table_row_count_metric(model, model.measure_table(measure).name) if measure else None
    if metric is None:
        return []
    found = []
    for value in reading.value_matches:
        if value.dimension not in event_dimensions(model) or value.negated:
            continue
        start, end = value.span
        after, before = _TIMES.match(reading.folded, end), _COUNT_BEFORE.search(reading.folded[:start])
        written = after or before
        if written is None:
            continue
        n = _TIMES_WORDS.get(written.groupdict().get("word") or "") or parse_number(written["n"])
        if n is None:
            continue
        op = operator_of(written["op"], _OPS)
        span = (start, after.end()) if after else (before.start(), end)
        found.append(MetricThreshold(MetricCondition(metric=metric, op=op, value=float(n)), span))
    return found


def counts_people(reading, model) -> bool:
    """ "how many users ...": the people metric named right after a counting cue, in a model whose
    people have a key to group by."""
    people = people_metrics(model)[0] if model is not None else None
    if people is None or people_key(model) is None:
        return False
    return any(m.reading("metric") == people and COUNT_CUE.search(reading.folded[:m.start])
               for m in reading.matches)


def per_person(model, condition: MetricCondition, key: str) -> MetricCondition | None:
    """``condition`` measured per person: as it is when its metric's table has the people key; what
    people spend ("users who spent more than $100") is the income metric, not the ad spend; else
    None (the condition cannot be read per person)."""
    from app.engine.planning.offline.defaults import income_metric, simple_measure

    def per_key(name: str | None) -> bool:
        table, _ = simple_measure(model, name) or (None, None)
        return table is not None and any(e.name == key for e in table.entities)

    if per_key(condition.metric):
        return condition
    income = income_metric(model)
    if money_metric(model, condition.metric) and per_key(income):
        return condition.model_copy(update={"metric": income})
    return None


def _ranked_not_counted(reading, metric: str) -> bool:
    """The counted things are ranked ("top 5 destinations by ..."), and no word asks how many there are."""

    said = [m for m in reading.matches if m.reading("metric") == metric]
    counted = any(COUNT_CUE.search(reading.folded[:m.start]) for m in said)
    return reading.ranking is not None and reading.ranking.limit is not None and not counted


def counted_groups(query: SemanticQuery, reading, model=None) -> tuple[str | None, str | None]:
    """What "how many ..." counts: (dimension, grain) -- the dimension a counting metric counts
    (campaign count: campaigns), or periods ("how many days in June had more than 1,300 installs")."""
    for metric in query.metrics:
        counted = counted_dimension(model, metric) if model is not None else None
        if counted is None and metric.startswith("count_distinct:"):
            counted = metric.split(":", 1)[1]
        if counted is not None and _ranked_not_counted(reading, metric):
            continue  # "top 5 destinations by cancellation rate, only destinations with 1,000+ flights"
        if counted is not None:
            return counted, None
    if counts_people(reading, model):
        return people_key(model), None  # "how many users spent more than $100": those passing it, counted
    periods = _COUNTED_PERIODS.search(reading.folded)
    if periods:
        reading.consume(periods.span("unit"))
        return "metric_time", periods["unit"]
    return None, None
