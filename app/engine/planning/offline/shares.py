"""Shares of a total: "what fraction of Q1 installs came from paid campaigns", "each country's share
of revenue", "share of spend by channel within each platform".

The denominator is the metric over the question's population (its period and the filters named
before or inside "of <metric>"); the part is what the question says the share "came from / went
to / is" (filters named after that), or each group of a breakdown. With a part and groups, each
group's own total is the denominator ("for each country, what share of installs are on iOS").
"""
from __future__ import annotations

import re

from app.engine.planning.offline.defaults import base_metric, simple_measure
from semantic_layer import METRIC_TIME, Filter, SemanticQuery, Share

# "split" and "mix" ask for a breakdown ("split iOS / Android"); a share is asked for by name
# A number's own percent sign ("a churn probability over 50%") is a value, not a share asked for.
SHARE_CUE = re.compile(r"\b(?:share|shares|fraction|fractions|proportion|portion|percentage|percentages|"
                       r"(?<!\d )(?<!\d)(?:percent|pct)|contribution|slice|slices|piece|relative\s+terms)\b"
                       r"|(?<!\d )(?<!\d)%")
# words that only say a share is wanted: "how is revenue distributed", "what share does each country
# account for", "the mix of event types"
_SHARE_CONTEXT = re.compile(r"\b(?:distributed|distribution|account(?:s|ed)?\s+for|mix|in\s+relative\s+terms|"
                            r"relative|split)\b")
# what the part is: "came from iOS", "went to video", "were android", "are on iOS", "that were organic"
_PART_CUE = re.compile(r"\b(?:c[ao]me?s?\s+from|coming\s+from|went\s+to|go(?:es)?\s+to|going\s+to|"
                       r"(?:that|which|who)\s+(?:were|are|was|is|came|come|went|go)|were|are|was|is|"
                       r"attributed\s+to|could\s+be\s+attributed\s+to|due\s+to|from|on|in|by|with|having|have|has|had|"
                       r"(?:un)?likely\s+to|(?:at|with)\s+(?:a\s+)?risk\s+(?:of|to)|made|did|completed|"
                       r"triggered|opened|started|bought)\b")
_EACH_OF_THEM = re.compile(r"\b(?:each|respectively|vs\.?|versus|split|apiece|separately)\b")
_WITHIN = re.compile(r"\b(?:within|in|inside|for|of)\s+(?:each|every)\s+(?:\w+\s+){0,2}\w+")
_AS_SHARE = re.compile(r"\b(?:as|in)\s+(?:a\s+)?(?:%|percent(?:age)?s?|shares?|fractions?)\b|"
                       r"\bas\s+a\s+(?:share|percent(?:age)?|fraction|%)\s+of\b")


def share_query(query: SemanticQuery, reading, model) -> SemanticQuery:
    """``query`` as a share of its metric's total when the question asks for one."""
    cue = SHARE_CUE.search(reading.folded)
    if cue is not None and len(query.metrics) == 2 and _OF_A_WHOLE.match(reading.folded[cue.end():]):
        query = _numerator_named_too(query, model)  # "fraud installs by type, as share of all fraud"
    if cue is not None and len(query.metrics) == 2 and query.share is None and not query.dimensions:
        shared = _part_named_as_a_metric(query, reading, model, cue)
        if shared is not None:  # "what fraction of June revenue was subscriptions"
            return shared
    if cue is None or len(query.metrics) != 1 or query.share is not None or query.per_period is not None:
        return query
    metric = query.metrics[0]
    numerator = _numerator_of_a_whole(query, reading, model, metric, cue)
    if numerator is not None:  # "each source's share of all fraudulent installs": of fraud installs
        metric = numerator
        query = query.model_copy(update={
            "metrics": (metric,),
            "order_by": tuple(o.model_copy(update={"field": metric}) if o.field == query.metrics[0] else o
                              for o in query.order_by)})
    elif metric in reading.averaged or getattr(model.metrics.get(metric), "type", None) != "simple":
        return query  # "share of fraud" is already the fraud rate; a ratio has no total to share
    metric_at = _metric_position(reading, metric, cue.end())
    # "what fraction of all events are session starts": one value of a dimension that is also grouped by
    # is the part, not a group of its own (its share of its own group would be 1)
    single = {f.dimension for f in query.filters if f.op == "=" and f.dimension in query.dimensions}
    if single:
        query = query.model_copy(update={"dimensions": tuple(d for d in query.dimensions if d not in single)})
    dims = tuple(d for d in query.dimensions if d != METRIC_TIME)
    # a filter on a grouped dimension picks the groups ("subscriptions vs purchases, as shares")
    part = [f for f in query.filters
            if f.dimension not in dims and _is_part(f, reading, cue, metric_at, model)]
    # "what % were on iOS and what % on Android": each value's share, so the values are groups
    separately = len(SHARE_CUE.findall(reading.folded)) > 1 or _EACH_OF_THEM.search(reading.folded)
    listed = [f for f in part if f.op == "in" and len(f.values) > 1] if separately else []
    if listed:
        part = [f for f in part if f not in listed]
        dims = (*dims, *(f.dimension for f in listed))
        query = query.model_copy(update={
            "filters": tuple(f for f in query.filters if f not in listed),
            "dimensions": (*query.dimensions, *(f.dimension for f in listed))})
    if not part and not dims:
        own = model.metrics.get(metric)
        base = base_metric(model, metric)
        later = [f for f in query.filters
                 if any(sp[0] > metric_at for sp in _filter_spans(reading, f, model))]
        if own is not None and own.type == "simple" and own.filter and base not in (None, metric) \
                and not later:  # "departed flights (that) left over an hour late": that is the part
            # "% of revenue from subscriptions": a narrower metric alone is its part of its base metric
            reading.consume(*(m.span() for m in SHARE_CUE.finditer(reading.folded)))
            return query.model_copy(update={"metrics": (base,), "order_by": (),
                                            "share": Share(of=base, where=tuple(own.filter), within=())})
        return query  # "what % of the March installers were active in May": no part of one total
    within = _within(reading, dims, bool(part))
    reading.consume(*(m.span() for m in SHARE_CUE.finditer(reading.folded)),
                    *(m.span() for m in _SHARE_CONTEXT.finditer(reading.folded)),
                    *(m.span() for m in _AS_SHARE.finditer(reading.folded)),
                    *_part_cue_spans(reading, metric_at, part))
    rest = tuple(f for f in query.filters if f not in part)
    return query.model_copy(update={
        "metrics": (metric,), "filters": rest,
        "share": Share(of=metric, where=tuple(part), within=within)})


