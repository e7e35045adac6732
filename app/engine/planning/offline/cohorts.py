"""Install cohorts: "users who installed in March -- their revenue in April", "the February cohort".

A cohort is a population fixed by when its members installed; what is measured about them can
fall in another window. The period next to the cohort words is the cohort's install window; any
other period is the activity window ("in April"), and without one the activity is "ever" / "to
date". "by install month" / "per install-month cohort" groups the members by install bucket.
"""
from __future__ import annotations

import re

from app.engine.nlp.text import fold
from app.engine.nlp.timeexpr_periods import DateRange, period_of
from app.engine.planning.offline.defaults import simple_measure
from app.engine.planning.offline.reach import without_time_axis
from semantic_layer import METRIC_TIME, Cohort, SemanticQuery
from semantic_layer.plan import simple_inputs

_MEMBERS = (r"(?:users?|people|players?|customers?|installs?|installers|folks|ppl|devices|those|ones|"
            r"everyone|everybody|the\s+ones|cohort)")
_JOINED = (
    r"(?:(?:first\s+)?install(?:ed)?|joined|signed\s+up|acquired|onboarded|came\s+in|came\s+on\s*board|"
    r"came(?=\s+(?:from|through|via)\b)|downloaded(?:\s+the\s+app)?|got\s+the\s+app|were\s+acquired|started(?=\s+(?:using|playing|with\s+us|on\s+the\s+app)))"
)
# "users who installed in March", "people acquired in March", "everyone who installed in June"
_WHO_JOINED = re.compile(rf"\b{_MEMBERS}\s+(?:(?:who|that|which|we)\s+)?(?:(?:have|had|were|was)\s+)?"
                         rf"(?:first\s+)?{_JOINED}\b")
# "how many of March's new installs have paid", "revenue to date from march installs": installs or
# users named as the people something is measured about (their period makes them a cohort)
_OF_MEMBERS = re.compile(
    r"^\s*(?:out\s+of|of|among)\s+(?:the\s+|our\s+|all\s+)?(?:[\w]+(?:'s)?\s+){0,2}?(?:new\s+)?"
    r"(?:installs|installers|users|players|people|signups|customers)\b(?=\s+(?:that|who|which|we)\b|\s*,|"
    r"\s+(?:from|via|through|on|in)\s+[\w'.\- ]{1,40}?,)|"
    r"\b(?:how\s+many|what\s+(?:share|fraction|portion|percent(?:age)?|%)|revenue|money|sessions|"
    r"events|payers|paying\s+users)\s+(?:[\w']+\s+){0,4}?(?:of|from|among)\s+(?:the\s+|our\s+|all\s+|those\s+)?"
    # "what % of June's paying users": people named by what they did in a period are no install cohort
    r"(?:(?!paying\b|active\b|engaged\b|returning\b)[\w]+(?:'s)?\s+){0,2}?(?:new\s+)?"
    r"(?:installs|installers|users|players|signups|customers)\b"
    r"(?=\s+(?:(?:have|has|had|ever|did|were|are|still|by|to|so|in|who|that|generated|brought|made|spent|"
    r"paid|came|logged)\b|[,?.:;]|$))"
)
# "the Feb install cohort", "the march installers", "Q1 cohort"
_NAMED_COHORT = re.compile(r"\b(?:(?:install|installation|signup|sign-up|acquisition|user)[\s-]+)?"
                           r"(?:cohorts?|installers|signups|sign-ups)\b")
# "by install month", "per install-month cohort", "install month x activity month"
_COHORT_GRAIN = re.compile(r"\b(?:by|per|each|every|for\s+each)?\s*(?:install(?:ation)?|cohort|signup|"
                           r"acquisition)[\s-]+(?P<unit>day|week|month|quarter)s?\b(?![\s-]*\d)(?:[\s-]+cohorts?)?")
