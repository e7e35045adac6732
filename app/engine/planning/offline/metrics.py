"""Which metrics a question names, and which metric words only describe the population.

Lexical matches come from :mod:`lexicon`; when none names a metric, the planner
asks :mod:`embedding` for the closest metric to the words nobody explained.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from app.engine.planning.offline.defaults import DAY_WINDOW, Family, base_metric, families, simple_measure
from app.engine.planning.offline.lexicon import LexMatch


@dataclass(frozen=True)
class MetricChoice:
    names: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    source: str  # "lexical" | "typo" | "weak" | "family" | "embedding" | "inferred" | "none"
    score: float = 1.0
    context: tuple[tuple[str, bool], ...] = ()  # (metric, negated) naming the population, not a column
    named: tuple[tuple[str, tuple[int, int]], ...] = ()  # each metric with where it was named


_CONTEXT_BEFORE = re.compile(
    r"\b(?:for|of|among|from|in|on|into)\s+(?:the\s+|our\s+|all\s+|new\s+)?(?:[a-z0-9][a-z0-9-]*\s+)?$|"
    r"\bfrom\s+[a-z]+\s+to\s+$|"
    # "revenue for organic vs paid installs": the installs of two values set side by side
    r"\b(?:for|of|among|from|in|on)\s+(?:the\s+|our\s+|all\s+)?[a-z0-9-]+\s+(?:vs\.?|versus|or|and)\s+"
    r"[a-z0-9-]+\s+$|"
    r"\b(?:who|that|which)\s+(?:\w+\s+)?$|"
    # "installs scoring above 0.9 but (are) not labelled fraud": a clause describing the same rows
    r"\b(?:but|yet|and)\s+(?:are|is|were|was|have\s+been|has\s+been)\s+$"
)
# "number of installs" names the metric itself.
_QUANTITY_OF = re.compile(
    r"\b(?:number|count|total|amount|sum|volume|share|percentage|rate|ratio|level|trend)\s+of\s+"
    r"(?:the\s+|our\s+|all\s+|new\s+)?$"
)


def choose_metrics(
    matches: list[LexMatch], used_as_dimension: set[tuple[int, int]], folded: str = "", model=None
) -> MetricChoice:
    """Metrics named in the question, in order, each once; weak words only when nothing else is.

    A metric word after "for"/"of" once another metric is named describes the population
    ("D7 retention for installs in May"), so it is not asked for itself.
    """
    named = _without_topics(
        [m for m in matches if m.reading("metric") and m.span not in used_as_dimension], folded
    )
    named = _without_verb_phrases(named, folded)
    context = [m for i, m in enumerate(named) if i and not m.weak and (
        _describes_population(folded[:m.start]) or _ratio_of_its_rows(named[i - 1], m, folded, model))]
    if all(m.weak for m in named if m not in context):
        context = []  # "how many folks in Brazil installed": nothing else is asked, so installs is the metric
    for i, m in enumerate(named):  # "payers who spend the most per paying user": payers are the people
        before = named[i - 1] if i else None
        if m in context and before is not None and _WHO_DOES.fullmatch(folded[before.end:m.start]) \
                and _denominator(model, m.reading("metric")) == before.reading("metric"):
            context = [c for c in context if c is not m] + [before]
    metric = [m for m in named if m not in context]
    strong = [m for m in metric if not m.weak]
    chosen = strong or metric
    if not chosen:
        return MetricChoice((), (), "none", 0.0)
    names = tuple(dict.fromkeys(m.reading("metric") for m in chosen))
    source = "weak" if not strong else ("typo" if any(m.corrected for m in chosen) else "lexical")
    negated = [bool(_NEGATED.search(folded[:m.start])) for m in context]
    # "non-fraud installs": the narrower metric negated is its base metric over the other rows
    flipped = {m.reading("metric"): base_metric(model, m.reading("metric")) for m in chosen
               if len(chosen) == 1 and _NEGATED.search(folded[:m.start])}
    flipped = {name: base for name, base in flipped.items() if base not in (None, name)}
    if flipped:
        names = tuple(dict.fromkeys(flipped.get(n, n) for n in names))
        context = context + [m for m in chosen if m.reading("metric") in flipped]
        negated = negated + [True] * len(flipped)
    # ``named`` keeps the population words too: "clicks turned into installs" is still CVR's two parts,
    # and weak words can be a ratio's part: "what we make off each paying user" is ARPPU.
    every = sorted(metric + context, key=lambda m: m.start)
    return MetricChoice(
        names,
        tuple(m.span for m in chosen),
        source,
        named=tuple((m.reading("metric"), m.span) for m in every),
        context=tuple((m.reading("metric"), n) for m, n in zip(context, negated, strict=True)),
    )


# "how many installs did each source bring in": "bring in" is the verb of the metric named before it
_AUX_BEFORE = re.compile(r"\b(?:did|does|do|has|have|had|will|would)\s+(?:[\w']+\s+){0,4}$")


def _without_verb_phrases(named: list[LexMatch], folded: str) -> list[LexMatch]:
    kept = []
    for m in named:
        phrase = folded[m.start:m.end]
        earlier = [k for k in kept if not k.weak and k.reading("metric") != m.reading("metric")]
        if earlier and phrase.endswith(" in") and _AUX_BEFORE.search(folded[:m.start]):
            continue
        kept.append(m)
    return kept


_OF_THE = re.compile(r"\s+(?:of|for|among)\s+(?:the\s+|our\s+|all\s+)?")


def _ratio_of_its_rows(ratio: LexMatch, m: LexMatch, folded: str, model) -> bool:
    """ "fraud rate of installs where ...": a ratio's own denominator written right after it with "of"
    is the rows the ratio is taken over, not a second metric."""
    return bool(_OF_THE.fullmatch(folded[ratio.end:m.start])) and \
        _denominator(model, ratio.reading("metric")) == m.reading("metric") is not None


def _denominator(model, name: str | None) -> str | None:
    """What a ratio is "per" ("payers who spend X per paying user": ARPPU is per paying user)."""
    metric = model.metrics.get(name or "") if model is not None else None
    return metric.type_params.denominator if metric is not None and metric.type == "ratio" else None


_WHO_DOES = re.compile(r"\s+(?:who|that)\s+(?:[\w']+\s+){0,2}")
_TOPIC_AFTER = re.compile(r"[\s-]*wise\b")


def _without_topics(named: list[LexMatch], folded: str) -> list[LexMatch]:
    """ "which sources are sketchy fraud-wise": an "X-wise" word names the subject of another metric
    (sketchy = fraud rate), so it adds a metric only when it is the only one named ("how are we doing
    cost-wise")."""
    topics = [m for m in named if _TOPIC_AFTER.match(folded, m.end)]
    others = [m for m in named if m not in topics and not m.weak]
    return [m for m in named if m not in topics] if topics and others else named


def as_population(choice: MetricChoice, folded: str) -> MetricChoice:
    """In a follow-up the previous metrics come first: "and for fraudulent installs?" narrows, it names
    no metric."""
    context = [(name, bool(_NEGATED.search(folded[:span[0]]))) for name, span in choice.named
               if _describes_population(folded[:span[0]])]
    if not context:
        return choice
    kept = tuple((name, span) for name, span in choice.named if name not in {n for n, _ in context})
    return replace(choice, names=tuple(dict.fromkeys(n for n, _ in kept)), named=kept,
                   source=choice.source if kept else "none", context=choice.context + tuple(context))


def context_filters(choice: MetricChoice, model) -> list:
    """ "revenue from non-fraudulent installs" -> the filter that defines fraud installs, negated."""

    found = []
    for name, negated in choice.context:
        metric = model.metrics.get(name)
        for f in (metric.filter if metric is not None and metric.type == "simple" else ()):
            found.append(_negated_filter(f) if negated else f)
    return found


def _negated_filter(f):
    if f.op == "=" and len(f.values) == 1 and isinstance(f.values[0], bool):
        return f.model_copy(update={"values": (not f.values[0],)})
    return f.model_copy(update={"op": {"=": "!=", "!=": "=", "in": "not in", "not in": "in"}.get(f.op, f.op)})


# "not labelled as fraud", "never flagged fraudulent": a verb of labelling may stand between
_NEGATED = re.compile(r"\b(?:non|not|no|never|without|excluding|except|clean|legit\w*)[\s-]*"
                      r"(?:(?:labell?ed|flagged|marked|tagged|classified|identified|detected|considered|"
                      r"confirmed)\s+(?:as\s+)?)?$")


def _describes_population(before: str) -> bool:
    before = _unnegated(before)
    return bool(_CONTEXT_BEFORE.search(before)) and not _QUANTITY_OF.search(before)


def _unnegated(before: str) -> str:
    return _NEGATED.sub("", before)


def family_metrics(folded: str, model) -> MetricChoice | None:
    """ "retention" with no day count -> D1, D7 and D30 together; "come back the next day" -> D1."""
    for family in families(model):
        match = family.cue.search(folded)
        if match is None:
            continue
        if family.days:
            days = [(name, found.span()) for name, n in zip(family.names, family.days, strict=True)
                    if (found := _day_cue(n).search(folded))]
            if days:  # "come back the next day": the cue's words are explained too
                return MetricChoice((days[0][0],), (match.span(), days[0][1]), "inferred", 0.7)
        return MetricChoice(family.names, (match.span(),), "family", 0.7)
    return None


_HOW_MANY = re.compile(r"\b(?:how\s+many|number\s+of|count\s+of|count)\b")
_RATE_WORDS = re.compile(r"\b(?:rate|rates|ratio|percent(?:age)?|pct|share|fraction|proportion|retention|"
                         r"retained\s+rate)\b|%")


def counted_retention(metrics: tuple[str, ...], folded: str, model) -> tuple[str, ...]:
    """ "how many of the June 1 installers came back a week later": the retained users (a day-window
    rate's numerator), not the rate."""
    if not _HOW_MANY.search(folded) or _RATE_WORDS.search(folded):
        return metrics
    windowed = {n for family in families(model) if family.days for n in family.names}
    counted = tuple(model.metrics[m].type_params.numerator if m in windowed else m for m in metrics)
    return counted if all(m in model.metrics for m in counted) else metrics


def clarify_family(choice: MetricChoice, reading, model):
    """The question asked back with each metric the word may mean, written into it."""
    from app.engine.planning.plan import ClarificationPlan

    start, end = choice.spans[0]
    written = reading.text[start:end]
    labels = [_label(n, model) for n in choice.names]
    simple = len(written.split()) == 1
    options = tuple(
        f"{reading.text[:start]}{label.split(' (')[0]}{reading.text[end:]}" if simple
        else f"{reading.text.rstrip(' ?.!')} ({label.split(' (')[0]})"
        for label in labels)
    question = (f"“{written}” can mean {', '.join(labels[:-1])} or {labels[-1]}, and they give different "
                f"numbers. Which do you mean?")
    return ClarificationPlan(question=question, options=options, confidence=0.4,
                             rationale=f"offline: {written!r} names several metrics")


_LISTED = re.compile(r"\b(?:and|plus|as\s+well\s+as|along\s+with)\b|[,&]")


def installs_as_cohort(choice: MetricChoice, folded: str, model) -> bool:
    """ "do users come back the day after installing? last month's installs": a day-window rate is
    measured on a cohort, so the cohort's count (the rate's denominator, or a narrower version of it)
    named beside the rate's cue is the cohort, unless listed with it ("installs and retention by
    country")."""
    for family in families(model):
        cue = family.cue.search(folded) if family.days else None
        if cue is None or not choice.names or not set(choice.names) <= _cohort_counts(model, family):
            continue
        between = [
            folded[end : cue.start()] if end <= cue.start() else folded[cue.end() : start]
            for start, end in choice.spans
        ]
        return not any(_LISTED.search(text) for text in between)
    return False


def _cohort_counts(model, family: Family) -> set[str]:
    """The metrics counting what a family's cohort holds: counts of rows keyed like the rows the
    rates' denominators count (installs, paid installs and the cohort's own installs)."""
    def keys(table) -> set[str]:
        return {e.name for e in table.entities if e.type in ("primary", "unique")}

    def counted_table(name):
        found = simple_measure(model, name)
        return found[0] if found is not None and found[1].agg == "count" else None

    cohort_keys = set()
    for name in family.names:
        table = counted_table(model.metrics[name].type_params.denominator)
        cohort_keys |= keys(table) if table is not None else set()
    return {name for name in model.metrics
            if (table := counted_table(name)) is not None and keys(table) & cohort_keys}


_DAY_WORDS = {1: "one", 7: "seven", 14: "fourteen", 30: "thirty", 60: "sixty", 90: "ninety"}


@lru_cache(maxsize=32)
def _day_cue(days: int) -> re.Pattern:
    """Which day of a day-window family a phrase means: "come back the next day" is D1, "a week
    later" D7, "a month later" D30, "day 14" / "14 days later" D14."""
    number = rf"(?:{days}|{_DAY_WORDS[days]})" if days in _DAY_WORDS else str(days)
    cues = [rf"\bday\s+{number}\b", rf"\b{number}\s+days\s+(?:later|after)"]
    if days == 1:
        cues += [r"\bnext\s+day", r"\b(?:a|one|1)\s+day\s+(?:later|after)", r"\bthe\s+day\s+after"]
    if days == 7:
        cues += [r"\b(?:a|one|1)\s+week\s+(?:later|after)", r"\bafter\s+(?:a|one)\s+week"]
    if days == 30:
        cues += [r"\b(?:a|one|1)\s+month\s+(?:later|after)", r"\bafter\s+(?:a|one)\s+month"]
    return re.compile("|".join(cues))


def _label(name: str, model) -> str:
    """ "D7 retention" for retention_d7; else the metric's words (its first synonym for an
    abbreviation: cvr -> conversion rate) and the description's first clause in brackets."""
    window = DAY_WINDOW.fullmatch(name)
    metric = model.metrics.get(name)
    if window and metric is not None and metric.type == "ratio":
        return f"D{window['days']} {window['stem'].replace('_', ' ')}"
    words = name.replace("_", " ")
    if metric is not None and metric.synonyms and " " not in words and len(words) <= 4:
        words = metric.synonyms[0]
    about = re.split(r"[,(]", metric.description or "")[0].strip().rstrip(".") if metric is not None else ""
    about = f"{about[:1].lower()}{about[1:]}"
    return f"{words} ({about})" if about and about.lower() != words.lower() else words