_OF_A_WHOLE = re.compile(r"^\s+of\s+(?:all|the\s+total|total|the\s+whole|every|our\s+total)\b")


_POPULATION = re.compile(r"\b(?:of|among|out\s+of)\s+(?:the\s+|all\s+(?:the\s+)?|our\s+|those\s+)")


_SPLIT = re.compile(r"\b(?:each|every|which|came|come|comes|coming|across|among|split|divided)\b")


def _part_named_as_a_metric(query: SemanticQuery, reading, model, cue) -> SemanticQuery | None:
    """ "what fraction of June revenue was subscriptions": the whole (revenue) named first, then, after
    a part's verb, a filtered count of the same table (subscriptions: events where the event is a
    subscription) whose filter is the part: revenue's share where that filter holds."""
    first, second = sorted(query.metrics, key=lambda m: _metric_position(reading, m, cue.end()))
    whole, part = (model.metrics.get(first), model.metrics.get(second))
    if whole is None or part is None or whole.type != "simple" or part.type != "simple" or not part.filter:
        return None
    tables = {(simple_measure(model, m) or (None, None))[0] for m in (first, second)}
    if len(tables) != 1 or None in tables or whole.filter:
        return None
    at = next((m for m in reading.matches if m.reading("metric") == second and m.start > cue.end()), None)
    if at is None or not re.search(r"\b(?:was|were|is|are|came\s+from|come\s+from|from)\s+$",
                                   reading.folded[:at.start]):
        return None
    reading.consume(cue.span(), at.span)
    return query.model_copy(update={"metrics": (first,), "order_by": (),
                                    "share": Share(of=first, where=tuple(part.filter), within=())})


def _numerator_named_too(query: SemanticQuery, model) -> SemanticQuery:
    """ "Q1 fraud installs by fraud type, as share of all fraud": the ratio the share words named
    ("share of fraud" is the fraud rate) next to its own numerator asks for the numerator's shares."""
    for name in query.metrics:
        definition = model.metrics.get(name)
        if definition is None or definition.type != "ratio":
            continue
        numerator = getattr(definition.type_params.numerator, "name", definition.type_params.numerator)
        if numerator in query.metrics and numerator != name:
            return query.model_copy(update={
                "metrics": (numerator,),
                "order_by": tuple(o for o in query.order_by if o.field != name)})
    return query


# "which campaigns have the highest share of fraudulent installs": each group's own share (its rate),
# not its part of the total, which "came from" / "accounts for" ask
_OWN_SHARE = re.compile(r"\b(?:have|has|having|had|with)\s+(?:the\s+|a\s+)?(?:\w+est\s+|most\s+|least\s+)?$")


