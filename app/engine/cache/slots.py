"""Slots: everything about a question that changes its answer, compared for equality.

The primary extractor is the offline planner's plan (metrics, dimensions, filters,
absolute time range, grain, order, limit; or a tool and its arguments). Because a
planner can ignore a word it does not understand, raw-text guards run too: every
number, negation, time expression (resolved to dates), dimension value mention,
sort direction and aggregation cue. Two questions share a cache entry only when all
of these are identical -- so "top 5" never answers "top 10", nor "not iOS" "iOS".
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from app.engine.cache.keys import digest
from app.engine.nlp.numbers import find_numbers
from app.engine.nlp.text import fold, overlaps
from app.engine.nlp.timeexpr import resolve_time
from app.engine.planning.plan import ClarificationPlan, RefusalPlan

# Word classes, not words: paraphrases pick different words for the same idea.
CUE_WORDS: dict[str, tuple[str, ...]] = {
    "negation": (r"not", r"no", r"non", r"without", r"exclud\w*", r"except\w*", r"excl", r"other\s+than",
                 r"besides", r"never", r"neither", r"nor", r"minus", r"aside\s+from", r"apart\s+from",
                 r"ignor\w*", r"omit\w*", r"leav\w*\s+out", r"\w+n't"),
    "desc": (r"top", r"highest", r"most", r"largest", r"biggest", r"best", r"max\w*", r"greatest", r"leading",
             r"descending", r"desc", r"high\w*\s+to\s+low\w*", r"strongest"),
    "asc": (r"bottom", r"lowest", r"least", r"fewest", r"smallest", r"worst", r"min\w*", r"weakest",
            r"ascending", r"asc", r"low\w*\s+to\s+high\w*", r"cheapest"),
    "average": (r"average", r"avg", r"mean", r"typical"),
    "median": (r"median", r"percentile", r"p50", r"p90", r"p95", r"p99"),
    "share": (r"share", r"percent\w*", r"proportion", r"fraction"),
    "compare": (r"vs\.?", r"versus", r"compar\w*", r"against", r"relative\s+to", r"difference",
                r"change[sd]?", r"growth", r"grew", r"increase[sd]?", r"decrease[sd]?", r"delta",
                r"trend\w*", r"over\s+time"),
    "cumulative": (r"cumulative\w*", r"running\s+total", r"to\s+date"),
    "unique": (r"unique", r"distinct", r"different"),
    "predict": (r"predict\w*", r"forecast\w*", r"likely", r"expected", r"probabilit\w*", r"will"),
}
# Digits glued to letters are numbers too: "D7" vs "D30" retention, "p90", "top5".
_GLUED_DIGITS = re.compile(r"(?<=[a-z])\d+\b|\b\d+(?=[a-z])")
# Below this the offline planner itself is unsure what the question asks (unknown words):
# its plan is no evidence that two questions mean the same, so only the exact tier applies.
MIN_PLAN_CONFIDENCE = 0.6
CUES: tuple[tuple[str, re.Pattern], ...] = tuple(
    (name, re.compile(r"\b(?:" + "|".join(words) + r")\b")) for name, words in CUE_WORDS.items()
)


@dataclass(frozen=True)
class Slots:
    """The comparable parse of one question; ``signature`` is what two questions must share."""

    plan: str  # digest of the plan without confidence/rationale, sets sorted
    numbers: tuple[int, ...]
    time: tuple[Any, ...]
    values: tuple[tuple[str, str, bool], ...]
    cues: tuple[str, ...]
    terms: tuple[tuple[str, str], ...] = ()  # metric/dimension names the words themselves name


    @property
    def signature(self) -> str:
        return digest([self.plan, self.numbers, self.time, self.values, self.cues, self.terms])


def extract_slots(question: str, plan: Any, as_of: dt.date, values: Any = None,
                  lexicon: Any = None) -> Slots | None:
    """The slots of ``question`` given the offline planner's ``plan`` of it (and its value
    resolver and lexicon for the raw-text guards); None when it
    cannot be compared (a clarification or refusal, or a plan the planner is unsure of)."""
    if (plan is None or isinstance(plan, ClarificationPlan | RefusalPlan)
            or plan.confidence < MIN_PLAN_CONFIDENCE):
        return None
    folded = fold(question or "")
    cue_text = folded.replace("%", " percent ")
    time = resolve_time(question or "", as_of)
    return Slots(
        plan=plan_signature(plan),
        numbers=_numbers_outside(folded, time.spans),
        time=(_dates(time.range), _dates(time.compare_range), time.grain, time.all_time),
        values=_value_mentions(question, values),
        cues=tuple(name for name, pattern in CUES if pattern.search(cue_text)),
        terms=_terms(folded, lexicon),
    )


def plan_signature(plan: Any) -> str:
    """Digest of what the plan does; metric/dimension/filter order does not matter."""
    data = plan.model_dump(mode="json", exclude={"confidence", "rationale"})
    query = data.get("query")
    if isinstance(query, dict):
        for name in ("metrics", "dimensions"):
            query[name] = sorted(query.get(name) or [])
        query["filters"] = sorted(_canonical_filter(f) for f in query.get("filters") or [])
    return digest(data)


def _canonical_filter(item: Any) -> str:
    if isinstance(item, dict):
        values = item.get("values")
        return digest({**item, "values": sorted(map(str, values))} if isinstance(values, list) else item)
    return str(item)


def _numbers_outside(folded: str, time_spans: list[tuple[int, int]]) -> tuple[int, ...]:
    # Numbers inside a time expression are already in the resolved dates ("last 7 days"
    # and "the past week" may be the same range); every other number must match.
    found = find_numbers(folded) + [(int(m.group()), m.span()) for m in _GLUED_DIGITS.finditer(folded)]
    return tuple(sorted(value for value, span in found if not overlaps(span, time_spans)))


def _dates(window: Any) -> tuple[str, str] | None:
    if window is None:
        return None
    start, end = (window.start, window.end) if hasattr(window, "start") else tuple(window)
    return (str(start), str(end))


def _value_mentions(question: str, values: Any) -> tuple[tuple[str, str, bool], ...]:
    if values is None:
        return ()
    return tuple(sorted({(m.dimension, m.value, m.negated) for m in values.find(question or "")}))


def _terms(folded: str, lexicon: Any) -> tuple[tuple[str, str], ...]:
    # Every metric or dimension a phrase of the question names, used by the plan or not:
    # "retained users day 7" and "D7 retention" may get one plan, but name different metrics.
    if lexicon is None:
        return ()
    return tuple(sorted({reading for match in lexicon.find(folded) for reading in match.readings}))
