"""Check a semantic model against a live warehouse: every table and column it names exists, time
dimensions are dates or timestamps, summed and averaged measures are numbers, join keys exist.

The model's own rules (rules.py) check it alone; this checks it against the data it will query,
at start-up and in ``asklytics metrics validate``. Every problem is listed at once, each with a
fix hint (the closest names the warehouse has).
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
from semantic_layer.schema import SemanticTable


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


def require_fit(model: SemanticModel, schema) -> None:
    """Raise :class:`ModelDoesNotFitWarehouse` when the model and the warehouse disagree."""
    problems = check_against_schema(model, schema)
    if problems:
        raise ModelDoesNotFitWarehouse(problems)


def check_against_schema(model: SemanticModel, schema) -> list[Violation]:
    """Every mismatch between ``model`` and the warehouse ``schema`` (warehouse.base.Schema)."""
    name = str(model.path) if model.path is not None else "semantic model"
    problems: list[Violation] = []
    for table in model.spec.semantic_models:
        problems += [
            Violation(name, path, message, hint)
            for path, message, hint in _table_problems(table, schema, model.dialect)
        ]
    return problems


def _table_problems(table: SemanticTable, schema, dialect: str) -> Iterator[tuple[str, str, str]]:
    where = f"semantic_models.{table.name}"
    if table.table is None:
        return  # a `sql:` table: its columns are whatever its query returns
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
                    f"column {column!r} is not in table {found.name!r}",
                    _closest(f"use a column of {found.name}", column, columns),
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