def _numerator_population(reading, cue, metric: str, numerator: str) -> bool:
    """ "Of the fraudulent installs in April, what proportion was each fraud type": the population is
    the numerator's rows, so the groups share the numerator."""
    population = _POPULATION.search(reading.folded[:cue.start()])
    if population is None:
        return False
    return any(population.end() <= m.start < cue.start() and m.reading("metric") in (metric, numerator)
               for m in reading.matches)


def _numerator_right_after(reading, cue, metric: str, numerator: str) -> bool:
    """ "what fraction of Q1's fraudulent installs came from each source": "of" + the numerator's words."""
    of = re.match(r"\s+of\s+(?:the\s+|all\s+(?:the\s+)?|our\s+)?(?:\w+'s\s+)?", reading.folded[cue.end():])
    if of is None:
        return False
    start = cue.end() + of.end()
    return any(m.start == start and m.reading("metric") in (metric, numerator) for m in reading.matches)


def _numerator_of_a_whole(query: SemanticQuery, reading, model, metric: str, cue) -> str | None:
    """A ratio chosen from the share word itself, asked per group "of all <numerator>": the groups'
    shares of the numerator's total."""
    definition = model.metrics.get(metric)
    if definition is None or definition.type != "ratio" or not query.dimensions:
        return None
    numerator = definition.type_params.numerator
    numerator = getattr(numerator, "name", numerator)
    # "what fraction of fraudulent installs came from each source" splits the numerator; "percentage
    # of delayed flights by origin" is the rate per origin
    right_after = _numerator_right_after(reading, cue, metric, numerator) and _SPLIT.search(reading.folded) \
        and not _OWN_SHARE.search(reading.folded[:cue.start()])
    if not (_OF_A_WHOLE.match(reading.folded[cue.end():])
            or _numerator_population(reading, cue, metric, numerator) or right_after):
        return None
    simple = model.metrics.get(numerator)
    return numerator if simple is not None and simple.type == "simple" else None


def _part_cue_spans(reading, metric_at: int, part) -> list[tuple[int, int]]:
    """The words that say what the part is ("could be attributed to", "came from")."""
    spans = []
    for f in part:
        start = (_filter_spans(reading, f) or [(metric_at, metric_at)])[0][0]
        spans += [(metric_at + m.start(), metric_at + m.end()) for m in
                  _PART_CUE.finditer(reading.folded[metric_at:start])]
    return spans


def _metric_position(reading, metric: str, after: int) -> int:
    named = [m for m in reading.matches if m.reading("metric") == metric]
    later = [m.end for m in named if m.start >= after]
    return later[0] if later else (named[0].end if named else after)


def _is_part(f: Filter, reading, cue, metric_at: int, model=None) -> bool:
    """A filter names the part when it is written after the metric behind a part cue ("came from iOS"),
    or right before the share word ("the organic share of installs", "iOS's share")."""
    spans = _filter_spans(reading, f, model)
    if not spans:
        return False
    start = spans[0][0]
    gap_before_cue = reading.folded[spans[0][1]:cue.start()]
    if start < cue.start() and re.fullmatch(r"(?:'s|s)?\s*", gap_before_cue):
        return True
    if start < metric_at:
        return False
    between = reading.folded[metric_at:start]
    return bool(_PART_CUE.search(between))


def _filter_spans(reading, f: Filter, model=None) -> list[tuple[int, int]]:
    for vf in reading.value_filters:
        if vf.dimension == f.dimension and tuple(vf.values) == tuple(f.values):
            return sorted(vf.spans)
    for match in reading.matches:  # flag filters ("fraudulent", "organic") come from phrases
        if match.reading("dimension") == f.dimension:
            return [match.span]
    # "what percent of flights were longer than 2000 miles": a threshold on a numeric column
    thresholds = [t.span for t in getattr(reading, "thresholds", None) or () if t.filter == f]
    if thresholds or model is None:
        return thresholds[:1]
    # "percent of revenue that came from subscriptions": a metric named for the filter it carries
    for match in reading.matches:
        spec = model.metrics.get(match.reading("metric") or "")
        if spec is not None and any(own.dimension == f.dimension and tuple(own.values) == tuple(f.values)
                                    for own in spec.filter):
            return [match.span]
    return []


def _within(reading, dims: tuple[str, ...], has_part: bool) -> tuple[str, ...]:
    """Dimensions whose groups each sum to 1: "within each platform", or every group when the share
    is of a named part ("for each country, what share ... are on iOS")."""
    if not dims:
        return ()
    named = _WITHIN.search(reading.folded)
    chosen = [d for d in dims if named and _names(reading, d, named.start(), named.end())]
    if chosen and (len(dims) > 1 or has_part):
        return tuple(chosen)
    return dims if has_part else ()


def _names(reading, dimension: str, start: int, end: int) -> bool:
    return any(m.reading("dimension") == dimension and start <= m.start and m.end <= end + 1
               for m in reading.matches)
