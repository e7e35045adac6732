"""The roles a model's metrics and dimensions play, read from the model's structure, not names.

"Count of each event type", "the 10 most popular destinations", "purchases last month" name rows of
a table, not a metric: the answer counts the rows of the table that holds the dimension. A table
holding foreign keys (a fact table: installs, events, flights) is preferred to the tables it points
at (campaigns, airlines) for a dimension both declare. "The most expensive campaigns" ranks by the
model's spend: its summed currency metric whose best is its lowest. Likewise the counting metrics,
the people and events, the averaged metrics and the unit prices below.

Roles that depend on the model alone are worked out once per loaded model (``_per_model``), not
per question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from app.engine.planning.offline.vocabulary import vocabulary

_per_model = lru_cache(maxsize=16)  # a loaded model is immutable; a server holds one or two
_CURRENCIES = frozenset({"usd", "eur", "gbp", "jpy", "inr", "brl", "cad", "aud", "$", "€", "£", "currency"})


def money_metric(model, name: str) -> bool:
    """A metric in a currency (its units), whatever it aggregates."""
    metric = model.metrics.get(name)
    return metric is not None and (metric.units or "").lower() in _CURRENCIES


def row_count_metric(model, dimension: str) -> str | None:
    """The metric counting the rows of the table that holds ``dimension`` (fact tables first)."""
    holders = [t for t in model.spec.semantic_models if any(d.name == dimension for d in t.dimensions)]
    holders.sort(key=lambda t: not any(e.type == "foreign" for e in t.entities))
    return next((found for table in holders if (found := table_row_count_metric(model, table.name))), None)


def table_row_count_metric(model, table_name: str) -> str | None:
    """The unfiltered metric counting the rows of one table (installs for the installs table)."""
    for table in (t for t in model.spec.semantic_models if t.name == table_name):
        for name, metric in model.metrics.items():
            if metric.type != "simple" or metric.filter or metric.type_params.measure not in model.measures:
                continue
            owner, measure = model.measures[metric.type_params.measure]
            if owner.name == table.name and _counts_rows(owner, measure):
                return name
    return None


def cohort_size_metric(model) -> str | None:
    """The metric counting the rows of the model's cohort table (installs): a cohort's size."""
    cohort = model.spec.cohort
    return table_row_count_metric(model, cohort.semantic_model) if cohort is not None else None


def spend_metric(model, lower_is_better: frozenset[str]) -> str | None:
    """ "the most expensive campaigns": the model's summed money metric that is a cost."""
    for name in sorted(lower_is_better):
        metric = model.metrics.get(name)
        if metric is None or metric.type != "simple" or (metric.units or "").lower() not in _CURRENCIES:
            continue
        measure = model.measures.get(metric.type_params.measure)
        if measure is not None and measure[1].agg == "sum":
            return name
    return None


@_per_model
def income_metric(model) -> str | None:
    """ "how much money did we make": the model's unfiltered summed money metric whose best is its
    highest (revenue), when there is exactly one."""
    best_low = lower_is_better(model)
    found = []
    for name, metric in model.metrics.items():
        if metric.type != "simple" or metric.filter or name in best_low:
            continue
        measure = model.measures.get(metric.type_params.measure)
        if (metric.units or "").lower() in _CURRENCIES and measure is not None and measure[1].agg == "sum":
            found.append(name)
    dated = [n for n in found if model.measures[model.metrics[n].type_params.measure][1].agg_time_dimension]
    found = dated or found  # a snapshot (predicted value) is no income
    return found[0] if len(found) == 1 else None


def _counts_rows(table, measure) -> bool:
    if measure.agg == "count":
        return True
    keys = {e.column_expr for e in table.entities if e.type in ("primary", "unique")}
    return measure.agg == "count_distinct" and measure.column_expr in keys


@_per_model
def counted_by_value(model) -> frozenset[str]:
    """Dimensions whose value alone says what to count ("purchases last month" counts the events
    named purchase): an event-name dimension of any model, plus the model's
    ``vocabulary.counted_by_value`` (the demo adds fraud_type: "bot installs" are fraud installs)."""
    return _event_names(model) | frozenset(model.spec.vocabulary.counted_by_value)


@_per_model
def event_tables(model) -> frozenset[str]:
    """Tables of events: those with an event-name dimension."""
    names = _event_names(model)
    return frozenset(t.name for t in model.spec.semantic_models if any(d.name in names for d in t.dimensions))


def event_dimensions(model) -> frozenset[str]:
    """The model's event-name dimensions ("event_name", "action")."""
    return _event_names(model)


def _event_names(model) -> frozenset[str]:
    return frozenset(name for name, dim in model.dimensions.items()
                     if dim.type == "categorical" and name.lower() in _EVENT_NAMES)


