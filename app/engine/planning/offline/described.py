"""Words a model's own descriptions and units give its metrics and dimensions.

Whoever wrote "One row per scheduled flight that left New York" or ``units: minutes`` has told us
which words go with a metric: a question saying "how many flights were scheduled" or "the delay in
minutes" uses them. They are context words (app/engine/planning/offline/context.py): consumed only
when the plan already uses that metric or dimension, never choosing one. A word that names another
metric or dimension of the model is left out, so "cancelled" in the description of all flights
never hides a question about cancelled flights. Comparison is on a light stem that also folds verb
endings ("departed", "departing", "departs" -> "depart").
"""
from __future__ import annotations

import re

from app.engine.planning.offline.defaults import event_tables
from app.engine.planning.offline.lexicon import stem
from app.engine.planning.offline.reach import measure_tables
from app.engine.planning.offline.vocabulary import vocabulary
from app.engine.planning.offline.words import STOP_WORDS

_WORD = re.compile(r"[a-z][a-z']+")
_CAPITALIZED = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,3}\b")
# Units as people write them: the model says USD, a question says dollars.
UNIT_WORDS = {
    "usd": ("usd", "dollar", "dollars", "$", "bucks"), "eur": ("eur", "euro", "euros"),
    "gbp": ("gbp", "pound", "pounds"), "minutes": ("minute", "minutes", "min", "mins"),
    "hours": ("hour", "hours", "hrs"), "seconds": ("second", "seconds", "sec", "secs"),
    "days": ("day", "days"), "miles": ("mile", "miles", "mi"), "km": ("km", "kilometer", "kilometers"),
    "percent": ("percent", "percentage", "pct"), "%": ("percent", "percentage", "pct"),
}
_IRREGULAR = {str(k): str(v) for k, v in vocabulary()["irregular_verbs"].items()}
# a rate is a share: "percentage of delayed flights" asks for the delay rate
_SHARE_ROOTS = frozenset({"percentage", "percent", "share", "fraction", "proportion", "rate", "pct"})
_CACHE: dict[str, tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]] = {}


def root(word: str) -> str:
    """``stem`` plus verb endings: logged -> log, departing -> depart, flew -> fly, left -> leave."""
    word = word.lower().removesuffix("'s")
    word = stem(_IRREGULAR.get(word, word))
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
                word = word[:-1]  # logged -> logg -> log
            break
    return word.removesuffix("e") if len(word) > 4 else word


def described_words(model) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """``({metric: roots}, {dimension: roots})`` from descriptions, their tables' and units."""
    key = model.version_hash
    if key not in _CACHE:
        taken = _model_words(model)
        events = event_tables(model)
        event_roots = frozenset(root(str(w)) for w in vocabulary()["event_verbs"])
        activity_roots = frozenset(root(str(w)) for w in vocabulary()["activity_verbs"])
        metrics = {name: _roots(_metric_texts(model, name), taken) | _unit_roots(metric.units)
                   | (_SHARE_ROOTS if metric.type == "ratio" else frozenset())
                   | (event_roots if measure_tables(model, name) & events else frozenset())
                   | (activity_roots if _dated(model, name) else frozenset())
                   | _table_roots(model, name)
                   for name, metric in model.metrics.items()}
        # a dimension's own longer synonyms lend it their words ("minutes late leaving": "late")
        # and its table's description ("engine type of the aircraft": planes are "one row per aircraft")
        tables = {d.name: t.description or "" for t in model.spec.semantic_models for d in t.dimensions}
        # and its table's own name and entity ("flights on planes with ...": the planes table), even
        # when a metric's name also uses the word (planes_flown)
        names = {d.name: _roots([t.name.replace("_", " "), *(e.name.replace("_", " ") for e in t.entities
                                                            if e.type == "primary")], frozenset())
                 for t in model.spec.semantic_models for d in t.dimensions}
        dimensions = {name: _roots([dim.description, tables.get(name, ""), *dim.synonyms], taken)
                      | names.get(name, frozenset()) | _unit_roots(dim.units)
                      for name, dim in model.dimensions.items()}
        _CACHE[key] = (metrics, dimensions)
    return _CACHE[key]


def _table_roots(model, name: str) -> frozenset[str]:
    """The name of the table a metric counts over is its word even when another metric's name uses
    it too ("how many destinations did United fly to": destinations are counted over flights)."""
    from app.engine.planning.offline.reach import measure_tables

    own = _roots([name.replace("_", " ")], frozenset())  # the metric's own name is no description
    return _roots([table.replace("_", " ") for table in measure_tables(model, name)], frozenset()) - own


def _dated(model, name: str) -> bool:
    from app.engine.planning.offline.reach import measures_of

    return any(model.measure(m)[1].agg_time_dimension for m in measures_of(model, name))


def _metric_texts(model, name: str, seen: frozenset[str] = frozenset()) -> list[str]:
    metric = model.metrics.get(name)
    if metric is None or name in seen:
        return []
    texts = [metric.description]
    if metric.type == "simple" and metric.type_params.measure in model.measures:
        table, measure = model.measures[metric.type_params.measure]
        texts += [measure.description, table.description]
    for part in metric.inputs():
        texts += _metric_texts(model, part, seen | {name})
    return texts


def _model_words(model) -> frozenset[str]:
    """Roots of words that name another item on their own: each word of a metric's name
    ("cancelled" of cancelled_flights) and one-word names and synonyms of dimensions. A word inside
    a longer dimension phrase ("scheduled" of "scheduled departure hour") names nothing alone."""
    words = {w for name in model.metrics for w in name.lower().split("_")}
    words |= {s.lower() for m in model.metrics.values() for s in m.synonyms if " " not in s.strip()}
    words |= {name.lower() for name in model.dimensions if "_" not in name}
    words |= {s.lower() for d in model.dimensions.values() for s in d.synonyms if " " not in s.strip()}
    return frozenset(root(w) for w in words if w)


def _roots(texts: list[str], taken: frozenset[str]) -> frozenset[str]:
    words = {w for text in texts for w in _WORD.findall((text or "").lower())}
    # a name written in capitals is also said by its initials: "New York City" -> "nyc"
    words |= {"".join(w[0] for w in m.group().split()).lower() for text in texts
              for m in _CAPITALIZED.finditer(text or "")}
    return frozenset(root(w) for w in words if w not in STOP_WORDS and len(w) > 2) - taken


def _unit_roots(units: str | None) -> frozenset[str]:
    if not units:
        return frozenset()
    return frozenset(root(w) for w in UNIT_WORDS.get(units.strip().lower(), (units.lower(),)))
