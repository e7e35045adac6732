"""Engine type names and cell values, reduced to what a chart needs.

Results arrive from DuckDB, ClickHouse or JSON, so a date may be a
``datetime.date``, a ``datetime``, an ISO string or a pandas Timestamp, and a
number may be a ``Decimal`` or a numpy scalar.  Charts want JSON-native
values: floats for measures and ISO strings for time.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

# Wrappers that do not change what a ClickHouse column holds.
_WRAPPER = re.compile(r"^(?:Nullable|LowCardinality|SimpleAggregateFunction)\((.*)\)$", re.IGNORECASE)
_ISO_TIME = re.compile(
    r"^\d{4}-\d{2}(?:-\d{2})?(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)

_FAMILY_PREFIXES: tuple[tuple[str, str], ...] = (
    ("timestamp", "temporal"), ("datetime", "temporal"), ("date", "temporal"), ("time", "string"),
    ("bool", "boolean"),
    ("tinyint", "integer"), ("smallint", "integer"), ("integer", "integer"), ("bigint", "integer"),
    ("hugeint", "integer"), ("ubigint", "integer"), ("uinteger", "integer"), ("usmallint", "integer"),
    ("utinyint", "integer"), ("uhugeint", "integer"), ("int", "integer"), ("uint", "integer"),
    ("long", "integer"),
    ("double", "number"), ("float", "number"), ("real", "number"), ("decimal", "number"),
    ("numeric", "number"),
    ("varchar", "string"), ("string", "string"), ("text", "string"), ("char", "string"),
    ("enum", "string"), ("uuid", "string"), ("fixedstring", "string"),
)


def type_family(type_name: str | None) -> str:
    """``temporal``, ``integer``, ``number``, ``boolean``, ``string`` or ``unknown``."""
    name = (type_name or "").strip()
    while (match := _WRAPPER.match(name)) is not None:
        name = match.group(1).strip()
    lowered = name.lower()
    if lowered.startswith("interval"):
        return "unknown"
    for prefix, family in _FAMILY_PREFIXES:
        if lowered.startswith(prefix):
            return family
    return "unknown"


def is_iso_time(value: Any) -> bool:
    return isinstance(value, str) and _ISO_TIME.match(value) is not None


def to_number(value: Any) -> float | None:
    """A finite float, or None for NULL, NaN and anything not numeric."""
    if value is None or isinstance(value, bool):
        return None if value is None else float(value)
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
    else:
        try:
            number = float(value)  # numpy scalars, numeric strings
        except (TypeError, ValueError):
            return None
    return number if math.isfinite(number) else None


def _moment_text(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:  # plotly.js has no time zones: show UTC, like the warehouse
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    text = moment.isoformat(sep=" ")
    return text[:10] if text.endswith(" 00:00:00") else text


def to_time_text(value: Any) -> str | None:
    """An ISO date or ``YYYY-MM-DD HH:MM:SS`` text that plotly.js reads as a date."""
    if value is None:
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return _moment_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not is_iso_time(text) or len(text) <= 10:
        return text if is_iso_time(text) else None
    try:  # a time part, maybe an offset: normalise like a datetime value
        return _moment_text(dt.datetime.fromisoformat(text))
    except ValueError:
        return text.replace("T", " ")


def to_label(value: Any) -> str:
    """The text a category shows; NULL gets a visible name instead of vanishing."""
    if value is None:
        return "(null)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return to_time_text(value) or str(value)
    return str(value)
