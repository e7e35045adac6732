"""Words a plan accounts for because of what it computes: "how much did we burn on ads" is cost, and
"ads" only says where the money went; "why did installs drop last week" is installs over a period.

Context words never choose a metric or a dimension (the model's ``vocabulary.context_words``; the
time words are general, in vocabulary.yaml): they are
consumed only when the plan already uses the metric, dimension or period they belong to, so a word
nobody could place still leaves the plan unsure.
"""
from __future__ import annotations

import re
from functools import cache

from app.engine.nlp.text import tokens
from app.engine.nlp.timeexpr_parts import monday_week_spans
from app.engine.planning.offline.described import described_words, root
from app.engine.planning.offline.lexicon import stem
from app.engine.planning.offline.vocabulary import vocabulary
from semantic_layer import METRIC_TIME, SemanticQuery

_STEMMED: dict[tuple[str, str], dict[str, frozenset[str]]] = {}  # (model version, kind) -> stems


def _table(model, kind: str) -> dict[str, frozenset[str]]:
    if model is None:
        return {}
    key = (model.version_hash, kind)
    if key not in _STEMMED:
        table = getattr(model.spec.vocabulary.context_words, kind)
        _STEMMED[key] = {name: frozenset(stem(str(w)) for w in words) for name, words in table.items()}
    return _STEMMED[key]


@cache
def _time_words() -> frozenset[str]:
    return frozenset(stem(str(w)) for w in vocabulary()["context_words"]["time"])


def context_words(query: SemanticQuery, model) -> frozenset[str]:
    """The stems a plan accounts for: its metrics', its dimensions' and filters', and time words."""
    metrics, dimensions = _table(model, "metrics"), _table(model, "dimensions")
    said_metrics, said_dimensions = described_words(model) if model is not None else ({}, {})
    words: set[str] = set()
    for metric in query.metrics:
        base = metric.split(":", 1)[-1] if metric.startswith("count_distinct:") else metric
        words |= metrics.get(metric, frozenset()) | dimensions.get(base, frozenset())
        words |= said_metrics.get(metric, frozenset()) | said_dimensions.get(base, frozenset())
        # its own name's and synonyms' words: "planes did each airline use" (synonym "aircraft used")
        spec = model.metrics.get(base) if model is not None else None
        texts = [base, *(spec.synonyms if spec is not None else ())]
        words |= {root(w) for t in texts for w in re.split(r"[\W_]+", t.lower()) if len(w) > 2}
    used = set(query.dimensions) | {f.dimension for f in query.filters}
    for name in used:
        words |= dimensions.get(name, frozenset()) | said_dimensions.get(name, frozenset())
    if query.time_range is not None or METRIC_TIME in query.dimensions or query.per_period or query.cohort:
        words |= _time_words()
    return frozenset(words)


def account_context_words(reading, query: SemanticQuery, model) -> None:
    """Consume the leftover words the plan explains by what it computes."""
    if query.grain == "week" or query.per_period == "week":
        reading.consume(*monday_week_spans(reading.folded))  # "Monday-to-Sunday weeks": as grouped
    accounted = context_words(query, model)
    if not accounted:
        return
    reading.consume(
        *(
            (t.start, t.end)
            for t in tokens(reading.folded)
            if _forms(t.text) & accounted and not _consumed(reading, t)
        )
    )


def _forms(word: str) -> set[str]:
    return {word, stem(word), word.rstrip("s"), root(word)}


def _consumed(reading, token) -> bool:
    return any(s <= token.start and token.end <= e for s, e in reading.consumed)