_EVENT_NAMES = frozenset({"event", "event_name", "event_type", "events", "action", "action_name"})


def counting_metric(model, dimension: str) -> str | None:
    """The model's metric counting a dimension's members ("how many campaigns" -> campaign_count):
    a distinct count of its column, or the row count of the table it labels (campaign_name labels
    the campaigns table: one row per campaign)."""
    return _counting_metrics(model).get(dimension)


def counted_dimension(model, metric: str) -> str | None:
    """The dimension whose members ``metric`` counts (the inverse of :func:`counting_metric`)."""
    if metric.startswith("count_distinct:"):
        return metric.split(":", 1)[1]
    return next((d for d, counting in _counting_metrics(model).items() if counting == metric), None)


@_per_model
def _counting_metrics(model) -> MappingProxyType:
    """{dimension: the metric counting its members}, in the model's dimension order."""
    found = {d: m for d in model.dimensions if (m := _counting_metric(model, d)) is not None}
    return MappingProxyType(found)


def _counting_metric(model, dimension: str) -> str | None:
    for table in model.spec.semantic_models:
        dim = next((d for d in table.dimensions if d.name == dimension), None)
        if dim is None:
            continue
        labels = {f"{e.name}_name" for e in table.entities if e.type == "primary"} | {"name"}
        for name, metric in model.metrics.items():
            if metric.type != "simple" or metric.filter or metric.type_params.measure not in model.measures:
                continue
            owner, measure = model.measures[metric.type_params.measure]
            if owner.name != table.name:
                continue
            if measure.agg == "count_distinct" and measure.column_expr.strip() == dim.column_expr.strip():
                return name
            if measure.agg == "count" and dimension in labels:
                return name
    return None


@_per_model
def people_metrics(model) -> tuple[str | None, str | None]:
    """(people, daily people): the unfiltered distinct count of users over the events table ("active
    users"), and the same counted per day first (a ``rollup``: DAU); None where the model has none."""
    events = event_tables(model)
    people = daily = None
    for name, metric in model.metrics.items():
        if metric.type != "simple" or metric.type_params.measure not in model.measures:
            continue
        table, measure = model.measures[metric.type_params.measure]
        if metric.filter and measure.rollup is None:
            continue  # people doing one thing (payers) are not the active people
        keys = {e.column_expr for e in table.entities}
        if table.name not in events or measure.agg != "count_distinct" or measure.column_expr not in keys:
            continue  # a distinct count of the users' key, not of an expression (paying users)
        if measure.rollup is None and people is None:
            people = name
        elif measure.rollup is not None and daily is None:
            daily = name
    return people, daily


@_per_model
def people_key(model) -> str | None:
    """The entity the people metric counts ("user": active users are distinct user_id), which a query
    may group by to keep the people passing a condition ("users who spent more than $100")."""
    people = people_metrics(model)[0]
    if people is None or people not in model.metrics:
        return None
    table, measure = model.measures[model.metrics[people].type_params.measure]
    key = next((e.name for e in table.entities if e.column_expr == measure.column_expr), None)
    return key if key in getattr(model, "entity_keys", ()) else None


@_per_model
def event_measure(model) -> str | None:
    """The measure counting the rows of the events table (what "people doing it" turns into users)."""
    for table in model.spec.semantic_models:
        if table.name in event_tables(model):
            for measure in table.measures:
                if _counts_rows(table, measure):
                    return measure.name
    return None


@_per_model
def averaged_metrics(model) -> frozenset[str]:
    """Metrics that already are averages or ratios ("average daily DAU" is DAU, "share of CTR" no
    share): ratio and derived metrics, averaged measures, and counts per day first (a rollup)."""
    found = set()
    for name, metric in model.metrics.items():
        if metric.type != "simple":
            found.add(name)
            continue
        measure = model.measures.get(metric.type_params.measure)
        if measure is not None and (measure[1].agg == "average" or measure[1].rollup is not None):
            found.add(name)
    return frozenset(found)


def plain_names(model, name: str | None) -> set[str]:
    """A metric and how people name it: a filtered count is also called by its unfiltered sibling
    ("installs" for paid installs, "revenue" for attributed revenue)."""
    metric = model.metrics.get(name or "")
    if metric is None:
        return {name} if name else set()
    names = {name}
    if metric.type == "simple" and metric.filter:
        names |= {other for other, m in model.metrics.items() if m.type == "simple" and not m.filter
                  and _base(model, m) == _base(model, metric)}
    return names