# the activity bucket of a matrix: "install month x month", "by install week and by week"
_ACTIVITY_GRAIN = re.compile(
    r"\b(?:x|by|per|and(?:\s+by)?|each|every)\s+(?:the\s+)?(?:activity\s+|calendar\s+|"
    r"event\s+|revenue\s+)?(?P<unit>day|week|month|quarter)\b"
)
_THEIR = re.compile(r"\btheir\s+$")
_OF_THEM = re.compile(r"\b(?:(?:of|among)\s+(?:them|those|these)|they|their)\b")
_FROM_PERIOD = re.compile(r"\s+(?:from|in|during|of)\s+(?:the\s+)?")
_MEMBER_WORD = re.compile(r"\b(?:installs|installers|users|players|signups|sign-ups)\b")
_NEAR = 30  # characters between the cohort words and their period
_ACTIVITY_VERB = re.compile(r"\b(?:was|were|is|are|been|have|has|had|did|do|does|made|make|spent|spend|"
                            r"paid|pay|active|generat\w*|play\w*|bought|buy|purchas\w*|return\w*|came\s+back)\b")
_PREPOSITION_ONLY = re.compile(r"^\s*\(?\s*(?:in|of|from|during|for|over|,|:)?\s*(?:the\s+)?\(?$")
_PREPOSITION = re.compile(r"\b(?:for|of|among|by|from|to|with|per)\b")


def cohort_query(query: SemanticQuery, reading, model) -> SemanticQuery:
    """``query`` measured over the cohort the question names, or unchanged when it names none."""
    if model.spec.cohort is None:
        return query
    grain_match = _COHORT_GRAIN.search(reading.folded)
    cue = (_WHO_JOINED.search(reading.folded) or _named_cohort(reading)
           or _OF_MEMBERS.search(reading.folded))
    cue = cue or _referred_members(reading) or _dated_members(query, reading, model)
    declared = _declared_cue(reading, model)
    cue = declared or cue
    if cue is not None and cue.re is _NAMED_COHORT and _names_the_metric(cue, reading, query):
        cue = None  # "how many sign-ups in May": the sign-ups are what is counted, not a cohort
    if cue is None and grain_match is None:
        return query
    # "for each install month in Q1": a period right after the install bucket is the install window
    window = _period_right_after(reading, grain_match) if grain_match is not None else None
    if window is None and cue is not None:
        window = _declared_window(reading, cue) if cue is declared else _cohort_window(reading, cue)
    if window is None and grain_match is None:
        return query
    cohort_range, span = window if window else (None, None)
    reading.consume(*(m.span() for m in (cue, grain_match) if m is not None))
    unit = grain_match["unit"] if grain_match else None
    joined = _joined_window(reading, span) if span is not None else None
    while joined is not None:  # "people who installed in April or May", "(Apr, May, Jun cohorts)": one window
        cohort_range, span = _union(reading, (cohort_range, span), joined)
        joined = _joined_window(reading, span)
    compared = (_compared_window(reading, cohort_range, span) if span is not None and grain_match is None
                else None)
    if compared is not None:  # "users installed in May vs June": one row per install month
        other, unit = compared
        cohort_range, span = _union(reading, (cohort_range, span), other)
    if _by_install_date(query, model):  # dated by the install (installs, retention): the window
        period = (cohort_range.start, cohort_range.end) if cohort_range else query.time_range
        if cohort_range is not None and any(not _within(s, span) for _, s in reading.time.ranges):
            # "the March installers ... in May": activity of installs cannot be measured by installs
            reading.dropped += (("installs are counted on their install date, so a second period cannot "
                                "be applied to them"),)
        if unit is not None:  # "D1 retention per install month": install-date buckets
            dims = (METRIC_TIME,) + tuple(d for d in query.dimensions if d != METRIC_TIME)
            return query.model_copy(update={"time_range": period, "dimensions": dims,
                                            "grain": unit, "order_by": ()})
        return query.model_copy(update={"time_range": period})
    activity = [r for r, s in reading.time.ranges if not _within(s, span)]
    if activity and cohort_range is not None and _TO_DATE.search(reading.folded) and all(
            (r.start, r.end) == (cohort_range.start, cohort_range.end) for r in activity):
        # "revenue to date from April installers / April spend": the April named again is the
        # install window (what acquiring them cost), the members' activity runs to date
        activity = []
    time_range = (min(r.start for r in activity), max(r.end for r in activity)) if activity else None
    if len(activity) > 1 and any(_apart(a, b) for a in activity for b in activity):
        # "users who installed in Jan vs users who installed in Feb, last 7 days": two cohorts compared,
        # which one query cannot say; asked, not merged into one long window
        reading.dropped += ("two separate periods cannot both be the install window of one cohort",)
    dims, query_grain = query.dimensions, query.grain
    if compared is not None or (grain_match is not None and _grain_from_cohort_words(reading, grain_match)):
        dims, query_grain = tuple(d for d in dims if d != METRIC_TIME), None
    activity = _activity_grain(reading, grain_match)
    if activity is not None:  # "install month x month": a cohort x period matrix
        dims, query_grain = (METRIC_TIME,) + tuple(d for d in dims if d != METRIC_TIME), activity["unit"]
        reading.consume(activity.span())
    cohort = Cohort(install_range=(cohort_range.start, cohort_range.end) if cohort_range else None,
                    grain=unit)
    metrics = _without_members(query.metrics, reading, cue)
    if declared is not None and cue is declared:  # "of the planes that first flew in January, how many flew"
        metrics = _members_counted(metrics, reading, model, cue) or metrics
    return query.model_copy(
        update={
            "cohort": cohort,
            "time_range": time_range,
            "dimensions": dims,
            "grain": query_grain,
            "metrics": metrics,
            "order_by": tuple(o for o in query.order_by if o.field in metrics + dims),
        }
    )


