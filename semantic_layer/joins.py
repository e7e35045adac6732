"""The join graph between semantic tables, and where each dimension is found.

An edge goes from a table to another table holding the same entity as
``primary`` or ``unique``: many-to-one or one-to-one, never one-to-many. A
measure therefore never joins to a table with several rows per key, which is
what keeps sums from being multiplied by a join (no fan-out).
"""
from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from semantic_layer.schema import Dimension, SemanticTable

_ONE_ROW_PER_KEY = ("primary", "unique")


@dataclass(frozen=True)
class JoinEdge:
    """``source.source_expr = target.target_expr`` through ``entity``."""

    source: str
    target: str
    entity: str
    source_expr: str
    target_expr: str


@dataclass(frozen=True)
class ResolvedDimension:
    """A dimension as seen from one table: where it lives and how to get there."""

    dimension: Dimension
    table: SemanticTable
    path: tuple[JoinEdge, ...]


def join_edges(tables: Sequence[SemanticTable]) -> dict[str, list[JoinEdge]]:
    """Outgoing many-to-one edges of every table, in file order."""
    edges: dict[str, list[JoinEdge]] = {t.name: [] for t in tables}
    for source in tables:
        for entity in source.entities:
            for target in tables:
                target_entity = target.entity(entity.name)
                if target is source or target_entity is None or target_entity.type not in _ONE_ROW_PER_KEY:
                    continue
                edge = JoinEdge(source.name, target.name, entity.name,
                                entity.column_expr, target_entity.column_expr)
                edges[source.name].append(edge)
    return edges


def reachable_tables(edges: dict[str, list[JoinEdge]], start: str) -> dict[str, tuple[JoinEdge, ...]]:
    """Shortest join path from ``start`` to every reachable table (breadth first)."""
    paths: dict[str, tuple[JoinEdge, ...]] = {start: ()}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for edge in edges.get(current, ()):
            if edge.target not in paths:
                paths[edge.target] = paths[current] + (edge,)
                queue.append(edge.target)
    return paths


def resolve_dimension(
    tables: dict[str, SemanticTable], edges: dict[str, list[JoinEdge]], start: str, name: str
) -> ResolvedDimension | None:
    """The declaration of ``name`` nearest to ``start``; ties go to file order.

    Nearest-first is what makes a conformed dimension mean the right thing:
    ``platform`` of an install is the install's own column, ``platform`` of
    spend is the campaign's.
    """
    paths = reachable_tables(edges, start)
    candidates = [t for t in paths if tables[t].dimension(name)]
    if not candidates:
        return entity_key(tables[start], name) if start in tables else None
    order = list(tables)
    table_name = min(candidates, key=lambda t: (len(paths[t]), order.index(t)))
    table = tables[table_name]
    return ResolvedDimension(table.dimension(name), table, paths[table_name])


def entity_key(table: SemanticTable, name: str) -> ResolvedDimension | None:
    """An entity of ``table`` used as a dimension, as MetricFlow allows ("group by user"): its key
    column on the table itself, so "users with more than one purchase" groups events by user_id.
    Only where no dimension has that name."""
    entity = table.entity(name)
    if entity is None:
        return None
    key = Dimension(name=name, type="categorical", expr=entity.expr or name,
                    description=f"The {name} key ({entity.expr or name}).")
    return ResolvedDimension(key, table, ())
