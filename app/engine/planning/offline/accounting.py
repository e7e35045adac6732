"""Account for every word: a plan is answered only when nothing the question says was left out.

When a content word was explained by no matcher ("battery level", "gender", "competitors"), or a
grouping or filter had to be dropped because the metric cannot take it, the plan's confidence is
below the answer threshold and the reply says plainly what was understood, what was not, and
what the data does have -- instead of answering a different question with confidence.
"""
from __future__ import annotations

import itertools
import re

from app.engine.nlp.text import blank_spans
from app.engine.planning.offline.confidence import unexplained_words, unsupported_cue_names
from app.engine.planning.offline.defaults import event_dimensions, people_metrics, simple_measure
from app.engine.planning.plan import ClarificationPlan, SemanticQueryPlan, ToolCallPlan
from semantic_layer import METRIC_TIME, SemanticQuery, SemanticQueryError
from semantic_layer.checks import check_query

MAX_LISTED = 8
_PER = re.compile(r"\bper\b|\bfor\s+(?:each|every)\b|\beach\b")


def unsure_clarification(plan, reading, model, dropped: tuple[str, ...] = ()) -> ClarificationPlan:
    """What was understood and what was not, with the closest things the data has."""
    unknown = list(dict.fromkeys(unexplained_words(reading.leftover_words())))
    understood = describe_plan(plan, model)
    parts = [f"I read this as {understood}" if understood else "I could not tell what to compute"]
    if unknown:
        quoted = ", ".join(f"“{w}”" for w in unknown[:MAX_LISTED])
        parts.append(f"but I couldn't place {quoted}: the data has no field by that name")
    metrics = plan.query.metrics if isinstance(plan, SemanticQueryPlan) else ()
    unread = blank_spans(reading.folded, reading.consumed)
    cues = unsupported_cue_names(unread, metrics, reading.averaged) if understood else []
    if cues:
        dropped = tuple(dropped) + (f"I could not apply {' or '.join(cues)} you asked for",)
    if dropped:
        parts.append("but " + "; ".join(dropped) if not unknown else "and " + "; ".join(dropped))
    message = ", ".join(parts) + ". " + data_has(model)
    options = (_as_question(plan, model),) if understood and not dropped else ()
    return ClarificationPlan(question=message, options=options + ("list the metrics",),
                             confidence=plan.confidence,
                             rationale=f"offline: unsure ({plan.confidence}); unexplained {unknown}, dropped "
                                       f"{list(dropped)}")


def unused_scores(reading, query: SemanticQuery, model) -> tuple[str, ...]:
    """Scores the question names (p10 LTV, fraud probability) that the plan neither filters nor
    aggregates: answering without them would answer about something else."""
    used = {f.dimension for f in query.filters} | set(query.dimensions)
    used |= {f.dimension for f in (query.cohort.filters if query.cohort else ())}
    used |= {f.dimension for f in (query.share.where if query.share else ())}
    for metric in query.metrics:
        spec = model.metrics.get(metric)
        if spec is not None and spec.type == "simple":
            _, measure = model.measures.get(spec.type_params.measure, (None, None))
            used |= {measure.expr or measure.name} if measure is not None else set()
    numeric = {name for name, d in model.dimensions.items() if d.type == "numeric"}
    named = {m.reading("dimension") for m in _named_scores(reading, query, numeric)}
    unused = sorted(named - used)
    return ((f"{', '.join(n.replace('_', ' ') for n in unused)} cannot be computed together with "
            f"{', '.join(m.replace('_', ' ') for m in query.metrics)}"),) if unused else ()


def listed_scores(reading, query: SemanticQuery, model) -> SemanticQuery:
    """ "average p10, p50 and p90 LTV": scores named in one breath with a metric that aggregates a score
    are aggregated the same way, when the model has that metric for each (avg_ltv_p10 ...)."""
    if not query.metrics or query.share is not None or query.count_groups:
        return query
    aggs = {_score_aggregate(model, m) for m in query.metrics}
    if len(aggs) != 1 or None in aggs:
        return query
    (agg, _column), = aggs
    numeric = {name for name, d in model.dimensions.items() if d.type == "numeric"}
    named = _named_scores(reading, query, numeric)
    used = {f.dimension for f in query.filters}
    added = []
    for match in named:
        dim = match.reading("dimension")
        column = dim  # a score measure aggregates the column of its dimension, by name (unused_scores)
        taken = query.metrics + tuple(added)
        if dim in used or any(_score_aggregate(model, m) == (agg, column) for m in taken):
            continue
        metric = next((name for name in model.metrics if not model.metrics[name].filter
                       and _score_aggregate(model, name) == (agg, column)), None)
        if metric is None:
            return query
        added.append(metric)
    return query.model_copy(update={"metrics": query.metrics + tuple(added)}) if added else query


