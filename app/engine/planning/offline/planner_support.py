"""Small pieces of the offline planner: confidence of a plan, a split into named versions, value words,
and building the value resolver."""
from __future__ import annotations

import re

from app.engine.nlp.text import blank_spans
from app.engine.nlp.values import ValueResolver
from app.engine.nlp.values_index import case_values
from app.engine.planning.offline.confidence import plan_confidence, unexplained_words, unsupported_cues
from app.engine.planning.offline.defaults import base_metric
from app.engine.planning.offline.lexicon import stem
from app.engine.planning.offline.metrics import MetricChoice
from app.engine.planning.offline.vocabulary import vocabulary
from app.engine.planning.offline.words import STOP_WORDS

TIME_WORDS = frozenset(str(w) for w in vocabulary()["context_words"]["time"])
from semantic_layer import Filter


def confidence(source: str, reading, choice: MetricChoice, dropped: int = 0, planned=None) -> float:
    """A dropped grouping or filter, or a cue the plan does not express, means the answer would ignore
    part of the question: it counts like an unexplained word. ``planned``: the metrics the plan computes
    when the named ones became another ("a click ... cost on average" is CPC, an average)."""
    unread = blank_spans(reading.folded, reading.consumed)
    # named by _fit and the shapes
    expressed = choice.names + tuple(m for m in planned or () if m not in choice.names)
    missed = unsupported_cues(unread, expressed, reading.averaged) + len(reading.dropped)
    if source == "embedding" and not missed and not unexplained_words(reading.leftover_words()):
        source = "corroborated"  # every word fits the metric the embedding found ("advertising expenditure")
    return plan_confidence(source, reading.leftover_words(), choice.score if source == "embedding" else None,
                           guessed=len(reading.guessed_values), missed=missed)


def value_split(metrics: tuple[str, ...], filters, dims: tuple[str, ...], model, compared: bool = False):
    """ "paid vs organic installs" -> the two narrower metrics (paid_installs and organic_installs),
    when the model names a metric for each compared value of a dimension (``<value>_<metric>``); not
    a filter. Asked added up they become the base metric (refine.siblings_together), else one row
    per value (siblings_as_rows)."""
    if len(metrics) != 1:
        return metrics, tuple(filters), dims
    base = base_metric(model, metrics[0]) or metrics[0]
    for dim in dict.fromkeys([f.dimension for f in filters] + list(dims)):
        split = _split_metrics(model, dim, base)
        if not split:
            continue
        both = [f for f in filters if f.dimension == dim and set(map(str, f.values)) == set(split)]
        one_side = [f for f in filters if f.dimension == dim and f.op == "=" and str(f.values[0]) in split]
        if metrics[0] in split.values() and one_side and compared:
            both = one_side  # "installs from campaigns vs organic"
        if both or (dim in dims and not any(f.dimension == dim for f in filters)):
            rest = tuple(f for f in filters if f not in both)
            ordered = sorted(split.values(), key=list(model.metrics).index)  # in the model's order
            return tuple(ordered), rest, tuple(d for d in dims if d != dim)
    return metrics, tuple(filters), dims


_AS_COLUMNS = re.compile(r"\b(?:(?:two|2|both|separate)\s+(?:numbers|figures|columns|values)|as\s+columns|"
                         r"side[\s-]by[\s-]side|in\s+(?:two|separate)\s+columns)\b")


def siblings_as_rows(metrics: tuple[str, ...], dims: tuple[str, ...], model, folded: str = ""):
    """(metrics, dims): "daily paid and organic installs": the narrower metrics of every value of a
    two-valued dimension, asked side by side, are their base metric by that dimension (rows), unless
    the question asks for them as numbers of their own ("as two numbers", "side by side")."""
    if len(metrics) < 2 or _AS_COLUMNS.search(folded):
        return metrics, dims
    bases = {base_metric(model, m) for m in metrics}
    if len(bases) != 1 or None in bases:
        return metrics, dims
    base = next(iter(bases))
    for dim, spec in model.dimensions.items():
        if spec.type != "categorical":
            continue
        split = _split_metrics(model, dim, base)
        if split and set(split.values()) == set(metrics):
            return (base,), dims if dim in dims else (*dims, dim)
    return metrics, dims


