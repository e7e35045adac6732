"""The per-query settings both ClickHouse engines (server over HTTP, chdb) run every query with:
read-only, time and memory limits, a row cap one past the connector's (to detect truncation)."""
from __future__ import annotations

from typing import Any


def read_only_limits(timeout_s: float, max_rows: int, max_memory_bytes: float) -> dict[str, Any]:
    return {
        "readonly": 1,
        "max_execution_time": timeout_s,
        "max_result_rows": max_rows + 1,
        "result_overflow_mode": "break",
        "max_memory_usage": max_memory_bytes,
        # Standard SQL outer joins (NULL, not a type default, for missing rows), so
        # COUNT(DISTINCT)/IS NULL over a LEFT JOIN mean what they mean in DuckDB.
        "join_use_nulls": 1,
    }
