"""Warehouse engines registered by name.

Engine modules are imported lazily: chdb and clickhouse-connect are heavy, and a
user of the embedded default never needs them.
"""
from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from warehouse.base import Warehouse
from warehouse.errors import WarehouseUnavailable

# The install extra that brings an engine's library, and that library (pyproject.toml).
EXTRAS = {"clickhouse": ("clickhouse", "clickhouse_connect"), "chdb": ("clickhouse", "chdb")}
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
    if kind in EXTRAS and not _installed(EXTRAS[kind][1]):
        extra, library = EXTRAS[kind]
        raise WarehouseUnavailable(f"the {kind} engine needs the [{extra}] extra "
                                   f"({library} is not installed): pip install 'asklytics[{extra}]'")
    return getattr(importlib.import_module(module_name), class_name)


def _installed(library: str) -> bool:
    try:
        return importlib.util.find_spec(library) is not None
    except ModuleNotFoundError:
        return False


def connect(kind: str, **options: Any) -> Warehouse:
    """Open an engine by name with engine-specific keyword options."""
    return engine_class(kind)(**options)