def _named_scores(reading, query: SemanticQuery, numeric: set[str]) -> list:
    """The numeric dimensions the question names; in "p10 and p90 predicted LTV" a score word right after
    another is the list's head noun, not a third score."""
    mentions = sorted((m for m in reading.matches if m.reading("dimension") in numeric
                       or m.reading("metric") in query.metrics), key=lambda m: m.start)
    return [m for i, m in enumerate(mentions) if m.reading("dimension") in numeric
            and not (i and 0 <= m.start - mentions[i - 1].end <= 1)]


def _score_aggregate(model, name: str) -> tuple[str, str] | None:
    """(agg, column) of a simple metric over one column (average of ltv_p10), else None."""
    _, measure = simple_measure(model, name) or (None, None)
    if measure is None or measure.agg not in ("average", "sum", "min", "max"):
        return None
    return measure.agg, (measure.expr or measure.name).strip()


def ratio_of_two_metrics(reading, query: SemanticQuery) -> tuple[str, ...]:
    """ "revenue per install": two metrics joined by "per" ask for a ratio the model does not define."""
    spans = {m.reading("metric"): m.span for m in reading.matches if m.reading("metric") in query.metrics}
    if len(spans) < 2 or query.divide:
        return ()
    (first, a), (second, b) = sorted(spans.items(), key=lambda item: item[1])[:2]
    between = reading.folded[a[1]:b[0]]
    if not _PER.search(between):
        return ()
    return (f"{first.replace('_', ' ')} per {second.replace('_', ' ')} is not a metric the data defines",)


def reading_notes(choice, query: SemanticQuery, reading, model) -> tuple[str, ...]:
    """Say which reading was taken when a vague word chose the metric ("users", "money")."""
    if choice.source == "family" and query.metrics:
        return ("Showing " + ", ".join(m.replace("_", " ") for m in query.metrics)
                + ": the question names no single one.",)
    if choice.source != "weak" or len(query.metrics) != 1:
        return ()
    metric = query.metrics[0]
    events = [v for f in query.filters if f.dimension in event_dimensions(model) and f.op in ("=", "in")
              for v in f.values]
    if metric == people_metrics(model)[0] and events:  # "users who made a purchase"
        listed = ' or '.join(map(str, events))
        article = 'an' if listed[:1].lower() in 'aeiou' else 'a'
        return (f"Counted users with {article} {listed} event in the period.",)
    span = next((span for name, span in choice.named if name == metric), None)
    word = reading.text[span[0]:span[1]] if span else metric.replace("_", " ")
    spec = model.metrics.get(metric)
    label = metric.replace("_", " ")
    about = (spec.description or "").strip().rstrip(".") if spec is not None else ""
    about = f" ({about[:1].lower()}{about[1:]})" if about and len(about) <= 90 else ""
    return (f"Read “{word}” as {label}{about}.",)


def data_has(model) -> str:
    """One line on what can be asked about: metrics and the attributes to group or filter by."""
    metrics = [name.replace("_", " ") for name in list(model.metrics)[:MAX_LISTED]]
    dims = [name.replace("_", " ") for name, d in model.dimensions.items()
            if d.type == "categorical" and not name.startswith(("is_", "campaign_id"))]
    return (f"The data has metrics such as {', '.join(metrics)}, and attributes such as "
            f"{', '.join(dims[:12])}.")


def describe_plan(plan, model) -> str:
    if isinstance(plan, SemanticQueryPlan):
        return describe_query(plan.query)
    if isinstance(plan, ToolCallPlan):
        return f"a call to {plan.tool.replace('_', ' ')}"
    return ""


