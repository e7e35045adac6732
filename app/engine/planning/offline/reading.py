"""Read a question once: time, values, metric and dimension phrases, ranking, chart words.

``read_question`` runs the matchers in a fixed order and records the character
spans each consumed, so later matchers skip them and the confidence step can
tell which words nobody explained.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from app.engine.nlp.text import blank_spans, fold, tokens
from app.engine.nlp.timeexpr import TimeResolution, resolve_time
from app.engine.nlp.values_polarity import group_filters
from app.engine.planning.offline.lexicon import LexMatch, stem
from app.engine.planning.offline.ranking import Ranking, find_ranking

_CHART_WORDS = (
    (r"horizontal\s+bars?", "horizontal_bar"),
    (r"stacked\s+bars?", "stacked_bar"),
    (r"grouped\s+bars?|side[\s-]by[\s-]side\s+bars?", "grouped_bar"),
    (r"multi[\s-]?line|(?:one|a|1)\s+line\s+(?:per|for\s+each|for\s+every)", "multi_line"),
    (r"line\s+(?:chart|graph|plot)|as\s+a\s+line|lines?\s+chart", "line"),
    (r"area\s+(?:chart|graph)", "area"),
    (r"bar\s+(?:chart|graph|plot)|as\s+bars|as\s+a\s+bar|bar\s+chart", "bar"),
    (r"pie(?:\s+chart)?|donut", "pie"),
    (r"scatter(?:\s*plot)?", "scatter"),
    (r"histogram", "histogram"),
    (r"(?:as\s+a\s+|in\s+a\s+)?table(?:\s+form)?|tabular", "table"),
    (r"\bkpi\b|big\s+number", "kpi"),
)
CHART_RE = [(re.compile(rf"\b(?:{pattern})\b"), chart) for pattern, chart in _CHART_WORDS]


@dataclass
class Reading:
    text: str
    folded: str
    time: TimeResolution
    value_filters: list = field(default_factory=list)  # app.engine.nlp.values.ValueFilter
    year_thresholds: tuple = ()  # thresholds.Threshold on a year attribute ("built before 1990")
    value_spans: list[tuple[int, int]] = field(default_factory=list)
    matches: list[LexMatch] = field(default_factory=list)
    ranking: Ranking | None = None
    chart: str | None = None
    chart_span: tuple[int, int] | None = None
    consumed: list[tuple[int, int]] = field(default_factory=list)
    guessed_values: list = field(default_factory=list)  # values matched approximately (typos, near names)
    value_matches: list = field(default_factory=list)  # every value reading found, rivals included
    thresholds: list = field(default_factory=list)  # numeric filters (thresholds.Threshold)
    dropped: tuple[str, ...] = ()  # groupings/filters the metrics could not take (named for the user)
    notes: tuple[str, ...] = ()  # how ambiguous words were read, for the answer
    lower_is_better: frozenset[str] = frozenset()  # metrics whose "best" is the lowest (costs, harms)
    averaged: frozenset[str] = frozenset()  # metrics that already are averages or ratios

    def consume(self, *spans: tuple[int, int]) -> None:
        self.consumed.extend(s for s in spans if s and s[1] > s[0])

    def leftover_words(self) -> list[str]:
        return [t.text for t in tokens(self.folded)
                if not any(s <= t.start and t.end <= e for s, e in self.consumed)]


# A grain word inside a longer name: "daily active users", "after a week" (a retention horizon).
_GRAIN_WORD = re.compile(
    r"^\s*(?:daily|weekly|monthly|quarterly|yearly|annual|(?:a|one|1)\s+(?:day|week|month)|every\s+day)\s*$",
    re.IGNORECASE,  # "Daily active users ..." at the start of a question
)


# Question words typed with two letters swapped ("whcih day", "hwo many"): put back before reading,
# so "which day had the most" still asks for the day. Same length, so every span stays valid.
_SWAPPABLE = frozenset({"which", "what", "where", "when", "show", "many", "much", "have", "does", "were",
                        "about", "total", "each", "every", "how", "with"})  # not "there": "three"


def _unswapped(text: str) -> str:
    def fix(match: re.Match) -> str:
        word = match.group()
        lower = word.lower()
        if lower in _SWAPPABLE:
            return word
        for i in range(len(lower) - 1):
            swapped = lower[:i] + lower[i + 1] + lower[i] + lower[i + 2:]
            if swapped in _SWAPPABLE:
                return swapped
        return word
    return re.sub(r"\b[A-Za-z]{3,6}\b", fix, text)


# "March 10 to March 23, both days included", "(inclusive)": ranges are inclusive already
_INCLUSIVE = re.compile(r"[\s,(]*(?:(?:with\s+)?both\s+(?:days|dates|ends|endpoints)?\s*"
                        r"(?:included|inclusive|"
                        r"counted)|inclusive(?:\s+of\s+both)?|included)\b\)?")


def _inclusive_after(folded: str, spans) -> list[tuple[int, int]]:
    found = []
    for _, end in spans:
        match = _INCLUSIVE.match(folded, end)
        if match and match.group().strip(" ,("):
            found.append(match.span())
    return found


def read_question(text: str, as_of, values, lexicon) -> Reading:
    text = _unswapped(text)
    folded = fold(text)
    time = _time_outside_metric_names(text, resolve_time(text, as_of), lexicon, as_of)
    reading = Reading(text, folded, time,
                      lower_is_better=lexicon.lower_is_better, averaged=lexicon.averaged)
    reading.consume(*reading.time.spans)
    reading.consume(*_inclusive_after(folded, reading.time.spans))
    reading.consume(*(m.span() for m in _MONDAY_WEEKS.finditer(folded)))  # the weeks we use anyway
    _read_chart(reading)
    _read_values_and_phrases(reading, values, lexicon)
    strong = frozenset(m.start for m in reading.matches if m.reading("metric") and not m.weak)
    # a superlative inside a metric's phrase still ranks ("payers who spend the most per paying user")
    phrases = {m.span for m in reading.matches if m.reading("metric") and _SUPERLATIVE_WORD.search(
        folded[m.start:m.end])}
    reading.ranking = find_ranking(folded, [s for s in reading.consumed if s not in phrases], strong)
    if reading.ranking:
        reading.consume(*reading.ranking.spans)
    return reading


# "weeks starting monday", "(Mon-Sun weeks)", "ISO weeks": how weeks are cut, which is how they are
# bucketed (weeks are labelled by their Monday)
_MONDAY_WEEKS = re.compile(
    r"\b(?:(?:with\s+)?weeks?\s+(?:starting|beginning|start(?:s)?|begin(?:s)?)\s+(?:on\s+)?(?:a\s+)?mondays?|"
    r"mon(?:day)?\s*(?:-|to|through|thru)\s*sun(?:day)?(?:\s+weeks?)?|iso(?:[\s-]+calendar)?\s+weeks?|"
    r"monday[\s-]+(?:based|start(?:ing)?|to[\s-]+sunday)\s+weeks?)\b")
_PLAIN_GRAINS = frozenset({"weekly", "monthly", "quarterly", "yearly"})
_SUPERLATIVE_WORD = re.compile(r"\b(?:most|least|highest|lowest|best|worst)\b")


def _time_outside_metric_names(text: str, time: TimeResolution, lexicon, as_of) -> TimeResolution:
    """ "daily active users" is the DAU metric, not a daily grain over active users."""
    found = lexicon.find(text)
    named = [m for m in found if m.reading("metric") or m.reading("context")]
    # "monthly active users this year" over a plain distinct count (not a per-day average like DAU) is
    # that count month by month: the grain word stays a grain
    inside = [s for s in time.spans if _GRAIN_WORD.match(text[s[0]:s[1]])
              and any(m.start <= s[0] and s[1] <= m.end and m.words > 1
                      and not (m.reading("metric") and m.reading("metric") not in lexicon.averaged
                               and text[s[0]:s[1]].strip().lower() in _PLAIN_GRAINS)
                      for m in named)]
    # "each day of the week" is the weekday dimension, not a daily grain
    inside += [s for s in time.spans if time.grain and any(
        m.reading("dimension") and m.words > 1 and m.start < s[1] and s[0] < m.end
        and (m.end - m.start) > (s[1] - s[0]) for m in found)]
    # "predicted lifetime value": a period word ("lifetime") inside a longer name is part of the name
    inside += [s for s in time.spans if s not in inside and not _GRAIN_WORD.match(text[s[0]:s[1]]) and any(
        m.words > 1 and m.start <= s[0] and s[1] <= m.end and (m.end - m.start) > (s[1] - s[0])
        and (m.reading("metric") or m.reading("dimension")) for m in found)]
    if not inside:
        return time
    # the rest of the question still has its own time words ("monthly average of daily active users")
    rest = resolve_time(blank_spans(text, inside), as_of)
    return replace(rest, spans=[s for s in rest.spans if s not in inside])


def _read_chart(reading: Reading) -> None:
    for pattern, chart in CHART_RE:
        match = pattern.search(reading.folded)
        if match:
            reading.chart, reading.chart_span = chart, match.span()
            reading.consume(match.span())
            return


_LEFT_OUT = re.compile(r"\b(?P<cue>leave|leaving|take|taking|keep|keeping|cut|cutting|count|counting)\s+"
                       r"(?P<value>(?:the\s+|all\s+)?[\w' -]{1,30}?)\s+(?P<out>out|aside)\b")


_OUT_OF = re.compile(r"\b(?P<out>out)\s+of\s+(?:the\s+)?$")


def _read_values_and_phrases(reading: Reading, values, lexicon) -> None:
    """Values and phrases compete for words: the longer reading of a stretch of text wins."""
    first = lexicon.find(reading.text, reading.consumed)
    kept = []
    found = values.find(reading.text) if values is not None else []
    # one guess per stretch of words ("Sale promos" read as every promo named so is one guess)
    reading.guessed_values = list({m.span: m for m in found if m.source == "fuzzy"}.values())
    reading.value_matches = found
    lone_metric = not any(m.reading("metric") for m in first if not _covers_value(m, found))
    # a metric's own name beats a value spelled alike ("ad impressions": the metric, not the
    # touch type called impression)
    named = [m for m in first if m.reading("metric") and _names_itself(reading.folded, m)]
    for vf in group_filters(found, reading.folded):
        spans = [
            s for s in vf.spans if not _beaten(s, first, lone_metric) and not _beaten(s, named, True)
            and not _overlaps(s, reading.consumed)
        ]
        included = [c for c in (_included(reading.folded, sp) for sp in spans) if c is not None]
        if spans and len(included) == len(spans) and vf.op in ("=", "in"):
            # "revenue including organic", "organic included": the value is not a filter
            reading.consume(*spans, *included)
            reading.notes += (f"Including {', '.join(map(str, vf.values))}: not filtered on it.",)
            continue
        if spans:
            kept.append(_with_spans(vf, spans))
    reading.value_filters = kept
    reading.value_spans = [s for vf in kept for s in vf.spans]
    reading.consume(*reading.value_spans)
    # a value named twice ("each Facebook campaign's share of total Facebook spend") is one filter,
    # and both mentions are accounted for
    repeated = [m.span for m in found
                if any(m.dimension == vf.dimension and m.value in vf.values for vf in kept)
                and not _beaten(m.span, first, lone_metric) and not _overlaps(m.span, reading.consumed)]
    reading.consume(*repeated)
    # "out of LGA": a preposition of two words before a value (the value resolver reads it as "from")
    reading.consume(*(m.span("out") for s in reading.value_spans
                      if (m := _OUT_OF.search(reading.folded[:s[0]])) is not None))
    reading.consume(*(m.span(g) for m in _LEFT_OUT.finditer(reading.folded)
                      if any(m.start("value") <= s[0] < m.end("value") for s in reading.value_spans)
                      for g in ("cue", "out")))
    reading.consume(*_glossed_names(reading.folded, reading.value_spans))
    reading.matches = [m for m in lexicon.find(reading.text, reading.consumed)
                       if not _command_verb(reading.folded, m)]
    reading.consume(*(m.span for m in reading.matches))
    reading.consume(*_glossed_phrases(reading, lexicon))


def _glossed_phrases(reading: Reading, lexicon) -> list[tuple[int, int]]:
    """ "top 3 creatives (ads)": a parenthesis right after a metric or dimension that names the same
    thing again says nothing new; its span, to account for its words."""
    spans = []
    for m in reading.matches:
        gloss = _GLOSS_AFTER.match(reading.folded, m.end)
        if gloss is None:
            continue
        written = gloss.group(1).strip()
        inner = lexicon.find(written) or lexicon.find(re.sub(r"s\b", "", written))  # "(ads)": ad
        if inner and all(i.readings[0] == m.readings[0] for i in inner):
            spans.append(gloss.span())
    return spans


_INCLUDED_BEFORE = re.compile(r"\b(?:including|include|includes|incl\.?|inclusive\s+of|along\s+with|"
                              r"together\s+with)\s+(?:the\s+|all\s+|any\s+|our\s+)?$")
_INCLUDED_AFTER = re.compile(r"^\s*(?:(?:users?|installs?|traffic|ones)\s+)?(?:included|inclusive)\b")


def _included(folded: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The span of an inclusion cue around a value ("including organic", "organic included"), or None."""
    before = _INCLUDED_BEFORE.search(folded[max(0, span[0] - 30):span[0]])
    if before is not None:
        offset = max(0, span[0] - 30)
        return before.start() + offset, before.end() + offset
    after = _INCLUDED_AFTER.match(folded[span[1]:])
    return (span[1] + after.start(), span[1] + after.end()) if after else None


