"""One canonical form per result value, so engines and drivers compare alike.

DuckDB returns ``datetime.date`` and ``Decimal``, chdb strings and floats,
SQLite ints for booleans: every number becomes a float, every date and
timestamp an ISO string, everything else its text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

# Stands for "a number goes here" in the hashable part of a row's shape; a tuple,
# so it can never collide with a canonical value (str, float or None).
NUMBER_SLOT = ("<number>",)


def canonical(value: Any) -> Any:
    """None, a float, or a string."""
    if value is None:
        return None
    if isinstance(value, (bool, int, float, Decimal)):
        return float(value)
    if isinstance(value, dt.datetime):
        return _iso_timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _iso_timestamp(value: dt.datetime) -> str:
    if value.time() == dt.time(0) and value.tzinfo is None:
        return value.date().isoformat()
    return value.isoformat(sep=" ")


def is_number(value: Any) -> bool:
    return isinstance(value, float)


def close(a: float, b: float, rel_tol: float, abs_tol: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)


# How warehouse.values.jsonable writes a timestamp: isoformat() with a "T".
_JSON_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2})?")


def from_json(value: Any) -> Any:
    """An answer's JSON value read back for comparison: the Answer contract's rows hold
    timestamps as ``2026-06-01T10:00:00``, which must compare like the gold's datetime."""
    if isinstance(value, str) and _JSON_TIMESTAMP.fullmatch(value):
        return dt.datetime.fromisoformat(value)
    return value


def display(value: Any) -> str:
    """A short human form for reports: 6 significant digits for numbers."""
    value = canonical(value)
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return f"{value:.6g}"
    return value
