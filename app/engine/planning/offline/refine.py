"""Small rewrites of the named metrics that everyday phrasing needs.

- "clicks turned into installs" / "money per user": a ratio's two parts -> the ratio (CVR, ARPU);
- "cheapest installs" / "most expensive clicks": the price of the thing -> CPI / CPC / CPM;
- "what percentage of installs were fake": a share of a count's filtered rows -> the model's rate;
- "installs we lost to fraud": a metric and its own narrower version -> the narrower one.
Each rule is one function from (metrics, folded text, model) to metrics.
"""
from __future__ import annotations

import itertools
import re

from app.engine.planning.offline.casual import canonical_word
from app.engine.planning.offline.defaults import base_metric, plain_names, simple_measure, unit_prices

_PRICE_BEFORE = re.compile(
    r"\b(?:cheap\w*|expensive|costl\w*|pric(?:ey|ier|iest)|dear\w*|affordable)\s+(?:\w+\s+)?$"
)
_SHARE = re.compile(r"\b(?:(?<!\d )percent\w*|share|proportion|fraction|ratio|rate|(?<!\d )pct|chunk|portion|"
                    r"slice)\b|(?<!\d )(?<!\d)%")


def price_of_units(metrics: tuple[str, ...], folded: str, model, named=()) -> tuple[str, ...]:
    """Only a price word right before the unit counts: "cheapest installs", not "installs after we
    dropped the price"."""
    priced = {name for name, (start, _) in named if _PRICE_BEFORE.search(folded[:start])}
    if not priced:
        return metrics
    prices = unit_prices(model)
    return tuple(dict.fromkeys(prices.get(m, m) if m in priced else m for m in metrics))


def rate_of_filtered(metrics: tuple[str, ...], filters, folded: str, model):
    """ "share of installs that were fake": a share word over a count filtered the way a narrower
    metric filters it (fake -> is_fraud = true, fraud_installs) means the model's rate of that
    metric over the count (fraud_rate), without the filter. And a rate's numerator filter is never a
    filter of the rate itself (the rate of fraud among fraud installs is 100%)."""
    filters = tuple(filters)
    if len(metrics) == 1 and _SHARE.search(folded):
        for f in filters:
            rate = rate_of(model, metrics[0], f)
            if rate is not None:
                metrics = (rate,)
                break
    own = {_key(g) for m in metrics for g in _numerator_filters(model, m)}
    return metrics, tuple(f for f in filters if _key(f) not in own)


def _values(f) -> tuple[str, ...]:
    def text(v) -> str:
        try:
            return repr(float(v)) if not isinstance(v, bool) else str(v).lower()
        except (TypeError, ValueError):
            return str(v).lower()

    return tuple(text(v) for v in f.values)


def _numerator_filters(model, name: str):
    metric = model.metrics.get(name)
    if metric is None or metric.type != "ratio":
        return ()
    numerator = model.metrics.get(metric.type_params.numerator or "")
    return numerator.filter if numerator is not None and numerator.type == "simple" else ()


def _key(f) -> tuple:
    return f.dimension, f.op, _values(f)


def rate_of(model, counted: str, f) -> str | None:
    """The one ratio of a count of the same rows: its numerator is the denominator's rows filtered by
    ``f`` too, and the denominator is ``counted`` or a narrower version of it (delay rate = delayed
    / departed flights for "share of flights 15+ minutes late")."""
    base = model.metrics.get(counted)
    if base is None or base.type != "simple":
        return None
    rates = []
    for name, metric in model.metrics.items():
        if metric.type != "ratio":
            continue
        numerator = model.metrics.get(metric.type_params.numerator or "")
        denominator = model.metrics.get(metric.type_params.denominator or "")
        if numerator is None or denominator is None or {numerator.type, denominator.type} != {"simple"}:
            continue
        same = numerator.type_params.measure == denominator.type_params.measure == base.type_params.measure
        outer = {_key(g) for g in denominator.filter}
        inner = {_key(g) for g in numerator.filter}
        if same and {_key(g) for g in base.filter} <= outer and inner - outer == {_key(f)}:
            rates.append(name)
    return rates[0] if len(rates) == 1 else None


def narrower_count(model, counted: str, f) -> str | None:
    """ "flights delayed by at least 15 minutes": the one metric counting ``counted``'s rows filtered by
    ``f`` besides its own filters (delayed flights)."""
    base = model.metrics.get(counted)
    if base is None or base.type != "simple":
        return None
    own = {_key(g) for g in base.filter}
    found = [name for name, metric in model.metrics.items()
             if metric.type == "simple" and metric.type_params.measure == base.type_params.measure
             and own <= (keys := {_key(g) for g in metric.filter}) and keys - own == {_key(f)}]
    return found[0] if len(found) == 1 else None