@_per_model
def unit_prices(model) -> MappingProxyType:
    """{unit: its price}: ratios of the spend metric to a count ("cheapest installs" -> CPI), with
    each count also named by its unfiltered sibling."""
    spend = spend_metric(model, lower_is_better(model))
    prices: dict[str, str] = {}
    if spend is None:
        return MappingProxyType(prices)
    for name, metric in model.metrics.items():
        parts = metric.inputs()
        if len(parts) == 2 and parts[0] == spend and metric.type in ("ratio", "derived"):
            for unit in plain_names(model, parts[1]):
                prices.setdefault(unit, name)
    return MappingProxyType(prices)


def base_metric(model, name: str | None) -> str | None:
    """installs for paid_installs: the unfiltered simple metric of a filtered one's measure, or None."""
    metric = model.metrics.get(name or "") if model is not None else None
    if metric is None or metric.type != "simple" or not metric.filter:
        return None
    return next((other for other, m in model.metrics.items() if m.type == "simple" and not m.filter
                 and m.type_params.measure == metric.type_params.measure), None)


def simple_measure(model, name: str | None):
    """(table, measure) a simple metric aggregates, or None for another metric or an unknown name."""
    metric = model.metrics.get(name or "")
    if metric is None or metric.type != "simple":
        return None
    return model.measures.get(metric.type_params.measure)


def _base(model, metric) -> tuple[str, str, str] | None:
    """What a simple metric aggregates: (table, agg, expression)."""
    found = model.measures.get(metric.type_params.measure)
    if found is None:
        return None
    table, measure = found
    return table.name, measure.agg, measure.column_expr.strip()


@_per_model
def lower_is_better(model) -> frozenset[str]:
    """Metrics whose best is their lowest: listed in the model's ``vocabulary.lower_is_better``, or
    named for a cost or a harm ("cpi", "avg_dep_delay", "cancellation_rate"; vocabulary.yaml)."""
    harms = tuple(str(w) for w in vocabulary()["harm_words"])
    named = {name for name in model.metrics
             if any(word.startswith(harms) for word in re.split(r"[\W_]+", name.lower()))}
    return frozenset(named) | frozenset(model.spec.vocabulary.lower_is_better)


# Words for people coming back, whatever a model names its retention rates.
_RETENTION = (r"\bretention\b|\b(?:come|came|coming|comes)\s+back\b|\breturn(?:ing|ed)?\s+(?:users|players)|"
              r"\bstick(?:s|ing)?\s+around|\bstuck\s+around|\bretain\w*|\bstick(?:y|iness)\b")
_RETENTION_STEM = re.compile(r"retention|retained|retain|returning|comeback")
DAY_WINDOW = re.compile(r"(?P<stem>[a-z][a-z0-9_]*?)_d(?P<days>\d+)")


@dataclass(frozen=True)
class Family:
    """Metrics one word can mean: a rate measured N days after an event (retention_d1, _d7, _d30),
    or a word the model's ``vocabulary.ambiguous`` lists with several metrics ("conversions")."""

    cue: re.Pattern
    names: tuple[str, ...]
    days: tuple[int, ...] = ()  # for day windows, the N of each name


@_per_model
def families(model) -> tuple[Family, ...]:
    """Day-window families read from the model's metric names (``<stem>_d<N>`` ratios, two or more),
    then the model's ambiguous words."""
    by_stem: dict[str, list[tuple[int, str]]] = {}
    for name, metric in model.metrics.items():
        found = DAY_WINDOW.fullmatch(name)
        if found and metric.type == "ratio":
            by_stem.setdefault(found["stem"], []).append((int(found["days"]), name))
    found_families = []
    for stem, members in by_stem.items():
        if len(members) < 2:
            continue
        members.sort()
        words = r"\s+".join(re.escape(w) for w in stem.split("_"))
        cue = rf"\b{words}\b" + (f"|{_RETENTION}" if _RETENTION_STEM.search(stem) else "")
        names, days = tuple(n for _, n in members), tuple(d for d, _ in members)
        found_families.append(Family(re.compile(cue), names, days))
    for phrase, names in model.spec.vocabulary.ambiguous.items():
        words = r"\s+".join(re.escape(w) for w in phrase.lower().split())
        # "conversions" is ambiguous, "conversion rate" names the rate
        cue = re.compile(rf"\b{words}(?:s|es)?\b(?!\s+(?:rate|ratio)s?\b)")
        found_families.append(Family(cue, tuple(names)))
    return tuple(found_families)


def day_window_phrases(model) -> list[tuple[str, str]]:
    """(metric, phrase) for day-window rates: retention_d7 answers to "d7 retention", "day 7 retention"
    and "day-7 retention" whatever synonyms the model lists."""
    found = []
    for family in families(model):
        for name, days in zip(family.names, family.days, strict=False):
            stem = DAY_WINDOW.fullmatch(name)["stem"].replace("_", " ")
            found += [(name, f"d{days} {stem}"), (name, f"day {days} {stem}"), (name, f"day-{days} {stem}")]
    return found
