"""Decide a column's role from its name, engine type family and values.

An ordered tuple of small checks; the first that answers wins, like the SQL
guard's rules.  Names matter because types alone cannot tell ``event_id``
(an identifier) from ``installs`` (a measure), or ``hour`` (an ordered
category) from ``clicks``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from charts.values import is_iso_time

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ORDINAL_WORDS = frozenset({"year", "quarter", "month", "week", "weekday", "dow", "hour", "minute", "day",
                            "decile", "quintile", "quartile", "percentile", "bucket", "bin", "rank",
                            "cohort"})
_CONNECTORS = frozenset({"of", "in", "number", "num", "index", "idx", "n", "no"})
_SAMPLE = 50


def _words(name: str) -> list[str]:
    return [w for w in name.lower().replace("-", "_").replace(" ", "_").split("_") if w]


def _sample(values: Sequence[Any]) -> list[Any]:
    present = [v for v in values if v is not None]
    return present[:_SAMPLE] + present[-_SAMPLE:] if len(present) > 2 * _SAMPLE else present


def looks_like_identifier(name: str) -> bool:
    words = _words(name)
    return bool(words) and (words[-1] in {"id", "uuid", "hash", "key"} or words == ["id"])


def looks_ordinal_by_name(name: str) -> bool:
    words = _words(name)
    if not words or "per" in words:
        return False
    since = (len(words) > 1 and words[0] in {"days", "weeks", "months"}
             and words[1] in {"since", "after", "from"})
    # "hour_of_day", "week_number": an ordinal word followed only by connectors.
    led = words[0] in _ORDINAL_WORDS and all(w in _ORDINAL_WORDS | _CONNECTORS for w in words[1:])
    return since or led or words[-1] in _ORDINAL_WORDS or words[-1] == "n"


def is_numeric_value(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) or (
        type(value).__module__ == "numpy" and hasattr(value, "dtype") and value.dtype.kind in "iuf")


def is_time_value(value: Any) -> bool:
    return isinstance(value, (dt.date, dt.datetime)) or hasattr(value, "to_pydatetime") or is_iso_time(value)


def natural_order_key(text: str) -> int | None:
    """Calendar position of a month or weekday name, None for other text."""
    head = text.strip().lower()[:3]
    if head in MONTHS and text.strip().isalpha():
        return MONTHS.index(head)
    return WEEKDAYS.index(head) if head in WEEKDAYS and text.strip().isalpha() else None


def _identifier(name: str, family: str, sample: list[Any]) -> str | None:
    return "identifier" if looks_like_identifier(name) and family != "temporal" else None


def _temporal(name: str, family: str, sample: list[Any]) -> str | None:
    if family == "temporal":
        return "temporal"
    if family in ("string", "unknown") and sample and all(is_time_value(v) for v in sample):
        return "temporal"
    return None


def _boolean(name: str, family: str, sample: list[Any]) -> str | None:
    is_bool = family == "boolean" or (family == "unknown" and sample
                                      and all(isinstance(v, bool) for v in sample))
    return "nominal" if is_bool else None


def _numeric(name: str, family: str, sample: list[Any]) -> str | None:
    numeric = family in ("integer", "number") or (
        family == "unknown" and bool(sample) and all(is_numeric_value(v) for v in sample))
    if not numeric:
        return None
    whole = all(float(v).is_integer() for v in sample if is_numeric_value(v))
    return "ordinal" if whole and looks_ordinal_by_name(name) else "quantitative"


def _text(name: str, family: str, sample: list[Any]) -> str:
    named = [natural_order_key(str(v)) for v in sample]
    return "ordinal" if sample and all(k is not None for k in named) else "nominal"


ROLE_CHECKS: tuple[Callable[[str, str, list[Any]], str | None], ...] = (
    _identifier, _temporal, _boolean, _numeric, _text,
)


def column_role(name: str, family: str, values: Sequence[Any]) -> str:
    sample = _sample(values)
    for check in ROLE_CHECKS:
        role = check(name, family, sample)
        if role is not None:
            return role
    return "nominal"
