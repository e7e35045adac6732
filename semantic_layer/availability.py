"""Tables a compiled query reads that the warehouse does not have: say why, and how to get them.

Prediction tables exist only after ``asklytics train`` and ``asklytics score``;
the model still loads and validates without them, and a query that needs them
gets the semantic model's ``when_missing`` text instead of an unknown-table error.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp

from semantic_layer.errors import SemanticTableMissing
from semantic_layer.expressions import parsed_expression
from semantic_layer.model import SemanticModel
from semantic_layer.schema import SemanticTable

if TYPE_CHECKING:
    from warehouse.base import Schema


def check_tables_present(model: SemanticModel, tree: exp.Expression, schema: Schema) -> None:
    """Raise :class:`SemanticTableMissing` when ``tree`` reads a table that ``schema`` lacks and the
    model says what to do about it; other unknown tables are left to the SQL guard's error."""
    missing = {t.name.lower() for t in tree.find_all(exp.Table) if schema.table(t.name) is None}
    if not missing:
        return
    for table in model.tables.values():
        if table.when_missing and _reads(model, table) & missing:
            raise SemanticTableMissing(table.when_missing)


def _reads(model: SemanticModel, table: SemanticTable) -> set[str]:
    if table.table:
        return {table.table.split(".")[-1].lower()}
    return {t.name.lower() for t in parsed_expression(table.sql, model.dialect).find_all(exp.Table)}