def _beaten(span: tuple[int, int], matches: list[LexMatch], lone_metric: bool = False) -> bool:
    """A longer phrase beats a value; so does an equally long metric name when the question names no
    other metric ("organics last month" asks for organic installs, "organic revenue" filters revenue)."""
    return any(m.start < span[1] and span[0] < m.end and ((m.end - m.start) > (span[1] - span[0]) or
               lone_metric and m.reading("metric") and (m.end - m.start) == (span[1] - span[0]))
               for m in matches)


_GLOSS_BEFORE = re.compile(r"((?:[a-z][a-z'.-]*\s+){0,2}[a-z][a-z'.-]*)\s*\(\s*$")
_GLOSS_AFTER = re.compile(r"\s*\(\s*([a-z][a-z'. -]{0,40}?)\s*\)")


def _glossed_names(folded: str, value_spans) -> list[tuple[int, int]]:
    """ "Boston (BOS)", "ATL (Atlanta)": the name written beside a value's code, in or before
    parentheses, says the same thing and is accounted for with it."""
    spans = []
    for start, end in value_spans:
        if re.match(r"\s*\)", folded[end:]):
            before = _GLOSS_BEFORE.search(folded[:start])
            if before:
                spans.append(before.span(1))
        after = _GLOSS_AFTER.match(folded, end)
        if after:
            spans.append(after.span(1))
    return spans


