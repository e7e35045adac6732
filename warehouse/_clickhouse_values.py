"""Read ClickHouse ``JSONCompactEachRowWithNamesAndTypes`` output into Python values.

chdb returns query results as bytes in a ClickHouse output format. This one
carries the column names and ClickHouse type names in its first two lines,
which the connector reports as-is (``String``, ``Float64``, ``DateTime64(6)``).
Values are converted by type so both engines hand back the same Python types
as the DuckDB connector: ints, floats, Decimals, bools, dates and datetimes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

_WRAPPERS = re.compile(r"^(?:Nullable|LowCardinality)\((.*)\)$")


def inner_type(type_name: str) -> str:
    """``LowCardinality(Nullable(String))`` -> ``String``."""
    while match := _WRAPPERS.match(type_name):
        type_name = match.group(1)
    return type_name


def _datetime(text: str) -> dt.datetime:
    # DateTime64 with a time zone prints local wall time; the demo runs in UTC.
    return dt.datetime.fromisoformat(text)


def _float(value: Any) -> float | None:
    # Quoted "nan"/"inf" and exact digits both parse; "null" is how ClickHouse
    # prints NaN when output_format_json_quote_denormals is off.
    return None if value == "null" else float(value)


def _converter(type_name: str) -> Callable[[Any], Any]:
    base = inner_type(type_name)
    if base.startswith(("Int", "UInt")):
        return int
    if base.startswith("Float"):
        return _float
    if base.startswith("Decimal"):
        return lambda v: Decimal(str(v))
    if base == "Bool":
        return bool
    if base.startswith("DateTime"):
        return _datetime
    if base.startswith("Date"):
        return dt.date.fromisoformat
    if base.startswith(("Array", "Tuple", "Map")):
        return _nested
    return lambda v: v if isinstance(v, str) else str(v)


def _nested(value: Any) -> Any:
    # Nested values come back as JSON structures; keep them as lists/dicts.
    return value


def parse_rows(payload: bytes, limit: int) -> tuple[list[str], list[str], list[tuple[Any, ...]]]:
    """Names, type names and at most ``limit`` rows of one result."""
    lines = payload.decode("utf-8").splitlines()
    if len(lines) < 2:
        return [], [], []
    names, types = json.loads(lines[0]), json.loads(lines[1])
    converters = [_converter(t) for t in types]
    rows = [_parse_row(line, converters) for line in lines[2 : 2 + limit] if line.strip()]
    return names, types, rows


def _parse_row(line: str, converters: list[Callable[[Any], Any]]) -> tuple[Any, ...]:
    # Floats as strings: Decimal and Float64 digits survive exactly.
    values = json.loads(line, parse_float=str)
    return tuple(None if v is None else convert(v) for v, convert in zip(values, converters, strict=True))