def share_cue(folded: str) -> bool:
    return bool(_SHARE.search(folded))


_AUXILIARY_BEFORE = re.compile(r"\b(?:have|has|had|ever|never|who|that|did|already)\s+$")


def narrower_by_word(metrics: tuple[str, ...], filters, reading, model):
    """(metrics, filters): "how many Delta flights were canceled": a word the plan left over that is
    the qualifier of a narrower metric's name (cancelled_flights = flights + cancelled) asks for that
    metric. "How many installs were paid and how many were organic": when the question names the
    qualifiers of two such metrics (one left over, one read as a value), both, side by side."""
    from app.engine.nlp.text import tokens
    from app.engine.planning.offline.described import root

    filters = tuple(filters)
    if len(metrics) != 1 or _SHARE.search(reading.folded):
        return metrics, filters  # "how much of revenue was attributed to ads": a share
    base = model.metrics.get(metrics[0])
    if base is None or base.type != "simple":
        return metrics, filters
    own = {root(w) for w in metrics[0].split("_")}
    taken = list(reading.consumed) + [t.span for t in getattr(reading, "thresholds", ())]
    leftover = [t for t in tokens(reading.folded) if not any(s <= t.start and t.end <= e for s, e in taken)]
    found, used, restated = [], [], []
    for name, metric in model.metrics.items():
        if (metric.type != "simple" or metric.type_params.measure != base.type_params.measure
                or len(metric.filter) <= len(base.filter)):
            continue
        qualifiers = {root(w) for w in name.split("_")} - own
        if len(qualifiers) != 1 or not own <= {root(w) for w in name.split("_")}:
            continue
        said = [t for t in leftover if root(canonical_word(t.text)) in qualifiers
                and not _AUXILIARY_BEFORE.search(reading.folded[:t.start])]  # "have paid": a verb
        valued = [f for f in filters
                  if f.op == "=" and {root(str(v).lower()) for v in f.values} == qualifiers]
        if said or valued:
            found.append((name, bool(said)))
            used += said
            restated += valued
    if not any(left for _, left in found):
        return metrics, filters  # nothing left over names one: the values stay filters
    reading.consume(*((t.start, t.end) for t in used))
    return tuple(name for name, _ in found), tuple(f for f in filters if f not in restated)


def rate_of_subset(metrics: tuple[str, ...], folded: str, model, named=()) -> tuple[str, ...]:
    """ "percentage of delayed flights", "share of fraud installs": a share word before a count that
    is the numerator of the model's one rate over the same rows (delayed / departed flights) means
    that rate, not each group's slice of the total."""
    if len(metrics) != 1 or not _SHARE.search(folded):
        return metrics
    rates = [name for name, metric in model.metrics.items()
             if metric.type == "ratio" and metric.type_params.numerator == metrics[0]
             and _same_rows(model, metrics[0], metric.type_params.denominator)]
    return (rates[0],) if len(rates) == 1 else metrics


def _same_rows(model, numerator: str, denominator: str | None) -> bool:
    """Both count rows of one table and the numerator keeps some of them (a filtered count)."""
    def counted(name):
        found = simple_measure(model, name)
        return found[0].name if found is not None and found[1].agg in ("count", "count_distinct") else None

    table = counted(numerator)
    return table is not None and table == counted(denominator) and bool(model.metrics[numerator].filter)


_EXTREME_BEFORE = re.compile(r"\b(?P<word>longest|shortest|max(?:imum)?|min(?:imum)?|biggest|largest|"
                             r"smallest|peak)\s+(?:single\s+)?$")
_EXTREME_AGG = {"longest": "max", "biggest": "max", "largest": "max", "max": "max", "maximum": "max",
                "peak": "max", "shortest": "min", "smallest": "min", "min": "min", "minimum": "min"}
_PER_GROUP = re.compile(r"\b(?:by|per|each|every|which)\b")


def extreme_of_a_measure(metrics: tuple[str, ...], folded: str, model, named=()) -> tuple[str, ...]:
    """ "the longest departure delay": the model's maximum of the column the named metric averages
    (its sibling over the same column with agg max), not the average; never per group ("which
    carrier had the longest delays" ranks)."""
    if _PER_GROUP.search(folded):
        return metrics
    swapped = dict.fromkeys(metrics)
    for name, (start, _) in named:
        cue = _EXTREME_BEFORE.search(folded[:start])
        sibling = _sibling(model, name, _EXTREME_AGG[cue["word"]]) if cue else None
        if sibling and name in swapped:
            swapped = {(sibling if m == name else m): None for m in swapped}
    return tuple(swapped)