def _split_metrics(model, dim: str, base: str) -> dict[str, str]:
    """{value: metric} for a two-valued dimension whose every value names a version of ``base``."""
    values = case_values(model, dim)
    if len(values) != 2:
        return {}
    found = {v: f"{v.lower()}_{base}" for v in values}
    return found if all(m in model.metrics for m in found.values()) else {}


def words(metrics) -> str:
    return " and ".join(m.replace("_", " ") for m in metrics) or "this list"


def cohort_cue(folded: str) -> bool:
    return bool(re.search(r"\b(?:install\w*|joined|acquired|cohorts?)\b", folded))


def value_words(f: Filter) -> set[str]:
    return {stem(str(v).lower()) for v in f.values}


def changed_shape(previous, dims) -> bool:
    return tuple(dims) != tuple(previous.query.dimensions)


def without(text: str, spans) -> str:
    for start, end in sorted(spans, reverse=True):
        if end <= len(text):
            text = text[:start] + text[end:]
    return " ".join(text.split()) + " "


def protected_value_words(values) -> frozenset[str]:
    index = getattr(values, "index", None)
    phrases = getattr(index, "phrases", {}) or {}
    return frozenset(words[0] for words in phrases if len(words) == 1 and len(words[0]) >= 4)


def value_resolver(model, schema, warehouse):
    common = STOP_WORDS | TIME_WORDS  # the resolver adds the model's own words
    if warehouse is not None:
        return ValueResolver.from_warehouse(warehouse, model=model, common_words=common)
    return ValueResolver.from_schema(schema, model=model, common_words=common) if schema is not None else None


# "installs per media source, organic included": the breakdown keeps organic as a row of its own
_INCLUDED_AFTER = re.compile(r"\s*(?:users\s+|installs\s+)?(?:included|too|as\s+well|"
                             r"as\s+(?:its|their)\s+own\s+(?:line|row|group)s?)\b")
_INCLUDED_BEFORE = re.compile(r"\b(?:including|incl\.?|with)\s+(?:the\s+)?$")


def included_values(reading, grouped: set[str]) -> None:
    """A value said to be *included* in a breakdown by its own dimension is a row of it, not a
    filter: its filter goes, and the words saying so are accounted for."""
    kept = []
    for vf in reading.value_filters:
        if vf.dimension not in grouped or vf.op not in ("=", "in"):
            kept.append(vf)
            continue
        cues = []
        for start, end in vf.spans:
            after = _INCLUDED_AFTER.match(reading.folded, end)
            before = _INCLUDED_BEFORE.search(reading.folded[:start])
            if after or before:
                cues.append((start, after.end() if after else end) if after else (before.start(), end))
        if len(cues) == len(vf.spans):
            reading.consume(*cues)  # "organic users included": "users" is no metric of its own here
            reading.matches = [m for m in reading.matches if m.reading("dimension") or not any(
                s <= m.start and m.end <= e for s, e in cues)]
        else:
            kept.append(vf)
    reading.value_filters = kept


def years_of_attributes(reading, model, as_of) -> None:
    """ "planes built before 1990": the year is a value of the model's year attribute, so it leaves
    the question's period (read again without it) and becomes a threshold on that attribute."""
    from app.engine.nlp.text import overlaps
    from app.engine.nlp.timeexpr import resolve_time
    from app.engine.planning.offline.thresholds import year_thresholds

    found = year_thresholds(reading.folded, model)
    if not found:
        return
    spans = [t.span for t in found]
    old = list(reading.time.spans)
    reading.time = resolve_time(blank_spans(reading.text, spans), as_of)
    reading.consumed = [s for s in reading.consumed if s not in old and not overlaps(s, spans)]
    reading.consume(*reading.time.spans, *spans)
    reading.year_thresholds = tuple(found)
