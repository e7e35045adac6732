"""The per-query settings both ClickHouse engines (server over HTTP, chdb) run every query with:
read-only, time and memory limits, a row cap one past the connector's (to detect truncation)
and the result byte cap."""
from __future__ import annotations

from typing import Any

ENGINE_BYTES_FACTOR = 4


def read_only_limits(
    timeout_s: float, max_rows: int, max_memory_bytes: float, max_result_bytes: int | None = None
) -> dict[str, Any]:
    return {
        "readonly": 1,
        "max_execution_time": timeout_s,
        "max_result_rows": max_rows + 1,
        # 'break' stops the engine after the block that passes a limit; the connector drops the
        # extra rows itself. The engine counts bytes in memory, which can be more than the rows
        # take as the connector counts them (a Float64 is 8 bytes, "0" in JSON 3), so its byte
        # limit is a backstop set past the connector's cap: the connector always sees the cap
        # reached (and says so) before the engine stops.
        **({"max_result_bytes": ENGINE_BYTES_FACTOR * max_result_bytes} if max_result_bytes else {}),
        "result_overflow_mode": "break",
        "max_memory_usage": max_memory_bytes,
        # Standard SQL outer joins (NULL, not a type default, for missing rows), so
        # COUNT(DISTINCT)/IS NULL over a LEFT JOIN mean what they mean in DuckDB.
        "join_use_nulls": 1,
    }
