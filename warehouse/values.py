"""Turn engine values into JSON-safe ones for the API and stored answers.

Connectors keep Python types in ``Result.rows`` (dates, datetimes, Decimals) so
callers can compute with them; only the edges that serialise call
:func:`jsonable`.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from decimal import Decimal
from typing import Any


def jsonable(value: Any) -> Any:
    """A JSON-safe form of one value: ISO dates, floats for Decimals, None for NaN/inf."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return jsonable(float(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return _jsonable_container(value)


def _jsonable_container(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars from pandas-backed callers
        return jsonable(value.item())
    return str(value)


def jsonable_rows(rows: list[tuple[Any, ...]]) -> list[list[Any]]:
    """Every row of a result as a list of JSON-safe values."""
    return [[jsonable(v) for v in row] for row in rows]
