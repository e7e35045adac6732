"""Units of measures: from the semantic layer when given, else from the name.

The semantic layer knows that ``cost`` is USD and ``fraud_rate`` a ratio; it
passes that as ``{"cost": "USD"}``.  When a column arrives without a unit
(hand-written SQL) a conservative guess from its name still gets currency and
percent formatting right for the common marketing measures.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

USD, RATIO, PERCENT, COUNT = "USD", "ratio", "%", "count"

_ALIASES: dict[str, str] = {
    "usd": USD, "$": USD, "currency": USD, "money": USD, "dollars": USD,
    "ratio": RATIO, "fraction": RATIO, "share": RATIO, "rate": RATIO,
    "%": PERCENT, "percent": PERCENT, "pct": PERCENT, "percentage": PERCENT,
    "count": COUNT, "int": COUNT, "integer": COUNT, "number": COUNT, "users": COUNT,
}

_MONEY_WORDS = frozenset({"cost", "spend", "revenue", "arpu", "arppu", "cpi", "ltv", "cpa", "cpc", "cpm",
                          "usd", "price", "amount", "ecpi", "budget", "profit", "payout"})
_RATE_WORDS = frozenset({"rate", "ctr", "cvr", "share", "retention", "pct", "ratio", "probability",
                         "fraction", "percentage", "percent"})
_COUNT_WORDS = frozenset({"installs", "clicks", "impressions", "users", "events", "sessions", "count",
                          "dau", "mau", "payers", "purchases", "n", "num"})


def normalize_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    return _ALIASES.get(unit.strip().lower(), unit.strip())


def guess_unit(name: str, values: Sequence[float | None]) -> str | None:
    """A unit from the column name; rates only when the values look like fractions."""
    words = set(name.lower().replace("-", "_").split("_"))
    if words & _MONEY_WORDS:
        return USD
    if words & _RATE_WORDS:
        present = [v for v in values if v is not None]
        if present and all(-1.0 <= v <= 1.0 for v in present):
            return RATIO
        return PERCENT if present and all(0.0 <= v <= 100.0 for v in present) else None
    return COUNT if words & _COUNT_WORDS else None


def unit_for(name: str, values: Sequence[float | None], units: Mapping[str, str] | None) -> str | None:
    if units:
        for key, unit in units.items():
            if key.lower() == name.lower():
                return normalize_unit(unit)
    return guess_unit(name, values)
