"""A first semantic model from a warehouse nobody described yet (``asklytics model init``).

Each table becomes a semantic model: DATE/TIMESTAMP columns are time dimensions (timestamps read as
their day), columns named like keys (``id``, ``*_id``) are entities -- primary when every value is
distinct, foreign when every value is found in another table's primary key (value containment, not
just the name) --, text and boolean columns with few distinct values are categorical dimensions,
and other numeric columns are summed measures, dated by the time column that dates the table's rows
(bootstrap_time.py: a name shared with the table's, a usual row-date name, then the data; the YAML
says which and why). Every table gets a row-count metric and every measure a total metric. Names
are snake_case; a column whose name is not (vendor exports: "Install Time") keeps it, quoted, in
``expr``. The YAML says what to edit: descriptions, units, synonyms, ratio metrics.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from semantic_layer.bootstrap_time import RowTime, row_time_column
from semantic_layer.column_types import is_date, is_number, is_text, is_time

MAX_CATEGORIES = 200  # a text column with more distinct values is an attribute to filter, not a dimension
_KEY = re.compile(r"(?:^|_)id$")


class GeneratedModel(dict):
    """The model's content (a plain dict to validate, edit and dump) and, beside it, the comments
    :func:`render_yaml` writes above semantic models: {semantic model name: text}."""

    def __init__(self, content: dict[str, Any], comments: dict[str, str]):
        super().__init__(content)
        self.comments = comments


@dataclass
class _Table:
    name: str
    rows: int
    columns: list[tuple[str, str]]  # (column, type)
    distinct: dict[str, int] = field(default_factory=dict)
    primary: str | None = None
    row_time: RowTime | None = None  # the time column that dates the rows (agg_time_dimension)


def bootstrap_model(
    schema,
    execute: Callable[[str], list[tuple]],
    dialect: str = "duckdb",
    progress: Callable[[str], None] | None = None,
) -> GeneratedModel:
    """The model as a dict (the YAML's content) for every table of ``schema``; ``execute`` runs one
    read-only query and returns its rows."""
    tables = []
    for name in schema.table_names():
        if progress:
            progress(name)
        table = schema.table(name)
        columns = [(c.name, c.type.upper()) for c in table.columns]
        info = _Table(name, _scalar(execute, f"SELECT COUNT(*) FROM {_q(name)}"), columns)
        for column, column_type in columns:
            if _is_key(column) or is_text(column_type):
                info.distinct[column] = _scalar(
                    execute, f"SELECT COUNT(DISTINCT {_q(column)}) FROM {_q(name)}"
                )
        info.primary = next(
            (c for c, _ in columns if _is_key(c) and info.rows and info.distinct.get(c) == info.rows), None
        )
        times = [c for c, column_type in columns if is_time(column_type) and not _is_key(c)]
        info.row_time = row_time_column(name, times, lambda kept, t=name: _time_stats(execute, t, kept))
        tables.append(info)
    foreign = _foreign_keys(tables, execute)
    metrics, names = [], set()
    for table in tables:
        for metric in _metrics(table, foreign.get(table.name, {})):
            if metric["name"] in names:  # "total_amount" of two tables: the second says whose
                metric["name"] = f"{metric['name']}_{_snake(table.name)}"
            names.add(metric["name"])
            metrics.append(metric)
    semantic_models = [_semantic_model(t, foreign.get(t.name, {})) for t in tables]
    _name_row_counts(metrics, semantic_models)
    comments = {_snake(t.name): _time_comment(t) for t in tables if _time_comment(t)}
    content = {"version": 1, "dialect": dialect, "semantic_models": semantic_models, "metrics": metrics}
    return GeneratedModel(content, comments)


def _name_row_counts(metrics: list[dict[str, Any]], semantic_models: list[dict[str, Any]]) -> None:
    """ "installs" and "number of installs" name the installs table's row count, unless a dimension
    or another metric already has that name."""
    taken = {d["name"].replace("_", " ") for m in semantic_models for d in m.get("dimensions", [])}
    taken |= {m["name"].replace("_", " ") for m in metrics}
    for metric in metrics:
        if not metric["name"].endswith("_count") or metric["type_params"]["measure"].endswith("_distinct"):
            continue
        words = metric["name"].removesuffix("_count").replace("_", " ")
        synonyms = [s for s in (words, f"number of {words}") if s not in taken]
        if synonyms:
            metric["synonyms"] = synonyms
            taken.update(synonyms)


def render_yaml(model: dict[str, Any], source: str) -> str:
    """The YAML file, with a :class:`GeneratedModel`'s comments above their semantic models."""
    header = (
        f"# Semantic model generated by `asklytics model init` from {source}.\n"
        "# Edit before relying on it: write real descriptions, set units (USD, count, ...), add\n"
        "# synonyms people use, ratio metrics (e.g. revenue / installs), and remove what nobody asks\n"
        "# about. Check it with `asklytics metrics validate`; docs/semantic-layer.md has the format.\n"
    )
    comments = getattr(model, "comments", {})
    body = {k: v for k, v in model.items() if k not in ("semantic_models", "metrics")}
    text = header + _dump(body) + "semantic_models:\n"
    for semantic_model in model.get("semantic_models", []):
        note = comments.get(semantic_model["name"], "")
        text += "".join(f"# {line}\n" for line in note.splitlines()) + _dump([semantic_model])
    return text + _dump({"metrics": model.get("metrics", [])})


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _time_stats(execute, table: str, columns) -> dict[str, tuple[int, object]]:
    """{column: (distinct values, latest value)} in one query."""
    parts = ", ".join(f"COUNT(DISTINCT {_q(c)}), MAX({_q(c)})" for c in columns)
    row = execute(f"SELECT {parts} FROM {_q(table)}")[0]
    return {c: (int(row[2 * i] or 0), row[2 * i + 1]) for i, c in enumerate(columns)}


def _time_comment(table: _Table) -> str:
    """Which time column dates the table's measures, and why (only when there was a choice)."""
    types = dict(table.columns)
    times = [c for c, t in table.columns if is_time(t) and not _is_key(c)]
    if table.row_time is None or len(times) < 2:
        return ""
    chosen = table.row_time.column
    name = _time_name(chosen, types[chosen])
    column = f" ({chosen})" if name != chosen else ""
    others = ", ".join(_time_name(c, types[c]) for c in times if c != chosen)
    text = (f"{table.name}: its measures are dated by {name}{column}: {table.row_time.reason}. Other "
            f"time columns: {others}. To date them by another, change agg_time_dimension below.")
    return "\n".join(textwrap.wrap(text, width=98, break_long_words=False, break_on_hyphens=False))


def _time_name(column: str, column_type: str) -> str:
    """The time dimension a time column becomes: its name, or ``<name>_date`` for a timestamp."""
    return _snake(column) if is_date(column_type) else f"{_snake(column)}_date"


def _foreign_keys(tables: list[_Table], execute) -> dict[str, dict[str, str]]:
    """{table: {column: entity}} for key columns whose values all appear in another table's primary
    key of the same name (``campaign_id`` -> campaigns.campaign_id)."""
    # of several tables keyed by the same column, the biggest is its home (users before scores of users)
    primaries = {t.primary: t for t in sorted(tables, key=lambda t: t.rows) if t.primary}
    found: dict[str, dict[str, str]] = {}
    for table in tables:
        for column, _ in table.columns:
            owner = primaries.get(column)
            if owner is None or owner is table or column == table.primary or not _is_key(column):
                continue
            missing = _scalar(
                execute,
                f"SELECT COUNT(*) FROM {_q(table.name)} WHERE {_q(column)} IS NOT NULL "
                f"AND {_q(column)} NOT IN (SELECT {_q(column)} FROM {_q(owner.name)})",
            )
            if missing == 0:
                found.setdefault(table.name, {})[column] = _entity_name(column)
    return found


def _semantic_model(table: _Table, foreign: dict[str, str]) -> dict[str, Any]:
    entities, dimensions, measures = [], [], []
    if table.primary:
        entities.append(_item(_entity_name(table.primary), table.primary, type="primary"))
    for column, entity in foreign.items():
        entities.append(_item(entity, column, type="foreign"))
    row_time = None
    for column, column_type in table.columns:
        if column in (table.primary, *foreign):
            continue
        if _is_key(column):  # a key with no table of its own: count its distinct values ("users")
            measures.append(
                _item(
                    f"{_snake(table.name)}_distinct_{_entity_name(column)}",
                    column,
                    agg="count_distinct",
                    description=f"Distinct {column} in {table.name}.",
                )
            )
            continue
        if is_time(column_type):
            expr = (
                column
                if is_date(column_type)
                else f"CAST({_q(column)} AS DATE)"
            )
            name = _time_name(column, column_type)
            if table.row_time is not None and column == table.row_time.column:
                row_time = name
            dimensions.append(
                _item(
                    name,
                    expr,
                    type="time",
                    description=f"Day of {column} in {table.name}.",
                    type_params={"time_granularity": "day"},
                )
            )
        elif (
            is_text(column_type) and table.distinct.get(column, MAX_CATEGORIES + 1) <= MAX_CATEGORIES
        ):
            dimensions.append(
                _item(
                    _snake(column),
                    column,
                    type="categorical",
                    description=f"{column} of {table.name} ({table.distinct[column]} distinct values).",
                )
            )
        elif is_number(column_type):
            measures.append(
                _item(
                    f"{_snake(table.name)}_{_snake(column)}_total",
                    column,
                    agg="sum",
                    description=f"Sum of {column} in {table.name}.",
                )
            )
    count = _item(f"{_snake(table.name)}_rows", "1", agg="count", description=f"Rows of {table.name}.")
    measures.insert(0, count)
    if row_time:
        for measure in measures:
            measure["agg_time_dimension"] = row_time
    model = {
        "name": _snake(table.name),
        "table": table.name,
        "description": f"{table.name}: {table.rows:,} rows. TODO: say what one row is.",
    }
    for key, items in (("entities", entities), ("dimensions", dimensions), ("measures", measures)):
        if items:
            model[key] = items
    return model


def _metrics(table: _Table, foreign: dict[str, str]) -> list[dict[str, Any]]:
    base = _snake(table.name)
    metrics = [
        {
            "name": f"{base}_count",
            "type": "simple",
            "description": f"Number of rows of {table.name}.",
            "units": "count",
            "type_params": {"measure": f"{base}_rows"},
        }
    ]
    for column, _ in table.columns:
        if _is_key(column) and column != table.primary and column not in foreign:
            entity = _entity_name(column)
            metrics.append(
                {
                    "name": f"unique_{entity}s_in_{base}",
                    "type": "simple",
                    "description": f"Distinct {column} values in {table.name}.",
                    "units": "count",
                    "type_params": {"measure": f"{base}_distinct_{entity}"},
                }
            )
    for column, column_type in table.columns:
        if is_number(column_type) and not _is_key(column):
            metrics.append(
                {
                    "name": f"total_{_snake(column)}",
                    "type": "simple",
                    "description": f"Total {column} of {table.name}. TODO: units.",
                    "units": "number",
                    "type_params": {"measure": f"{base}_{_snake(column)}_total"},
                }
            )
    return metrics


def _item(name: str, expr: str, **fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"name": name}
    item.update({k: v for k, v in fields.items() if k == "type"})
    if expr != name:
        item["expr"] = expr if _snake(expr) == expr or expr == "1" or expr.startswith("CAST(") else _q(expr)
    item.update({k: v for k, v in fields.items() if k != "type"})
    return item


def _is_key(column: str) -> bool:
    return bool(_KEY.search(_snake(column)))


def _entity_name(column: str) -> str:
    name = re.sub(r"_?id$", "", _snake(column))
    return name or "row"


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_") or "column"


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _scalar(execute, sql: str) -> int:
    rows = execute(sql)
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0
