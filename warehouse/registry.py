"""Warehouse engines registered by name.

Engine modules are imported lazily: chdb and clickhouse-connect are heavy, and a
user of the embedded default never needs them.
"""
from __future__ import annotations

import importlib
from typing import Any

from warehouse.base import Warehouse

ENGINES: dict[str, tuple[str, str]] = {
    "duckdb": ("warehouse.duckdb", "DuckDBWarehouse"),
    "clickhouse": ("warehouse.clickhouse", "ClickHouseWarehouse"),
    "chdb": ("warehouse.chdb", "ChdbWarehouse"),
    "sqlite": ("warehouse.sqlite", "SqliteWarehouse"),
}


def engine_class(kind: str) -> type[Warehouse]:
    try:
        module_name, class_name = ENGINES[kind]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise ValueError(f"unknown warehouse engine {kind!r}; choose one of: {known}") from None
    return getattr(importlib.import_module(module_name), class_name)


def connect(kind: str, **options: Any) -> Warehouse:
    """Open an engine by name with engine-specific keyword options."""
    return engine_class(kind)(**options)
