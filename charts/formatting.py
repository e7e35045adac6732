"""Titles, number formats and readable labels for figures.

Formats are d3-format strings, which plotly.js applies both to axis ticks
and to hover templates: currency for USD, percent for ratios, thousands
separators for counts.
"""
from __future__ import annotations

from collections.abc import Sequence

from charts.units import COUNT, PERCENT, RATIO, USD

LABEL_LIMIT = 24
_ACRONYMS = {
    "roas": "ROAS", "ctr": "CTR", "cvr": "CVR", "cpi": "CPI", "cpa": "CPA", "cpc": "CPC", "cpm": "CPM",
    "arpu": "ARPU", "arppu": "ARPPU", "dau": "DAU", "mau": "MAU", "ltv": "LTV", "ios": "iOS", "id": "ID",
    "usd": "USD", "d1": "D1", "d7": "D7", "d30": "D30", "p10": "P10", "p50": "P50", "p90": "P90",
    "ip": "IP", "os": "OS", "sdk": "SDK", "kpi": "KPI",
}
_UNIT_SUFFIX = {USD: " (USD)", RATIO: " (%)", PERCENT: " (%)"}


def display_name(column: str) -> str:
    """``fraud_rate`` -> "Fraud rate", ``roas`` -> "ROAS", ``count_distinct:os_version`` -> "Distinct OS
    version values"."""
    if column.startswith("count_distinct:"):
        return "Distinct " + display_name(column.split(":", 1)[1]).lower() + " values"
    words = [w for w in column.replace("-", "_").split("_") if w]
    shown = [_ACRONYMS.get(w.lower(), w.lower()) for w in words] or [column]
    first = shown[0]
    shown[0] = first if first in _ACRONYMS.values() else first[:1].upper() + first[1:]
    return " ".join(shown)


def axis_title(column: str, unit: str | None) -> str:
    return display_name(column) + _UNIT_SUFFIX.get(unit or "", "")


def _largest(values: Sequence[float | None]) -> float:
    return max((abs(v) for v in values if v is not None), default=0.0)


def axis_format(unit: str | None, values: Sequence[float | None]) -> dict[str, str]:
    """Tick formatting for a measure axis."""
    largest = _largest(values)
    if unit == USD:
        return {"tickprefix": "$", "tickformat": "~s" if largest >= 10_000 else ",.2~f"}
    if unit == RATIO:
        return {"tickformat": ".0%" if largest >= 0.1 else ".1%"}
    if unit == PERCENT:
        return {"ticksuffix": "%"}
    return {"tickformat": "~s"} if largest >= 10_000 else {}


def hover_value(ref: str, unit: str | None, values: Sequence[float | None] = ()) -> str:
    """A hover template fragment showing ``%{ref}`` in the unit's format."""
    if unit == USD:
        return f"$%{{{ref}:,.2f}}"
    if unit == RATIO:
        return f"%{{{ref}:.2%}}"
    if unit == PERCENT:
        return f"%{{{ref}:.2f}}%"
    if unit == COUNT:
        return f"%{{{ref}:,.0f}}"
    return f"%{{{ref}:.4~g}}" if _largest(values) < 1 else f"%{{{ref}:,.2~f}}"


def value_format(unit: str | None) -> str:
    """A d3 format for a single number (KPI, bar text)."""
    return {USD: ",.2f", RATIO: ".2%", PERCENT: ".2f", COUNT: ",.0f"}.get(unit or "", ",.4~g")


def short_label(text: str, limit: int = LABEL_LIMIT) -> str:
    """Keep both ends of a long name: campaign names differ at the start and the end."""
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    return text[:head] + "…" + text[-(limit - 1 - head):]


def short_labels(texts: Sequence[str], limit: int = LABEL_LIMIT) -> list[str]:
    """Shortened labels, still unique (a pie would merge two equal labels)."""
    seen: dict[str, int] = {}
    result = []
    for text in texts:
        short = short_label(text, limit)
        seen[short] = seen.get(short, 0) + 1
        result.append(short if seen[short] == 1 else f"{short} ({seen[short]})")
    return result