_TO_DATE = re.compile(r"\b(?:to\s+date|so\s+far|until\s+now|up\s+to\s+(?:now|today)|lifetime)\b")


def _declared_cue(reading, model) -> re.Match | None:
    """ "planes whose first flight was in January", "aircraft first seen in Q2": a model whose cohort
    declares its ``members`` words is joined by the cohort date's synonyms ("first flight"), with up
    to two words inside them ("first NYC flight") and between them and the members ("whose", "that")."""
    pattern = _declared_pattern(model)
    return pattern.search(reading.folded) if pattern is not None else None


_DECLARED: dict[str, re.Pattern | None] = {}


def _declared_pattern(model) -> re.Pattern | None:
    key = model.version_hash
    if key not in _DECLARED:
        spec = model.spec.cohort
        table = next(t for t in model.spec.semantic_models if t.name == spec.semantic_model)
        members = {fold(w) for w in (*(e.name.replace("_", " ") for e in table.entities), *spec.members)}
        members |= {f"{w}s" for w in members if not w.endswith("s")}
        dimension = model.dimensions.get(spec.time_dimension)
        joined = [fold(p).split() for p in (dimension.synonyms if dimension is not None else ())]
        inner = r"\s+(?:[\w']+\s+){0,2}?"
        phrases = "|".join(inner.join(map(re.escape, words))
                           for words in sorted(joined, key=len, reverse=True) if words)
        names = "|".join(map(re.escape, sorted(members, key=len, reverse=True)))
        _DECLARED[key] = (re.compile(rf"\b(?:{names})\s+(?:[\w']+\s+){{0,2}}?(?:{phrases})\b")
                          if spec.members and phrases else None)
    return _DECLARED[key]


_DECLARED_GAP = 40  # characters between the joining words and their period


def _declared_window(reading, cue) -> tuple[DateRange, tuple[int, int]] | None:
    """The period after the joining words; "first flight in 2013 was in January": a period inside
    the one right after them is the window. The span covers the cue, so a period inside it is no
    activity period."""
    after = sorted(((w, s) for w, s in reading.time.ranges
                    if s[0] >= cue.end() and s[0] - cue.end() <= _DECLARED_GAP), key=lambda r: r[1][0])
    if not after:
        return None
    window, span = after[0]
    if len(after) > 1 and _within((after[1][0].start, after[1][0].end), (window.start, window.end)) \
            and re.search(r"\b(?:was|were)\b", reading.folded[span[1]:after[1][1][0]]):
        window, span = after[1]
    return window, (cue.start(), span[1])


# "how many also flew", "how many of them were still flying": the members are what is counted
_HOW_MANY_DID = re.compile(r"\bhow\s+many\s+(?:(?:of\s+)?(?:them|those|these)\s+)?"
                           r"(?:(?:also|still|then|later|ever|were|was|did|have|had)\s+){0,2}(?P<verb>[a-z]+)\b")


