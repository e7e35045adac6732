"""The semantic catalog as prompt text: every metric and dimension, one line each.

The model may only use names from this list in ``query_metrics``; synonyms are
shown so it can map the user's words ("spend", "downloads") onto them.
"""

from __future__ import annotations

from collections.abc import Iterable

from semantic_layer import SemanticModel

MAX_SYNONYMS = 5


def describe_semantic_model(model: SemanticModel) -> str:
    metrics = [_line(m.name, m.description, m.units, m.synonyms) for m in model.metrics.values()]
    dimensions = [_line(d.name, d.description, d.units, d.synonyms) for d in model.dimensions.values()]
    return "Metrics:\n" + "\n".join(metrics) + "\n\nDimensions:\n" + "\n".join(dimensions)


def _line(name: str, description: str, units: str | None, synonyms: Iterable[str]) -> str:
    line = f"- {name}"
    if units:
        line += f" [{units}]"
    if description:
        line += f": {description}"
    shown = list(synonyms)[:MAX_SYNONYMS]
    if shown:
        line += f" (also: {', '.join(shown)})"
    return line
