"""The small base every warehouse engine implements (one module per engine).

Engines are registered by name in :mod:`warehouse.registry`. The domain folders
never import ``app/``: engines receive plain keyword arguments, and ``app``
builds them from settings.
"""
from __future__ import annotations

import abc
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self


@dataclass(frozen=True)
class Column:
    """A result or schema column: its name and the engine's type name."""

    name: str
    type: str


@dataclass
class Result:
    """Rows of one executed query.

    ``truncated`` is true when the engine produced more rows than were
    returned: past the connector's row cap, or past its result byte cap.
    ``truncation`` names every cut made, in the words of
    :mod:`warehouse._result_caps`: ``max_rows`` or ``max_result_bytes``
    (rows left out), ``max_cell_bytes`` (long values cut, rows complete).
    """

    columns: list[Column]
    rows: list[tuple[Any, ...]]
    truncated: bool = False
    elapsed_ms: float = 0.0
    query_id: str | None = None
    truncation: tuple[str, ...] = ()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class SchemaColumn:
    """A column as retrieval and the SQL guard see it.

    ``values`` holds the distinct values of low-cardinality text columns
    (for matching "Germany" -> ``DE``); it is empty for other columns.
    """

    name: str
    type: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchemaTable:
    name: str
    columns: tuple[SchemaColumn, ...]
    row_count: int | None = None

    def column(self, name: str) -> SchemaColumn | None:
        lowered = name.lower()
        return next((c for c in self.columns if c.name.lower() == lowered), None)


@dataclass(frozen=True)
class Schema:
    """The tables a warehouse exposes, with their columns and types."""

    tables: Mapping[str, SchemaTable] = field(default_factory=dict)

    def table(self, name: str) -> SchemaTable | None:
        lowered = name.lower()
        return next((t for n, t in self.tables.items() if n.lower() == lowered), None)

    def table_names(self) -> list[str]:
        return sorted(self.tables)

    def as_mapping(self) -> dict[str, dict[str, str]]:
        """``{table: {column: type}}`` as sqlglot's optimizer expects."""
        return {t.name: {c.name: c.type for c in t.columns} for t in self.tables.values()}

    def restricted_to(self, names: Sequence[str]) -> Schema:
        keep = {n.lower() for n in names}
        return Schema({n: t for n, t in self.tables.items() if n.lower() in keep})

    def without(self, names: Iterable[str]) -> Schema:
        """This schema minus the tables ``names`` (case-insensitive); itself when none of them is in it."""
        drop = {n.lower() for n in names}
        if not any(n.lower() in drop for n in self.tables):
            return self
        return Schema({n: t for n, t in self.tables.items() if n.lower() not in drop})


_SCHEMA_SCAN_LOCK = threading.Lock()  # scans are rare and short: one lock for all connectors


class Warehouse(abc.ABC):
    """One engine's connector.

    Capability flags are class attributes, as sqlglot's dialect classes do.
    ``execute`` runs one statement read-only with the connector's timeout and
    row cap; it is safe to call from several threads at once.
    """

    name: ClassVar[str]
    dialect: ClassVar[str]  # the sqlglot dialect name
    supports_cancel: ClassVar[bool] = True
    # Bumped when the connector switched to new data (a DuckDB file replaced by a batch write):
    # what was derived from the old schema or data is to be derived again.
    generation: int = 0
    # True when the data cannot change without ``generation`` changing (DuckDB: the connector reads
    # the file read-only, and batch writers replace the file), so what was read from the data (the
    # rollups' states) may be kept until the generation changes. False: read it afresh each time.
    data_changes_bump_generation: ClassVar[bool] = False

    @abc.abstractmethod
    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Result:
        """Run one read-only statement and return its rows."""

    def schema(self) -> Schema:
        """Tables, columns, types and low-cardinality distinct values.

        Scanned once per connector: connectors only read, so the tables cannot change
        under them (open a new connector to see new tables).
        """
        cached = self.__dict__.get("_scanned_schema")
        if cached is None:
            with _SCHEMA_SCAN_LOCK:
                cached = self.__dict__.get("_scanned_schema")
                if cached is None:
                    cached = self.__dict__["_scanned_schema"] = self._scan_schema()
        return cached

    @abc.abstractmethod
    def _scan_schema(self) -> Schema:
        """Read the schema from the engine (called once, by ``schema()``)."""

    @abc.abstractmethod
    def cancel(self) -> None:
        """Interrupt every query this connector is running now."""

    def close(self) -> None:
        """Release connections and files."""

    def identity(self) -> str:
        """A stable id of the data this connector points at (cache scoping)."""
        return f"{self.name}"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
