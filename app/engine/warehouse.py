"""Build the configured warehouse connector from settings."""
from __future__ import annotations

from app.settings import Settings
from warehouse.base import Warehouse
from warehouse.errors import WarehouseUnavailable
from warehouse.registry import connect


def open_warehouse(settings: Settings) -> Warehouse:
    """Open the engine the settings name, with the settings' limits applied."""
    common = {
        "timeout_s": settings.query_timeout_s,
        "max_rows": settings.max_rows,
        "max_cell_bytes": settings.max_cell_bytes,
        "max_result_bytes": settings.max_result_bytes,
    }
    if settings.warehouse == "duckdb":
        path = settings.resolved_warehouse_path()
        if not path.exists():
            raise WarehouseUnavailable(
                f"no DuckDB warehouse at {path}; build the demo with `asklytics demo build` "
                "or set ASKLYTICS_WAREHOUSE_PATH to your DuckDB file"
            )
        return connect(
            "duckdb",
            path=path,
            memory_limit=settings.duckdb_memory_limit,
            threads=settings.duckdb_threads,
            **common,
        )
    if settings.warehouse == "chdb":
        path = settings.resolved_warehouse_path()
        if not path.exists():
            raise WarehouseUnavailable(
                f"no chdb warehouse at {path}; build it with `asklytics demo build --engine chdb`"
            )
        return connect("chdb", path=path, **common)
    if settings.clickhouse_url is None:
        raise WarehouseUnavailable("ASKLYTICS_CLICKHOUSE_URL must be set when ASKLYTICS_WAREHOUSE=clickhouse")
    return connect(
        "clickhouse",
        url=settings.clickhouse_url.get_secret_value(),
        max_memory_bytes=settings.clickhouse_max_memory_bytes,
        **common,
    )