def _members_counted(metrics: tuple[str, ...], reading, model, cue) -> tuple[str, ...] | None:
    """ "how many <did something>" after declared members, with no metric named after "how many":
    the distinct count of the members' entity over the facts (a count_distinct measure of a table
    whose entity of that name is the counted column)."""
    asked = _HOW_MANY_DID.search(reading.folded, cue.end())
    if asked is None or any(m.reading("metric") and asked.start() <= m.start <= asked.end("verb")
                            for m in reading.matches):
        return None
    home = next(t for t in model.spec.semantic_models if t.name == model.spec.cohort.semantic_model)
    names = {e.name for e in home.entities}
    found = []
    for name in model.metrics:
        measure = simple_measure(model, name)
        if measure is None or measure[1].agg != "count_distinct" or model.metrics[name].filter:
            continue
        table, counted = measure
        if any(e.name in names and re.search(rf"\b{re.escape(e.column_expr)}\b", counted.column_expr)
               for e in table.entities):
            found.append(name)
    return (found[0],) if len(found) == 1 else None


def _named_cohort(reading) -> re.Match | None:
    """ "cohort matrix: revenue by install month (Jan-Mar cohorts)": the mention with a period next to it,
    else the first."""
    found = list(_NAMED_COHORT.finditer(reading.folded))
    return next((m for m in found if _cohort_window(reading, m) is not None), found[0] if found else None)


def _referred_members(reading) -> re.Match | None:
    """ "Q1 installs by media source: how many of them were paying users in Q2?": people named with a
    period, then referred back to ("of them") while something else is measured about them."""
    back = _OF_THEM.search(reading.folded)
    if back is None:
        return None
    for match in _MEMBER_WORD.finditer(reading.folded, 0, back.start()):
        if any(0 <= match.start() - end <= 3 for _, (_, end) in reading.time.ranges):
            return match
        # "for TikTok installs from Q1, total revenue they brought in during Q2"
        if any(_FROM_PERIOD.fullmatch(reading.folded[match.end():start])
               for _, (start, _) in reading.time.ranges):
            return match
    return None


_DATED_MEMBER = re.compile(r"\b(?:installs|installers|users|players|signups|sign-ups|installed)\b")


def _dated_members(query: SemanticQuery, reading, model) -> re.Match | None:
    """ "average fraud probability per media source for June installs": metrics without dates (scores)
    next to installs named with a period are measured over those installs, a cohort."""
    if not query.metrics or query.time_range is None or not without_time_axis(query.metrics, model):
        return None
    for match in _DATED_MEMBER.finditer(reading.folded):
        if _cohort_window(reading, match) is not None:
            return match
    return None


def _union(reading, window, other):
    """The cohort window widened by another period (both ``(DateRange, span)``), its words consumed."""
    (first, span), (second, other_span) = window, other
    span = (min(span[0], other_span[0]), max(span[1], other_span[1]))
    reading.consume(span)
    return DateRange(min(first.start, second.start), max(first.end, second.end)), span


_VERSUS = re.compile(r"^\s*(?:vs\.?|versus|compared\s+(?:to|with)|against)\s+"
                     r"(?:in\s+|those\s+in\s+)?$")


_JOINED_GAP = re.compile(r"^\s*(?:,|,?\s*or|,?\s*and|to|through|thru|until|-|–)\s*(?:in\s+)?$")


def _joined_window(reading, span):
    """The period joined to the cohort's window by "or" / "and" / "to" ("installed in April or May")."""
    for other, other_span in reading.time.ranges:
        if other_span[0] >= span[1] and _JOINED_GAP.match(reading.folded[span[1]:other_span[0]]):
            return other, other_span
    return None


def _compared_window(reading, window: DateRange,
                     span) -> tuple[tuple[DateRange, tuple[int, int]], str] | None:
    """The period right after "vs" following the cohort's window, when both are whole units of one kind."""
    for other, other_span in reading.time.ranges:
        if other_span[0] < span[1] or not _VERSUS.match(reading.folded[span[1]:other_span[0]]):
            continue
        unit = next((u for u in ("month", "quarter", "week") if _whole(window, u) and _whole(other, u)), None)
        return ((other, other_span), unit) if unit else None
    return None


def _whole(window: DateRange, unit: str) -> bool:
    return period_of(unit, window.start) == window


def _within(inner, outer) -> bool:
    return outer is not None and outer[0] <= inner[0] and inner[1] <= outer[1]


def _apart(a: DateRange, b: DateRange) -> bool:
    """Two periods with days between them ("March and April combined" are one window)."""
    return (b.start - a.end).days > 1 or (a.start - b.end).days > 1