def _sibling(model, name: str, agg: str) -> str | None:
    found = simple_measure(model, name)
    if found is None:
        return None
    table, measure = found
    for other, candidate in model.metrics.items():
        found = model.measures.get(candidate.type_params.measure) if candidate.type == "simple" else None
        same_column = found and found[1].column_expr.strip() == measure.column_expr.strip()
        if same_column and found[0].name == table.name and found[1].agg == agg and not candidate.filter:
            return other
    return None


def narrower_wins(metrics: tuple[str, ...], folded: str, model, named=()) -> tuple[str, ...]:
    """Drop a simple metric when a filtered version of the same measure is also named."""
    def measure(name):
        metric = model.metrics.get(name)
        return metric.type_params.measure if metric is not None and metric.type == "simple" else None

    narrow = {measure(m) for m in metrics if measure(m) and model.metrics[m].filter}
    if len([m for m in metrics if measure(m) in narrow and model.metrics[m].filter]) > 1:
        return metrics  # "paid and organic installs": both narrow versions stay
    return tuple(m for m in metrics if not (measure(m) in narrow and not model.metrics[m].filter
                                            and not _listed_apart(m, named, folded)))


_LIST_JOIN = re.compile(r"^\s*(?:,|&|and|plus|as\s+well\s+as|along\s+with|vs\.?|versus)\s*"
                        r"(?:and\s+)?(?:the\s+)?$")


def _listed_apart(base: str, named, folded: str) -> bool:
    """ "flights, cancellations and avg delay": the broad metric is listed on its own next to another,
    not a word inside the narrower metric's name."""
    spans = sorted((span, name) for name, span in named)
    return any(name == base and (
        (i + 1 < len(spans) and _LIST_JOIN.match(folded[span[1]:spans[i + 1][0][0]])) or
        (i > 0 and _LIST_JOIN.match(folded[spans[i - 1][0][1]:span[0]])))
        for i, (span, name) in enumerate(spans))


_RATIO_CUE = re.compile(r"\b(?:per|each|every|a\s+single|fraction|share|percent\w*|proportion|ratio|rate|"
                        r"turn(?:ed|s)?\s+into|convert(?:ed|s)?\s+(?:in)?to|became|become|to\s+get)\b|%")
_ONE_BEFORE = re.compile(r"\b(?:a|an|one|a\s+single)\s+$")
_RATIO_FIRST = re.compile(r"\b(?:ratio|rate)\s+(?:of|between)\s+(?:the\s+|our\s+)?$")


def ratio_of_parts(named, folded: str, model) -> tuple[tuple[str, ...], bool]:
    """ "clicks turned into installs" -> CVR; "money per user" -> ARPU: two parts joined by a ratio cue."""
    for first, second in itertools.pairwise(named):
        # the cue joins the two parts ("clicks turned into installs", "money per user"), or names the
        # ratio first ("ratio of clicks to impressions"); "percent of revenue came from iOS users" is
        # a share of revenue, not revenue per user
        between = folded[first[1][1]:second[1][0]]
        before = folded[:first[1][0]]
        # "what did a click cost us": one of a thing, then what it cost, is the price of it
        if not (_RATIO_CUE.search(between) or _RATIO_FIRST.search(before) or _ONE_BEFORE.search(before)):
            continue
        ratio = _ratio_with_parts(model, {first[0], second[0]})
        if ratio is not None:
            rest = tuple(n for n, _ in named if n not in (first[0], second[0]))
            return tuple(dict.fromkeys((ratio,) + rest)), True
    return tuple(dict.fromkeys(n for n, _ in named)), False


def _ratio_with_parts(model, names: set[str]) -> str | None:
    for name, metric in model.metrics.items():
        if metric.type != "ratio":
            continue
        parts = (metric.type_params.numerator, metric.type_params.denominator)
        spoken = [plain_names(model, p) for p in parts]
        first, second = sorted(names) if len(names) == 2 else (None, None)
        # one named part for each of the ratio's parts
        pairs = ((first, second), (second, first))
        if first and any(a in spoken[0] and b in spoken[1] for a, b in pairs):
            return name
    return None


METRIC_RULES = (price_of_units, narrower_wins, rate_of_subset,
                extreme_of_a_measure)


def refine_metrics(metrics: tuple[str, ...], folded: str, model, named=()) -> tuple[str, ...]:
    if len(named) > 1:
        combined, found = ratio_of_parts(named, folded, model)
        metrics = combined if found else metrics
    for rule in METRIC_RULES:
        metrics = rule(metrics, folded, model, named)
    return metrics


