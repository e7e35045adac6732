"""The loaded semantic model: a catalog of metrics and dimensions over a join graph.

``SemanticModel`` is what planners, retrieval and the compiler use; it is built
from a :class:`SemanticModelFile` that already passed every validation rule.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from semantic_layer.generated import (
    SUM_SQUARES_PREFIX,
    GeneratedMetric,
    count_distinct_metric,
    is_generated,
    sum_squares_metric,
)
from semantic_layer.joins import JoinEdge, ResolvedDimension, join_edges, resolve_dimension
from semantic_layer.schema import TIME_GRAINS, Measure, Metric, SemanticModelFile, SemanticTable

METRIC_TIME = "metric_time"


@dataclass(frozen=True)
class CatalogDimension:
    """A dimension as users see it, merged over the tables that declare it."""

    name: str
    type: str
    description: str
    synonyms: tuple[str, ...]
    units: str | None
    tables: tuple[str, ...]


_METRIC_TIME = CatalogDimension(
    name=METRIC_TIME,
    type="time",
    description="The time axis of every metric: each measure maps it onto its own date "
    f"(spend date, install date, event date); grains: {', '.join(TIME_GRAINS)}.",
    synonyms=("over time", "time series", "trend", "by date", "date",
              "per day", "daily", "weekly", "monthly"),
    units=None,
    tables=(),
)


class SemanticModel:
    """Metrics, dimensions and measures by name, plus the join graph."""

    def __init__(self, spec: SemanticModelFile, path: Path | None = None):
        self.spec = spec
        self.path = path
        self.dialect = spec.dialect
        self.tables: dict[str, SemanticTable] = {t.name: t for t in spec.semantic_models}
        self.metrics: dict[str, Metric] = {m.name: m for m in spec.metrics}
        self.measures: dict[str, tuple[SemanticTable, Measure]] = {
            m.name: (t, m) for t in spec.semantic_models for m in t.measures
        }
        self.edges: dict[str, list[JoinEdge]] = join_edges(spec.semantic_models)
        self.dimensions: dict[str, CatalogDimension] = _catalog_dimensions(spec.semantic_models)
        self._generated: dict[str, GeneratedMetric] = {}

    @cached_property
    def version_hash(self) -> str:
        """Stable across loads of the same content (cache keys depend on it)."""
        canonical = json.dumps(self.spec.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    @cached_property
    def entity_keys(self) -> frozenset[str]:
        """Entity names a query may group by as MetricFlow allows ("user"): each table reads its own
        key column for it. A dimension of the same name wins."""
        return frozenset(e.name for t in self.tables.values() for e in t.entities) - set(self.dimensions)

    def resolve_dimension(self, table: str, name: str) -> ResolvedDimension | None:
        return resolve_dimension(self.tables, self.edges, table, name)

    def metric(self, name: str) -> Metric | None:
        """A metric of the file, or a generated one (``count_distinct:os_version``); None if unknown.

        Raises SemanticQueryError for a generated name that cannot be built (unknown dimension).
        """
        if name in self.metrics:
            return self.metrics[name]
        return self._generated_metric(name).metric if is_generated(name) else None

    def measure(self, name: str) -> tuple[SemanticTable, Measure]:
        """The table and definition of a measure, generated ones included."""
        if name in self.measures:
            return self.measures[name]
        generated = self._generated_metric(name)
        return generated.table, generated.measure

    def measure_table(self, measure: str) -> SemanticTable:
        return self.measure(measure)[0]

    def _generated_metric(self, name: str) -> GeneratedMetric:
        if name not in self._generated:
            self._generated[name] = (sum_squares_metric(self.metrics, self.measures, name)
                                     if name.startswith(SUM_SQUARES_PREFIX)
                                     else count_distinct_metric(self.tables, name))
        return self._generated[name]

    def __repr__(self) -> str:
        return (f"SemanticModel({len(self.metrics)} metrics, {len(self.dimensions)} dimensions, "
                f"{self.version_hash})")


def _catalog_dimensions(tables: tuple[SemanticTable, ...]) -> dict[str, CatalogDimension]:
    merged: dict[str, CatalogDimension] = {METRIC_TIME: _METRIC_TIME}
    for table in tables:
        for dim in table.dimensions:
            seen = merged.get(dim.name)
            if seen is None:
                merged[dim.name] = CatalogDimension(
                    dim.name, dim.type, dim.description, dim.synonyms, dim.units, (table.name,)
                )
                continue
            synonyms = seen.synonyms + tuple(s for s in dim.synonyms if s not in seen.synonyms)
            merged[dim.name] = CatalogDimension(
                seen.name, seen.type, seen.description or dim.description, synonyms,
                seen.units or dim.units, seen.tables + (table.name,),
            )
    return merged
