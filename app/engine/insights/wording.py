"""Words and numbers for insight answers: a metric's name, signed changes, percentages."""
from __future__ import annotations

import re

from app.engine.pipeline.narrative import format_value
from semantic_layer import SemanticModel


def metric_words(model: SemanticModel, metric: str) -> str:
    """``installs``; an acronym its description spells out is upper case ("Cost per install" -> CPI)."""
    found = model.metric(metric)
    first = (getattr(found, "description", "") or "").split(",")[0]
    initials = "".join(w[0] for w in re.split(r"[\s-]+", first.strip()) if w).lower()
    return metric.upper() if initials == metric else metric.replace("_", " ")


def unit_of(model: SemanticModel, metric: str) -> str | None:
    found = model.metric(metric)
    return getattr(found, "units", None) if found is not None else None


def amount(value: float | None, unit: str | None) -> str:
    return format_value(value, unit)


def signed(value: float, unit: str | None) -> str:
    """+270 / -$1,204.50 / +2.63 points (a ratio's change is in percentage points)."""
    sign = "+" if value >= 0 else "-"
    if unit == "ratio":
        return f"{sign}{abs(value) * 100:.2f} points"
    return sign + format_value(abs(value), unit)


def percent_change(before: float | None, after: float | None) -> str | None:
    if not before or after is None:
        return None
    return f"{abs(after - before) / abs(before):.0%}"


def segment_label(dimensions: tuple[str, ...], values: tuple[str, ...]) -> str:
    """``country = BR`` / ``country = BR, platform = Android``."""
    return ", ".join(f"{d} = {v}" for d, v in zip(dimensions, values))