_COMMAND = re.compile(r"\s*(?:it|them|me|us)\b")  # pronouns: "revenue this week" is no command


def _command_verb(folded: str, match: LexMatch) -> bool:
    """ "make it top 10", "show me": a one-word name first in the question, before an object, is
    the verb of a command, not the dimension called "make"."""
    return (match.words == 1 and not folded[:match.start].strip(" ,.!?")
            and _COMMAND.match(folded, match.end) is not None)


def _names_itself(folded: str, match: LexMatch) -> bool:
    written = " ".join(stem(w) for w in re.findall(r"[a-z0-9]+", folded[match.start:match.end]))
    return written == " ".join(stem(w) for w in match.reading("metric").split("_"))


def _covers_value(match: LexMatch, found) -> bool:
    return any(match.start < v.span[1] and v.span[0] < match.end for v in found)


def _overlaps(span, taken) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def _with_spans(vf, spans):
    """The filter limited to the values whose words survived."""
    if len(spans) == len(vf.spans):
        return vf
    values = tuple(v for v, s in zip(vf.values, vf.spans) if s in spans) or vf.values[:1]
    op = vf.op if len(values) > 1 else {"in": "=", "not in": "!="}.get(vf.op, vf.op)
    return type(vf)(vf.dimension, op, values, tuple(spans), vf.compared)
