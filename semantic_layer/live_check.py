"""Check a semantic model against a live warehouse: every table and column it names exists, time
dimensions are dates or timestamps, summed and averaged measures are numbers, join keys exist.

The model's own rules (rules.py) check it alone; this checks it against the data it will query,
at start-up and in ``asklytics metrics validate``. Every problem is listed at once, each with a
fix hint (the closest names the warehouse has).

A semantic model defined by ``sql:`` has the columns its query returns: given the warehouse, the
query is run with ``LIMIT 0`` (read-only, no rows) for its columns and types, which then get the
same checks as a table's; a query the database refuses is one problem, its error the hint.
Without the warehouse (only its schema) such models are not checked.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

import sqlglot
from sqlglot import exp

from common.errors import AsklyticsError
from semantic_layer.column_types import is_number, is_time
from semantic_layer.loader import Violation
from semantic_layer.model import SemanticModel
from semantic_layer.pushdown import derived_sql
from semantic_layer.schema import SemanticTable
from semantic_layer.sqltree import subquery
from warehouse.base import SchemaColumn, SchemaTable


class ModelDoesNotFitWarehouse(AsklyticsError):
    """The model names tables or columns the warehouse does not have (every problem listed)."""

    code = "semantic_model_mismatch"

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        lines = "\n".join(f"  - {v.path}: {v.message} (fix: {v.hint})" for v in violations)
        super().__init__(
            f"the semantic model does not fit the warehouse ({len(violations)} problem(s)):\n"
            f"{lines}\nrun `asklytics metrics validate` after fixing the model or the data"
        )


def require_fit(model: SemanticModel, schema, warehouse=None) -> None:
    """Raise :class:`ModelDoesNotFitWarehouse` when the model and the warehouse disagree."""
    problems = check_against_schema(model, schema, warehouse)
    if problems:
        raise ModelDoesNotFitWarehouse(problems)


def check_against_schema(model: SemanticModel, schema, warehouse=None) -> list[Violation]:
    """Every mismatch between ``model`` and the warehouse ``schema`` (warehouse.base.Schema).

    ``warehouse`` (a warehouse.base.Warehouse: ``execute``) also checks the ``sql:`` models."""
    name = str(model.path) if model.path is not None else "semantic model"
    problems: list[Violation] = []
    for table in model.spec.semantic_models:
        if table.table is not None:
            found = _table_problems(table, schema, model.dialect)
        elif warehouse is not None:
            found = _sql_problems(table, schema, warehouse, model.dialect)
        else:
            continue  # a `sql:` table without the warehouse: its columns are what its query returns
        problems += [Violation(name, path, message, hint) for path, message, hint in found]
    return problems


def _sql_problems(table: SemanticTable, schema, warehouse, dialect: str) -> Iterator[tuple[str, str, str]]:
    """Run the model's query with LIMIT 0 for its columns, then check them as a table's."""
    where = f"semantic_models.{table.name}"
    try:
        parsed = derived_sql(table, dialect)
    except sqlglot.errors.ParseError:
        return  # the model's own rules report an unparsable query
    ctes = {cte.alias_or_name.lower() for cte in parsed.find_all(exp.CTE)}
    missing = [t.name for t in parsed.find_all(exp.Table)
               if t.name and t.name.lower() not in ctes and schema.table(t.name) is None]
    if missing and table.when_missing:
        return  # written later (predictions by `asklytics score`); the model says what to do meanwhile
    for name in dict.fromkeys(missing):
        yield (f"{where}.sql", f"its sql reads table {name!r}, which is not in the warehouse",
               _closest("use one of its tables", name, schema.table_names()))
    if missing:
        return
    probe = exp.select("*").from_(subquery(parsed, "_model_sql")).limit(0).sql(dialect=dialect)
    try:
        result = warehouse.execute(probe)
    except AsklyticsError as exc:
        first = (str(exc.message).strip().splitlines() or [type(exc).__name__])[0]
        yield (f"{where}.sql", "its sql does not run on the warehouse", f"fix the query: {first}")
        return
    columns = tuple(SchemaColumn(c.name, c.type) for c in result.columns)
    yield from _item_problems(table, SchemaTable(table.name, columns), dialect, "the columns its sql returns")


def _table_problems(table: SemanticTable, schema, dialect: str) -> Iterator[tuple[str, str, str]]:
    where = f"semantic_models.{table.name}"
    found = schema.table(table.table)
    if found is None:
        if table.when_missing:
            return  # written later (predictions by `asklytics score`); the model says what to do meanwhile
        yield (
            f"{where}.table",
            f"table {table.table!r} is not in the warehouse",
            _closest("use one of its tables", table.table, schema.table_names()),
        )
        return
    yield from _item_problems(table, found, dialect, f"table {found.name!r}")


def _item_problems(
    table: SemanticTable, found: SchemaTable, dialect: str, place: str
) -> Iterator[tuple[str, str, str]]:
    """Every column an entity, dimension or measure reads is in ``found`` (``place`` in messages: "table
    'installs'"), with a fitting type."""
    where = f"semantic_models.{table.name}"
    use = f"use a column of {found.name}" if place.startswith("table") else "use a column its sql returns"
    columns = [c.name for c in found.columns]
    for kind, items in (
        ("entities", table.entities),
        ("dimensions", table.dimensions),
        ("measures", table.measures),
    ):
        for item in items:
            path = f"{where}.{kind}.{item.name}"
            expr = item.expr or item.name
            missing = [c for c in _columns_of(expr, dialect) if found.column(c) is None]
            for column in missing:
                yield (
                    path,
                    f"column {column!r} is not in {place}",
                    _closest(use, column, columns),
                )
            if missing or not _is_plain_column(expr):
                continue  # an expression's type is the engine's business
            column_type = found.column(expr).type.upper()
            if kind == "dimensions" and item.type == "time" and not is_time(column_type):
                yield (
                    path,
                    f"time dimension {item.name!r} reads {expr!r}, which is {column_type}",
                    f"point it at a DATE/TIMESTAMP column, or cast it in expr (e.g. CAST({expr} AS DATE))",
                )
            if kind == "measures" and item.agg in ("sum", "average") and not _summable(column_type):
                yield (
                    path,
                    f"measure {item.name!r} sums or averages {expr!r}, which is {column_type}",
                    "use a numeric column, or count it (agg: count / count_distinct)",
                )


def _columns_of(expr: str, dialect: str) -> list[str]:
    """The column names an expression reads (a plain name is itself)."""
    if _is_plain_column(expr):
        return [expr]
    try:
        parsed = sqlglot.parse_one(expr, read=dialect)
    except sqlglot.errors.ParseError:
        return []  # the model's own rules report unparsable expressions
    return list(dict.fromkeys(c.name for c in parsed.find_all(exp.Column) if c.name))


def _is_plain_column(expr: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z_]\w*", expr))


def _summable(column_type: str) -> bool:
    """Numbers, and booleans (a sum of flags counts them)."""
    return is_number(column_type) or column_type.upper().startswith("BOOL")


def _closest(prefix: str, wanted: str, names: list[str]) -> str:
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
    if close:
        return f"{prefix}: did you mean {', '.join(repr(c) for c in close)}?"
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return f"{prefix} ({shown})" if names else f"{prefix} (the warehouse has no tables: import data first)"