def _without_members(metrics: tuple[str, ...], reading, cue) -> tuple[str, ...]:
    """ "of the users we acquired in May, how many paid": "users we acquired" names the members, not
    a metric to show, when another metric is asked about them."""
    if cue is None or len(metrics) < 2:
        return metrics
    inside = {m.reading("metric") for m in reading.matches
              if m.start < cue.end() and cue.start() < m.end and m.reading("metric")}
    # "Jan installers: revenue per install": a metric also named outside the cue is asked for
    # "avg delay of their flights": what the members did, named again, is no metric asked for either
    outside = {m.reading("metric") for m in reading.matches
               if not (m.start < cue.end() and cue.start() < m.end) and m.reading("metric")
               and not _THEIR.search(reading.folded[:m.start])}
    named_in_cue = inside - outside
    kept = tuple(m for m in metrics if m not in named_in_cue)
    return kept or metrics


def _activity_grain(reading, grain_match):
    if grain_match is None:
        return None
    for match in _ACTIVITY_GRAIN.finditer(reading.folded):
        if not (grain_match.start() <= match.start() < grain_match.end()):
            return match
    return None


def _cohort_window(reading, cue) -> tuple[DateRange, tuple[int, int]] | None:
    """The period written right after "users who installed" or right before "cohort"/"installers"."""
    best = None
    for window, span in reading.time.ranges:
        # "that cohort was active in June": June is when they were active, not when they installed
        gap = reading.folded[cue.end():span[0]]
        after = 0 <= span[0] - cue.end() <= _NEAR and not _ACTIVITY_VERB.search(gap)
        before = 0 <= cue.start() - span[1] <= _NEAR and not reading.folded[span[1]:cue.start()].strip(" -'s")
        # "March new installers"; not "ARPU in May for users we acquired ... in March" (May is the activity)
        before = before or (0 <= cue.start() - span[1] <= 12
                            and not _PREPOSITION.search(reading.folded[span[1]:cue.start()]))
        inside = cue.start() <= span[0] and span[1] <= cue.end()  # "of March's new installs"
        if inside:
            return window, span
        if cue.re is _OF_MEMBERS:
            continue  # "what % of active users paid in May": May is when they paid, not installed
        if after or before:
            distance = abs(span[0] - cue.end()) if after else abs(cue.start() - span[1])
            if best is None or distance < best[0]:
                best = (distance, window, span)
    return (best[1], best[2]) if best else None


def _period_right_after(reading, match) -> tuple[DateRange, tuple[int, int]] | None:
    for window, span in reading.time.ranges:
        if 0 <= span[0] - match.end() and _PREPOSITION_ONLY.match(reading.folded[match.end():span[0]]):
            return window, span
    return None


def _names_the_metric(cue: re.Match, reading, query: SemanticQuery) -> bool:
    """ "sign-ups" is the one metric asked for (a count of sign-up events), not "the sign-ups" cohort."""
    start, end = cue.span()
    return len(query.metrics) == 1 and any(
        m.reading("metric") == query.metrics[0] and m.start < end and start < m.end for m in reading.matches)


def _by_install_date(query: SemanticQuery, model) -> bool:
    """Metrics whose own date is the cohort's date (installs, retention, fraud among installs, all
    dated by the install): the cohort window is their period."""
    cohort_date = model.spec.cohort.time_dimension
    return bool(query.metrics) and all(
        name in model.metrics and all(
            (found := model.measures.get(simple.type_params.measure)) is not None
            and found[1].agg_time_dimension == cohort_date
            for simple in simple_inputs(model, model.metrics[name]))
        for name in query.metrics)


def _grain_from_cohort_words(reading, match) -> bool:
    """The time grain came only from "by install month" (a cohort bucket, not an activity bucket)."""
    return reading.time.grain is not None and not any(
        not (match.start() <= s and e <= match.end()) and _is_grain_text(reading.folded[s:e])
        for s, e in reading.time.spans)


_GRAIN_TEXT = re.compile(r"daily|weekly|monthly|per\s+(?:day|week|month)|by\s+(?:day|week|month)|each\s+"
                         r"(?:day|week|month)|(?:day|week|month)\s+by\s+(?:day|week|month)|month\s+x")


def _is_grain_text(text: str) -> bool:
    return bool(_GRAIN_TEXT.search(text))