def describe_query(query: SemanticQuery) -> str:
    """ "revenue by country, platform = 'iOS', 2026-06-01 to 2026-06-30" """
    text = ", ".join(m.replace("_", " ") for m in query.metrics) or "a list"
    dims = [d.replace("_", " ") for d in query.dimensions if d != METRIC_TIME]
    if query.grain:
        dims.insert(0, query.grain)
    if dims:
        text += " by " + ", ".join(dims)
    if query.filters:
        text += " where " + " and ".join(f.to_text() for f in query.filters)
    if query.time_range:
        start, end = query.time_range
        text += f", {start} to {end}" if start != end else f", {start}"
    return text


def _as_question(plan, model) -> str:
    text = describe_plan(plan, model)
    return text[0].upper() + text[1:] if text else text


# A negation the plan did not apply ("installs the model scores high that aren't labelled fraud"):
# answering without it answers the opposite question.
_NEGATION = re.compile(
    r"\b(?:(?<!why )(?<!or )(?<!if )not(?!\s+(?:sure|only|just|certain))|non|never|without|except|excluding|"
    r"aren'?t|isn'?t|wasn'?t|weren'?t|doesn'?t|didn'?t|haven'?t|hasn'?t|neither|nor)\b")


# "not per month", "not broken down": a negated breakdown, which a plan without it already follows
_NOT_A_BREAKDOWN = re.compile(r"\s*(?:a\s+|the\s+)?(?:per|by|each|every|broken|split|grouped|breakdown|"
                              r"daily|weekly|monthly|quarterly|itemi[sz]ed|separately|individually|a\s+list)\b")
# "isn't iOS revenue kinda low?": a rhetorical question opens with the verb, it negates nothing
_OPENING = re.compile(r"^[\s,]*(?:(?:so|but|and|like|hey|ok|okay|well|wait|hmm|um|uh|honestly|seriously|"
                      r"really|guys|team)[\s,]+)*$")


def unapplied_negation(plan, reading) -> str | None:
    """The negation word of the question when the plan filters nothing out, else None."""
    if not isinstance(plan, (SemanticQueryPlan, ToolCallPlan)):
        return None
    unread = blank_spans(reading.folded, reading.consumed)
    match = next((m for m in _NEGATION.finditer(unread) if _negates(m, reading.folded)), None)
    if match is None:
        return None
    if isinstance(plan, ToolCallPlan):  # the tools take no negated filter
        return match.group(0)
    query = plan.query
    if _contrasted_unit(match, reading, query):
        return None
    filters = list(query.filters) + list(query.cohort.filters if query.cohort else ())
    negative = any(f.op in ("!=", "not in") or (f.op == "=" and f.values == (False,)) for f in filters)
    return None if negative else match.group(0)


# "distinct people not events", "users, not installs": the unit counted, set against another
_UNIT_BEFORE = re.compile(r"\b(?:people|persons|[a-z]{3,}s)\s*,?\s*$")


def _contrasted_unit(match, reading, query) -> bool:
    """ "how many users completed the tutorial? distinct people not events": the negation sets the unit
    counted against a metric the plan does not compute, so the plan already honours it."""
    if not _UNIT_BEFORE.search(reading.folded[:match.start()]):
        return False
    after = next((m for m in reading.matches if m.reading("metric") and m.start >= match.end()
                  and not reading.folded[match.end():m.start].strip()), None)
    return after is not None and after.reading("metric") not in query.metrics


def _negates(match, folded: str) -> bool:
    if _NOT_A_BREAKDOWN.match(folded, match.end()):
        return False
    contraction = "'" in match.group(0) or match.group(0).endswith("nt")
    return not (contraction and _OPENING.match(folded[:match.start()]))


def nothing_to_rank(plan, reading) -> str | None:
    """The ranking words of a question whose plan is one number ("who are our top users?" answered as
    the count of users): there is no row to rank, so the question was not understood."""
    ranking = reading.ranking
    if not isinstance(plan, SemanticQueryPlan) or ranking is None:
        return None
    query = plan.query
    if query.result_dimensions or query.count_groups:
        return None
    words = " ".join(reading.folded[s:e] for s, e in ranking.spans).strip()
    if not words or _COMPARATIVE.fullmatch(words):  # "15 minutes or more": a threshold's word
        return None
    return words


_COMPARATIVE = re.compile(r"(?:or\s+)?(?:more|less|fewer|higher|lower|greater|bigger|smaller|over|under)")


