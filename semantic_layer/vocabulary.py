"""The words people use for a model's metrics, dimensions and values (``vocabulary:`` in a model file).

A model's own names and ``synonyms`` are how questions reach it. The optional ``vocabulary:`` block
adds what a team says about *its* data and what no general rule can know: everyday phrases
("burn" for cost), weak phrases used only when nothing stronger names a metric ("money" ->
revenue), context words that a plan using a metric accounts for ("ads" in "how much did we burn
on ads"), aliases of dimension values ("fb" -> Facebook) and phrases naming several values
("Samsung phones" -> every device model starting with ``SM-``). The offline planner, the value
resolver and the cache's slot checks read it; nothing about one dataset lives in code.

Every name here must be a metric or dimension of the model (checked with the other rules).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict


def _texts(value: Any) -> Any:
    """YAML reads ``NO``/``on``/``1`` as bool/number; every vocabulary word is text."""
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return value


Words = Annotated[tuple[str, ...], BeforeValidator(_texts)]
CONTEXT_CONCEPTS = ("cohort", "horizon")  # "users who installed in March", "a week later"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Phrases(_Strict):
    metric: dict[str, Words] = {}
    dimension: dict[str, Words] = {}
    context: dict[str, Words] = {}  # cohort / horizon: words that say "by install cohort", "later"


class ContextWords(_Strict):
    metrics: dict[str, Words] = {}
    dimensions: dict[str, Words] = {}


class ValueGroup(_Strict):
    """A phrase naming several values: listed ones, or every value starting with a prefix."""

    dimension: str
    phrases: Words
    values: Words = ()
    prefixes: Words = ()


class Vocabulary(_Strict):
    phrases: Phrases = Phrases()
    weak_phrases: dict[str, str] = {}
    context_words: ContextWords = ContextWords()
    values: dict[str, dict[str, Words]] = {}  # {dimension: {value: [alias, ...]}}
    groups: tuple[ValueGroup, ...] = ()
    # metrics whose best is their lowest, besides those named for a cost or harm ("cpi", "delay")
    lower_is_better: Words = ()
    # dimensions whose value alone says what to count ("bot" -> installs of that fraud type),
    # besides an event-name dimension
    counted_by_value: Words = ()
    # the metrics a clarification offers first ("Name a metric, for example ...")
    suggested: Words = ()
    # a word meaning several metrics with nothing in the question to choose by: the planner asks
    # which ("conversions" -> installs from ads, first purchases or the click-to-install rate)
    ambiguous: dict[str, Words] = {}
    # words near a value that say which dimension it is a value of, besides the dimension's name and
    # phrases ("video ads": the ad format), and words right after it that do ("apple users": platform)
    value_cues: dict[str, Words] = {}
    value_cues_after: dict[str, Words] = {}
    # {dimension: regular expression} for ids too many to list ("c012" is a campaign id)
    value_patterns: dict[str, str] = {}

    def aliases(self) -> dict[str, Any]:
        """The value resolver's alias table: ``{dimension: {value: [alias]}, "groups": [...]}``."""
        table: dict[str, Any] = {dim: {v: list(a) for v, a in by.items()} for dim, by in self.values.items()}
        table["groups"] = [g.model_dump() for g in self.groups]
        return table


def vocabulary_references(vocab: Vocabulary) -> Iterator[tuple[str, str, str]]:
    """``(path, kind, name)`` for every metric/dimension/concept the block names."""
    for kind in ("metric", "dimension", "context"):
        for name in getattr(vocab.phrases, kind):
            yield f"vocabulary.phrases.{kind}.{name}", kind, name
    for phrase, name in vocab.weak_phrases.items():
        yield f"vocabulary.weak_phrases.{phrase}", "metric", name
    for name in vocab.context_words.metrics:
        yield f"vocabulary.context_words.metrics.{name}", "metric", name
    for name in vocab.context_words.dimensions:
        yield f"vocabulary.context_words.dimensions.{name}", "dimension", name
    for name in vocab.values:
        yield f"vocabulary.values.{name}", "dimension", name
    for i, group in enumerate(vocab.groups):
        yield f"vocabulary.groups[{i}].dimension", "dimension", group.dimension
    for name in vocab.lower_is_better:
        yield "vocabulary.lower_is_better", "metric", name
    for name in vocab.suggested:
        yield "vocabulary.suggested", "metric", name
    for name in vocab.counted_by_value:
        yield "vocabulary.counted_by_value", "dimension", name
    for kind in ("value_cues", "value_cues_after", "value_patterns"):
        for name in getattr(vocab, kind):
            yield f"vocabulary.{kind}.{name}", "dimension", name
    for phrase, names in vocab.ambiguous.items():
        for name in names:
            yield f"vocabulary.ambiguous.{phrase}", "metric", name
