"""``explain`` (the SQL) next to ``run_query`` (the rows), as MetricFlow offers.

Compiled SQL goes through the SQL guard like every other statement: the
semantic layer is trusted code, but the guard is the one gate to a warehouse.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING

from semantic_layer.availability import check_tables_present
from semantic_layer.compiler import compile_semantic_query, rollup_choices, rollups_used
from semantic_layer.model import SemanticModel
from semantic_layer.query import SemanticQuery
from semantic_layer.rollup_sql import rows_after
from semantic_layer.rollups import RollupChoice, RollupState

if TYPE_CHECKING:
    from warehouse.base import Result, Schema, Warehouse


def explain(model: SemanticModel, query: SemanticQuery, dialect: str = "duckdb", *,
            schema: Schema | None = None, max_rows: int = 1000,
            rollups: Mapping[str, RollupState] | None = None) -> str:
    """The SQL for ``query`` in ``dialect``; guarded (and row-capped) when a schema is given;
    answered from ``rollups`` (``read_rollup_states(warehouse)``) where they cover it."""
    tree = compile_semantic_query(model, query, dialect, rollups=rollups)
    if schema is None:
        return tree.sql(dialect=dialect, pretty=True)
    return _guard(model, tree, schema, dialect, max_rows)


def explain_with_rollups(model: SemanticModel, query: SemanticQuery, dialect: str, *, schema: Schema,
                         max_rows: int = 1000, rollups: Mapping[str, RollupState] | None = None,
                         ) -> tuple[str, list[RollupChoice]]:
    """Guarded SQL, and the rollups it reads (for the answer's note, ``rollup_note``)."""
    tree, used = rollups_used(model, query, dialect, rollups)
    return _guard(model, tree, schema, dialect, max_rows), used


def without_empty_tails(model: SemanticModel, query: SemanticQuery, warehouse: Warehouse,
                        rollups: Mapping[str, RollupState] | None, *,
                        known: dict | None = None) -> Mapping[str, RollupState] | None:
    """``rollups``, with those ``query`` would read past their watermark marked ``complete`` when
    the base tables hold no day after it: the query then reads the rollup alone, not the base
    tables' (empty) days in the rollup's shape, whose joins cost a scan of the joined tables.

    One guarded ``SELECT 1 ... LIMIT 1`` per such rollup, on its own table and time column only
    (a range filter the engine answers from its min/max statistics). ``known``: answers kept by the
    caller while the data cannot change (``Warehouse.data_changes_bump_generation``)."""
    if not rollups:
        return rollups
    checked = dict(rollups)
    for choice in rollup_choices(model, query, rollups):
        if choice.tail is None or checked[choice.rollup.name].complete:
            continue
        key = (choice.rollup.name, choice.state.watermark, choice.tail)
        empty = known.get(key) if known is not None else None
        if empty is None:
            probe = rows_after(model, choice.rollup, choice.tail)
            empty = not warehouse.execute(_guard(model, probe, warehouse.schema(), warehouse.dialect, 1)).rows
            if known is not None:
                known[key] = empty
        if empty:
            checked[choice.rollup.name] = dataclasses.replace(checked[choice.rollup.name], complete=True)
    return checked


def run_query(model: SemanticModel, query: SemanticQuery, warehouse: Warehouse, *,
              max_rows: int = 1000, rollups: Mapping[str, RollupState] | None = None) -> Result:
    """Compile for the warehouse's dialect, guard, execute; raises SemanticQueryError (incl.
    SemanticTableMissing when predictions are not scored yet), GuardError, WarehouseError.
    ``rollups``: built rollups to answer from (None: base tables only)."""
    tree = compile_semantic_query(model, query, warehouse.dialect, rollups=rollups)
    sql = _guard(model, tree, warehouse.schema(), warehouse.dialect, max_rows)
    return warehouse.execute(sql)


def _guard(model: SemanticModel, tree, schema: Schema, dialect: str, max_rows: int) -> str:
    from warehouse.guard import guard_sql

    check_tables_present(model, tree, schema)
    # The guard parses text in the source dialect; handing it our rendered SQL
    # checks exactly what the warehouse will run.
    return guard_sql(tree.sql(dialect=dialect), schema=schema, dialect=dialect, max_rows=max_rows).sql
