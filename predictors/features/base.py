"""What every feature builder shares: cutoffs as SQL literals, cohort filters, fetching frames.

Feature SQL only ever reads rows strictly before the cutoff (each builder
starts from ``installs``/``events`` truncated at it), so features for cutoff T
are the same whether or not later data exists -- the leakage test checks it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from predictors.features.dialects import translate


def ts(value: dt.date | dt.datetime) -> str:
    """A TIMESTAMP literal; values come from our code (dates), never from users."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return f"TIMESTAMP '{value:%Y-%m-%d %H:%M:%S}'"


@dataclass(frozen=True)
class Cohort:
    """Which entities to build features for: ids, or filters on acquisition attributes."""

    ids: tuple[str, ...] = ()
    media_source: str | None = None
    campaign_name: str | None = None
    platform: str | None = None
    country: str | None = None
    install_from: dt.date | None = None
    install_to: dt.date | None = None  # inclusive
    after_id: str | None = None  # keyset paging: only ids after this one ...
    page_size: int | None = None  # ... and at most this many, in id order

    def where(self, id_column: str) -> tuple[str, list[Any]]:
        """SQL conditions on ``i`` (installs) and ``c`` (campaigns), with their parameters."""
        parts, params = ["TRUE"], []
        if self.ids:
            parts.append(f"i.{id_column} IN ({', '.join('?' for _ in self.ids)})")
            params.extend(self.ids)
        for column, value in (("c.media_source", self.media_source), ("c.campaign_name", self.campaign_name),
                              ("i.platform", self.platform), ("i.country", self.country)):
            if value is not None:
                parts.append(f"lower({column}) = lower(?)")
                params.append(value)
        if self.after_id is not None:
            parts.append(f"i.{id_column} > ?")
            params.append(self.after_id)
        if self.install_from is not None:
            parts.append(f"i.install_time >= {ts(self.install_from)}")
        if self.install_to is not None:
            parts.append(f"i.install_time < {ts(self.install_to + dt.timedelta(days=1))}")
        return " AND ".join(parts), params


def cohort_page(cohort: Cohort | None, id_column: str) -> str:
    """The ORDER BY/LIMIT that closes a builder's target selection when the cohort is paged."""
    if cohort is None or cohort.page_size is None:
        return ""
    return f"ORDER BY i.{id_column} LIMIT {int(cohort.page_size)}"


@dataclass(frozen=True)
class FeatureQuery:
    sql: str
    params: list[Any] = field(default_factory=list)


class FrameSource(Protocol):
    """Anything that runs feature SQL (written in DuckDB's dialect) and returns a DataFrame."""

    def frame(self, query: FeatureQuery) -> pd.DataFrame: ...


class ConnectionSource:
    """Trusted access through a DuckDB connection (training and batch scoring)."""

    def __init__(self, connection):
        self.connection = connection
        connection.execute("SET enable_progress_bar = false")  # batch jobs print their own progress

    def frame(self, query: FeatureQuery) -> pd.DataFrame:
        return self.connection.execute(query.sql, query.params).df()


class WarehouseSource:
    """Access through a read-only ``Warehouse`` connector (the planner tools).

    The connector caps rows per query, so larger cohorts are read in pages
    ordered by the entity id (the first column of every feature query). Each
    query is translated to the connector's dialect (``dialects.translate``),
    so the tools answer on ClickHouse as on DuckDB.
    """

    MAX_ROWS = 20_000

    def __init__(self, warehouse):
        self.warehouse = warehouse
        self.dialect = getattr(warehouse, "dialect", "duckdb")
        self.page = int(getattr(warehouse, "max_rows", 1000))

    def frame(self, query: FeatureQuery) -> pd.DataFrame:
        rows, columns, offset = [], None, 0
        while True:
            paged = f"SELECT * FROM ({query.sql}) AS q ORDER BY 1 LIMIT {self.page} OFFSET {offset}"
            result = self.warehouse.execute(*translate(paged, query.params, self.dialect))
            columns = result.column_names()
            rows.extend(result.rows)
            # A page short of rows is the end, unless the connector's byte cap cut it: then read on.
            if len(result.rows) < self.page and not result.truncated:
                return pd.DataFrame(rows, columns=columns)
            if not result.rows:
                raise ValueError("a single row of features is larger than the warehouse's result byte cap")
            offset += len(result.rows)
            if offset >= self.MAX_ROWS:
                raise ValueError(f"more than {self.MAX_ROWS:,} rows match; narrow the filters")


def as_matrix(frame: pd.DataFrame, features: tuple[str, ...]) -> np.ndarray:
    """Feature columns in the model's order as float32 (NULL -> NaN, XGBoost's missing)."""
    if frame.empty:
        return np.zeros((0, len(features)), dtype=np.float32)
    # per column: a row taken out of a frame is object-typed and may hold pd.NA
    columns = [pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
               for name in features]
    return np.column_stack(columns).astype(np.float32)