def unused_comparison(plan, reading) -> str | None:
    """The compared period of a question ("average DAU in January compared with June") when the plan
    covers only one of the two periods: answering one would drop half the question."""
    time = reading.time
    if not isinstance(plan, SemanticQueryPlan) or time.range is None or time.compare_range is None:
        return None
    # compared with the period just before it ("the last 7 days vs the 7 days before that"): both are
    # answered as named, one row per period, not the first with a change figure
    query = plan.query
    first = min(time.range.start, time.compare_range.start)
    last = max(time.range.end, time.compare_range.end)
    spans = ([query.time_range] if query.time_range else []) + list(query.periods)
    if query.cohort is not None and query.cohort.install_range is not None:
        spans.append(query.cohort.install_range)
    def covered(start, end) -> bool:
        return any(span[0] <= start and end <= span[1] for span in spans)

    if covered(first, last) or (covered(time.range.start, time.range.end)
                                and covered(time.compare_range.start, time.compare_range.end)):
        return None  # both periods in the plan: together, or as a cohort's installs and its activity
    one, other = time.range, time.compare_range
    return f"{one.start} to {one.end} with {other.start} to {other.end}"


def compared_periods(plan, reading, model):
    """ "installs in January vs June", "cancellations in Q1 vs Q4": the plan measured over one of two
    named periods is asked of both, one block of rows per period (SemanticQuery.periods); the plan
    as it was when its shape cannot take them (a cohort, a time series, a share)."""
    query, time = plan.query, reading.time
    one, other = time.range, time.compare_range
    if query.cohort is not None or METRIC_TIME in query.group_by or query.time_range != (one.start, one.end):
        return plan
    periods = tuple(sorted(((one.start, one.end), (other.start, other.end))))
    return _with_periods(plan, {"periods": periods, "time_range": None}, model)


def _with_periods(plan, update: dict, model):
    """``plan`` answering each named period (``update`` sets ``periods``), or as it was when the semantic
    layer refuses that query."""
    try:
        compared = plan.query.model_copy(update=update)
        check_query(model, compared)
    except (SemanticQueryError, ValueError):
        return plan
    return plan.model_copy(update={"query": compared, "compare_previous": False, "intent": "compare"})


_LISTED_GAP = re.compile(r"^[\s,;:]*(?:(?:vs\.?|versus|compared\s+(?:to|with)|against|and|or)[\s,;:]*)*"
                         r"(?:in\s+|the\s+)?$")
_GRAIN_WORDS = re.compile(r"\b(?:daily|weekly|monthly|quarterly|hourly|(?:per|by|each|every|for\s+each)\s+"
                          r"(?:day|week|month|quarter|hour))\b")
_VERSUS_WORD = re.compile(r"\b(?:vs\.?|versus|compared|against)\b")


def listed_periods(plan, reading, model):
    """ "spend in April vs May vs June": three or more periods named side by side are each answered
    (``periods``), not the first two; the plan as it was when that cannot be built."""
    spans = sorted(reading.time.ranges, key=lambda item: item[1])
    if len(spans) < 2 or not isinstance(plan, SemanticQueryPlan) or plan.query.cohort is not None:
        return plan
    gaps = [reading.folded[a[1][1]:b[1][0]] for a, b in itertools.pairwise(spans)]
    apart = any((b[0].start - a[0].end).days > 1 for a, b in itertools.pairwise(spans))
    if not all(_LISTED_GAP.match(gap) for gap in gaps):
        return plan
    # "January and June" (days between them), "April vs May vs June": each; "May and June": one span
    if not (apart or len(spans) > 2 and any(_VERSUS_WORD.search(g) for g in gaps)):
        return plan
    query = plan.query
    if METRIC_TIME in query.group_by and _GRAIN_WORDS.search(reading.folded):
        return plan  # "daily installs in January vs June": a series asked for, not one value per period
    dims = tuple(d for d in query.dimensions if d != METRIC_TIME)
    periods = tuple(sorted((r.start, r.end) for r, _ in spans))
    order = tuple(o for o in query.order_by if o.field != METRIC_TIME)
    return _with_periods(plan, {"periods": periods, "time_range": None, "dimensions": dims, "grain": None,
                                "order_by": order}, model)