def siblings_by_value(metrics: tuple[str, ...], filters, model):
    """(metrics, filters): "daily paid and organic installs": a value of the very dimension a narrower
    metric is filtered on (organic_installs: acquisition_type = organic) names its sibling (paid_installs)
    instead of filtering the first one down to nothing; without such a sibling, nothing changes."""
    filters = tuple(filters)
    for name in metrics:
        metric = model.metrics.get(name)
        if metric is None or metric.type != "simple" or len(metric.filter) != 1:
            continue
        own = metric.filter[0]
        for f in filters:
            if f.op not in ("=", "in") or tuple(f.values) == tuple(own.values):
                continue
            if f.dimension == own.dimension:
                siblings = [_sibling_with_value(model, metric, own.dimension, v) for v in f.values]
            else:  # the demo's "paid" (acquisition_type) next to organic_installs (is_organic = true)
                siblings = [_sibling_by_name(model, name, metric, v) for v in f.values]
            if all(siblings):
                added = tuple(s for s in siblings if s not in metrics)
                return added + metrics, tuple(x for x in filters if x is not f)
    return metrics, filters


# "installs (paid + organic)", "paid and organic combined", "all sources": the parts added up
_TOGETHER = re.compile(r"\+|\b(?:combined|together|altogether|in\s+all|all\s+sources|both\s+together)\b")
_TOTAL_BEFORE = re.compile(r"\b(?:total|overall|all)\s+$")
_TOTAL_AT = re.compile(r"(?:total|overall|all)\b")  # the metric's match holding it: "total installs"


def siblings_together(metrics: tuple[str, ...], reading, model) -> tuple[str, ...]:
    """ "total installs last month, paid and organic", "installs from Brazil (paid + organic)": sibling
    counts of one measure (paid and organic installs) asked for added up are their unfiltered base
    metric (installs), one number, not the two parts side by side."""
    if len(metrics) < 2:
        return metrics
    bases = {base_metric(model, m) for m in metrics}
    base = next(iter(bases))
    if len(bases) != 1 or base is None or base in metrics:
        return metrics
    if any(not (model.metrics.get(m) and model.metrics[m].filter) for m in metrics):
        return metrics
    named_total = any(m.reading("metric") == base and (_TOTAL_BEFORE.search(reading.folded[:m.start])
                                                       or _TOTAL_AT.match(reading.folded, m.start))
                      for m in reading.matches)
    return (base,) if named_total or _TOGETHER.search(reading.folded) else metrics


# "fraudulent vs not fraudulent", "fraud vs non-fraud", "fraudulent vs legit": a flag against its opposite
_AGAINST_ITS_OPPOSITE = re.compile(r"\s*(?:installs?|users?|ones)?\s*"
                                   r"(?:vs\.?|versus|compared\s+(?:to|with)|against)\s+(?:(?:not|non)[\s-]*[a-z]*|legit\w*|clean|genuine|real)\b")


def flag_compared(metrics: tuple[str, ...], filters, dims: tuple[str, ...], reading, model):
    """(metrics, filters, dims): "D1 retention of Q1 installs, fraudulent vs not fraudulent": a narrower
    count defined by a yes/no flag (fraud installs: is_fraud = true), named against its opposite next to
    the metric asked for, compares that metric across the flag: grouped by it, the count and its
    filter dropped."""
    if len(metrics) < 2:
        return metrics, filters, dims
    for m in reading.matches:
        name = m.reading("metric")
        metric = model.metrics.get(name or "")
        if name not in metrics or metric is None or metric.type != "simple" or len(metric.filter) != 1:
            continue
        flag = metric.filter[0]
        if not (flag.op == "=" and len(flag.values) == 1 and isinstance(flag.values[0], bool)):
            continue
        against = _AGAINST_ITS_OPPOSITE.match(reading.folded, m.end)
        if against is None:
            continue
        reading.consume(m.span, against.span())
        return (tuple(x for x in metrics if x != name),
                tuple(f for f in filters if f.dimension != flag.dimension),
                (*dims, flag.dimension) if flag.dimension not in dims else dims)
    return metrics, filters, dims


def _sibling_with_value(model, metric, dimension: str, value) -> str | None:
    for name, other in model.metrics.items():
        if (other.type == "simple" and other.type_params.measure == metric.type_params.measure
                and len(other.filter) == 1 and other.filter[0].dimension == dimension
                and other.filter[0].op in ("=", "in") and tuple(other.filter[0].values) == (value,)):
            return name
    return None


def _sibling_by_name(model, name: str, metric, value) -> str | None:
    """The metric named like ``name`` with ``value`` for its own qualifier: organic_installs + "paid"
    -> paid_installs (same measure, as many filters)."""
    from app.engine.planning.offline.described import root

    words = {root(w) for w in name.split("_")}
    for other_name, other in model.metrics.items():
        if (other_name == name or other.type != "simple"
                or other.type_params.measure != metric.type_params.measure
                or len(other.filter) != len(metric.filter)):
            continue
        if {root(w) for w in other_name.split("_")} - words == {root(str(value).lower())}:
            return other_name
    return None
