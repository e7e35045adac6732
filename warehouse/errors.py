"""Errors raised by warehouse connectors.

Every error carries a short machine-readable ``code`` and a message written for
the person asking (and for an LLM planner that retries), never a stack trace.
"""
from __future__ import annotations

from common.errors import AsklyticsError


class WarehouseError(AsklyticsError):
    """Base class for failures while talking to a warehouse."""

    code = "warehouse_error"


class WarehouseUnavailable(WarehouseError):
    """The warehouse cannot be opened or reached (missing file, server down)."""

    code = "warehouse_unavailable"


class QueryTimeout(WarehouseError):
    """The query ran past the configured time limit and was interrupted."""

    code = "query_timeout"


class QueryCancelled(WarehouseError):
    """The query was cancelled by ``cancel()``."""

    code = "query_cancelled"


class QueryFailed(WarehouseError):
    """The engine rejected or failed the query (binder error, permission, ...)."""

    code = "query_failed"


class ImportRefused(WarehouseError):
    """``asklytics import`` cannot start: no files, an unsupported file, a clash of table names,
    a target that cannot be written. Nothing has been written."""

    code = "import_refused"
