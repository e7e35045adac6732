"""Questions that count people rather than things: "how many people opened the app yesterday".

- :func:`people_doing`: "how many people/users ..." with an event metric (sessions, events of a kind)
  counts the distinct users with those events, not the events: active users filtered like the event
  metric ("opened the app" -> users with a session_start).
- :func:`on_a_typical_day`: active users "on a typical day" are daily active users (DAU is the
  average of the daily values over a period).
"""
from __future__ import annotations

import itertools
import re

from app.engine.planning.offline.defaults import (
    cohort_size_metric,
    event_dimensions,
    event_measure,
    income_metric,
    people_metrics,
)
from semantic_layer import Filter

# The people word must be the counted noun: "how many times did people open the app" counts sessions.
_HOW_MANY = re.compile(r"\b(?:how\s+many|number\s+of|count\s+of|#\s*of)\s+"
                       r"(?:(?!(?:times|did|do|does|have|has|had|was|were|are|is)\b)[\w']+\s+){0,3}$")
_TYPICAL_DAY = re.compile(
    r"\b(?:on\s+|in\s+)?(?:a|an|the)\s+(?:typical|average|normal|usual|regular|ordinary)\s+day\b"
)


def people_doing(metrics: tuple[str, ...], reading, model) -> tuple[tuple[str, ...], list[Filter]]:
    """(metrics, filters the event metric carried): events counted per person become distinct users."""
    people, _ = people_metrics(model)
    if people is None or not _counts_people(reading, people):
        return metrics, []
    # "how many unique users started a session": the users are named, the event says which users
    events = [m for m in metrics if m != people]
    size = cohort_size_metric(model)
    if size in events and len(events) == 2 and _OF_PEOPLE_HOW_MANY.search(reading.folded):
        events.remove(size)  # "of the May installs, how many made a purchase": the installs are the people
    if events == [size] and any(v.dimension in event_dimensions(model) for v in reading.value_filters):
        # "how many of January's installs made a purchase": members with that event, not installs
        return (people,), []
    # "of the users who installed in March, how many made a purchase": the comma ends the people
    listed = len(metrics) == 2 and _listed(reading) and not _OF_PEOPLE_HOW_MANY.search(reading.folded)
    if len(events) != 1 or len(metrics) > 2 or listed:
        return metrics, []
    metric = model.metrics.get(events[0])
    if metric is None or metric.type != "simple" or metric.type_params.measure != event_measure(model):
        return metrics, []
    return (people,), list(metric.filter)


_HOW_MUCH = re.compile(r"\bhow\s+much\b|\bwhat\s+(?:did|do|does|have|has)\b|\btotal\b|\bsum\b")


def money_of_events(metrics: tuple[str, ...], reading, model) -> tuple[tuple[str, ...], list[Filter]]:
    """ "how much money have subscriptions brought in": an income word with events counted (a filtered
    count of the income's own table) asks for the income of those events, not how many there were."""
    income = income_metric(model)
    said = any(m.weak and m.reading("metric") == income for m in reading.matches)
    if income is None or not said or len(metrics) != 1 or not _HOW_MUCH.search(reading.folded):
        return metrics, []
    metric, money = model.metrics.get(metrics[0]), model.metrics[income]
    if metric is None or metric.type != "simple" or not metric.filter:
        return metrics, []
    counted, measure = model.measures.get(metric.type_params.measure, (None, None))
    own_table, _ = model.measures[money.type_params.measure]
    if counted is None or counted.name != own_table.name or measure.agg not in ("count", "count_distinct"):
        return metrics, []
    return (income,), list(metric.filter)


def _listed(reading) -> bool:
    """ "active users and sessions": two metrics asked side by side."""
    spans = sorted(m.span for m in reading.matches if m.reading("metric"))
    return any(re.search(r"\b(?:and|plus|as\s+well\s+as|along\s+with)\b|[,&]", reading.folded[a[1]:b[0]])
               for a, b in itertools.pairwise(spans))


# a verb of doing right after the people ("had a session", "made a purchase", "ever paid")
_DID = (r"(?:(?:have|has|had|did|were|was|ever|still|actually|then|also)\s+)*"
        r"(?:had|made|did|opened|played|bought|purchased|paid|started|logged|came|returned|used|completed|"
        r"reached|spent|were|was)\b")
# "of the users who installed in March, how many have made a purchase", "how many of them bought":
# the people named first are what "how many" counts
_OF_PEOPLE_HOW_MANY = re.compile(
    r"\b(?:of|among|out\s+of)\s+(?:the\s+|all\s+(?:the\s+)?|our\s+|those\s+|these\s+)?(?:[\w']+\s+){0,2}?"
    r"(?:users|people|players|customers|installers|installs|payers|members)\b[^?.;]*?\bhow\s+many\b"
    r"(?!\s+times\b)|"
    r"\bhow\s+many\s+of\s+(?:them|those|these|the\s+(?:users|people|players|customers|installers))\b|"
    # "users who installed May 1-7: how many had a session", "how many of January's installs made a
    # purchase": people named by when they joined, then how many of them did something
    r"\b(?:users|people|players|customers|installers|installs)\s+(?:who|that|which|we)\b[^?.;]*?"
    rf"\bhow\s+many\s+{_DID}|"
    rf"\bhow\s+many\s+of\s+(?:[\w']+\s+){{0,3}}?(?:installs|installers|users|people|players)\s+{_DID}|"
    # "what % of users that installed in April made a purchase": a share of people who did something
    r"(?:%|\b(?:percent(?:age)?|share|fraction|proportion|portion))\s+of\s+(?:the\s+|our\s+|all\s+)?"
    r"(?:[\w']+\s+){0,2}?(?:(?:users|people|players|customers)\s+(?:who|that|which|we)\s+(?:first\s+)?"
    r"(?:installed|joined|signed\s+up|were\s+acquired|acquired|came\s+in)|installers|installs)\b[^?.;]*?\b"
    + _DID
)


def _counts_people(reading, people: str) -> bool:
    """ "how many (Android) people/users ...": a weak people word is the counted noun, no metric before it."""
    if _OF_PEOPLE_HOW_MANY.search(reading.folded):
        return True
    for match in reading.matches:
        if match.reading("metric") != people:
            continue
        cue = _HOW_MANY.search(reading.folded[:match.start])
        if cue and not any(
            cue.start() <= m.start < match.start for m in reading.matches if m.reading("metric")
        ):
            return True
    return False


def on_a_typical_day(metrics: tuple[str, ...], reading, model) -> tuple[str, ...]:
    """ "on a typical day last month, how many people used the app?" -> DAU over last month."""
    found = _TYPICAL_DAY.search(reading.folded)
    people, daily = people_metrics(model)
    if found is None or people not in metrics or daily is None:
        return metrics
    reading.consume(found.span())
    return tuple(dict.fromkeys(daily if m == people else m for m in metrics))
