"""dbt ``semantic_models:`` entries -> Asklytics semantic models (``asklytics model import-dbt``).

``model: ref('orders')`` is the table ``orders``; primary, unique and foreign entities, categorical
and time dimensions (time read as its day: ``CAST(expr AS DATE)``, sub-day grains as day) and
measures keep their names. ``sum_boolean`` is a sum of the flag cast to an integer. Natural entities,
median and percentile measures, semi-additive measures and expressions that are Jinja or do not parse
in the file's dialect are reported through ``skip``; malformed entries are ``problems``.
"""
from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot.errors import ParseError

from semantic_layer.dbt_metrics import Reported
from semantic_layer.schema import TIME_GRAINS

_AGGS = {"sum": "sum", "count": "count", "count_distinct": "count_distinct", "min": "min", "max": "max",
         "average": "average", "sum_boolean": "sum"}
_ENTITY_TYPES = ("primary", "unique", "foreign", "natural")
_SUB_DAY = ("nanosecond", "microsecond", "millisecond", "second", "minute", "hour")

Skip = Callable[[str, str], None]


@dataclass
class DbtDimension:
    dbt_name: str
    name: str
    type: str
    grain: str | None
    fields: dict[str, Any]


@dataclass
class DbtTable:
    name: str
    source: str
    fields: dict[str, Any]  # name, table, description
    keys: set[str]  # entities with one row per value here (how dbt qualifies its dimensions)
    entities: list[dict[str, Any]] = field(default_factory=list)
    dims: list[DbtDimension] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)


def translate_table(raw: dict, source: str, dialect: str, skipped: list[Reported], notes: list[Reported],
                    problems: list[str]) -> DbtTable:
    """One semantic model; what it cannot keep goes to ``skipped``, what it changes to ``notes``."""
    name = raw["name"]
    table = _relation(raw.get("model"))
    if table is None:
        problems.append(f"semantic model {name!r} ({source}): model must be ref('<dbt model>'), "
                        f"not {raw.get('model')!r}")
    where = f"semantic model {name!r} ({source})"
    keys = {raw["primary_entity"]} if isinstance(raw.get("primary_entity"), str) else set()
    out = DbtTable(name, source, {"name": name, "table": table, "description": _text(raw, "")}, keys)

    def skip(item: str, reason: str) -> None:
        skipped.append(Reported(f"{item} of {name!r}", source, reason))

    for entity in _items(raw, "entities", where, problems):
        kind, expr = str(entity.get("type", "")).lower(), _expr(entity, dialect)
        if kind not in _ENTITY_TYPES:
            problems.append(f"{where}: entity {entity.get('name')!r} has type {entity.get('type')!r}, "
                            f"not one of {', '.join(_ENTITY_TYPES)}")
        elif kind == "natural":
            out.keys.add(entity["name"])
            skip(f"entity {entity['name']!r}", "natural keys (slowly changing dimensions with validity "
                 "windows) are not supported; the dimensions of this model join through other entities only")
        elif expr is None:
            skip(f"entity {entity['name']!r}", f"expr {entity.get('expr')!r} is not {dialect} SQL")
        else:
            out.entities.append(_named(entity["name"], expr, type=kind))
            if kind in ("primary", "unique"):
                out.keys.add(entity["name"])
    for dim in _items(raw, "dimensions", where, problems):
        translated = _dimension(dim, name, dialect, problems, where, skip, notes, source)
        if translated:
            out.dims.append(translated)
    default_time = (raw.get("defaults") or {}).get("agg_time_dimension")
    for measure in _items(raw, "measures", where, problems):
        translated = _measure(measure, out, default_time, dialect, problems, where, skip)
        if translated:
            out.measures.append(translated)
    return out


def _items(raw: dict, key: str, where: str, problems: list[str]) -> list[dict]:
    items = raw.get(key) or []
    good = [i for i in items if isinstance(i, dict) and isinstance(i.get("name"), str)] if isinstance(
        items, list) else []
    if len(good) != (len(items) if isinstance(items, list) else -1):
        problems.append(f"{where}: {key} must be a list of mappings, each with a name")
    return good


def _relation(model: Any) -> str | None:
    """``ref('orders')``, ``ref('package', 'orders')``, ``ref('orders', v=2)`` -> the table name."""
    if not isinstance(model, str):
        return None
    text = model.strip().removeprefix("{{").removesuffix("}}").strip()
    try:
        node = ast.parse(text, mode="eval").body
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            return None
        args = [ast.literal_eval(a) for a in node.args]
        keywords = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    except (SyntaxError, ValueError):
        return None
    if node.func.id not in ("ref", "source") or not args or not all(isinstance(a, str) for a in args):
        return None
    version = keywords.get("v", keywords.get("version"))
    return f"{args[-1]}_v{version}" if node.func.id == "ref" and version is not None else args[-1]


def _dimension(dim: dict, table: str, dialect: str, problems: list[str], where: str, skip: Skip,
               notes: list[Reported], source: str) -> DbtDimension | None:
    name, kind = dim.get("name"), str(dim.get("type", "")).lower()
    if kind not in ("categorical", "time"):
        problems.append(f"{where}: dimension {name!r} has type {dim.get('type')!r}, not categorical or time")
        return None
    expr = _expr(dim, dialect)
    if expr is None:
        skip(f"dimension {name!r}", f"expr {dim.get('expr')!r} is not {dialect} SQL")
        return None
    fields: dict[str, Any] = {"type": kind}
    grain = None
    if kind == "time":
        grain = str((dim.get("type_params") or {}).get("time_granularity", "day")).lower()
        if grain in _SUB_DAY:
            notes.append(Reported(f"dimension {name!r} of {table!r}", source, f"time_granularity {grain} "
                                         "is read as its day (Asklytics grains: day, week, month, ...)"))
            grain = "day"
        if grain not in TIME_GRAINS:
            problems.append(f"{where}: dimension {name!r} has time_granularity {grain!r}")
            return None
        if (dim.get("type_params") or {}).get("validity_params"):
            notes.append(Reported(f"dimension {name!r} of {table!r}", source, "validity_params are "
                                  "ignored (no slowly changing dimension joins): a plain time dimension"))
        expr = f"CAST({expr} AS DATE)"
    if expr != name:
        fields["expr"] = expr
    fields["description"] = _text(dim, f"{name} of {table} (no description in dbt).")
    if kind == "time":
        fields["type_params"] = {"time_granularity": grain}
    return DbtDimension(name, name, kind, grain, fields)


def _measure(measure: dict, table: DbtTable, default_time: Any, dialect: str, problems: list[str], where: str,
             skip: Skip) -> dict[str, Any] | None:
    name, agg = measure.get("name"), str(measure.get("agg", "")).lower()
    item = f"measure {name!r}"
    if agg in ("median", "percentile"):
        return _skip_measure(skip, item, measure, f"agg {agg} is not an Asklytics aggregation (sum, count, "
                             "count_distinct, min, max, average)")
    if agg not in _AGGS:
        problems.append(f"{where}: measure {name!r} has agg {measure.get('agg')!r}, not a MetricFlow "
                        "aggregation")
        return None
    if measure.get("non_additive_dimension"):
        return _skip_measure(skip, item, measure, "semi-additive measures (non_additive_dimension, e.g. a "
                             "balance at the end of each period) are not supported")
    expr = _expr(measure, dialect)
    if expr is None:
        return _skip_measure(skip, item, measure, f"expr {measure.get('expr')!r} is not {dialect} SQL")
    time = measure.get("agg_time_dimension") or default_time
    dim = next((d for d in table.dims if d.dbt_name == time), None)
    if time and (dim is None or dim.type != "time"):
        return _skip_measure(skip, item, measure, f"its agg_time_dimension {time!r} is not an imported time "
                             f"dimension of {table.name!r}")
    if agg == "sum_boolean":
        expr = f"CAST({expr} AS INTEGER)"
    out = _named(name, expr, agg=_AGGS[agg])
    out["_dbt_agg"] = agg
    if measure.get("description") or measure.get("label"):
        out["description"] = _text(measure, "")
    if dim is not None:
        out["_time"] = dim
    if measure.get("create_metric"):
        out["create_metric"] = True
    return out


def _skip_measure(skip: Skip, item: str, measure: dict, reason: str) -> dict[str, Any]:
    skip(item, reason)
    return {"name": measure.get("name"), "_skipped": reason}


def _expr(item: dict, dialect: str) -> str | None:
    """The item's SQL (its name when it has no expr), or None when it does not parse."""
    expr = item.get("expr")
    expr = item.get("name") if expr is None else expr
    expr = str(expr).lower() if isinstance(expr, bool) else str(expr).strip()
    if "{{" in expr or "{%" in expr:
        return None
    try:
        sqlglot.parse_one(expr, read=dialect)
    except ParseError:
        return None
    return expr


def _named(name: str, expr: str, **fields: Any) -> dict[str, Any]:
    out = {"name": name, **{k: v for k, v in fields.items() if k in ("type", "agg")}}
    if expr != name:
        out["expr"] = expr
    return out


def _text(item: dict, default: str) -> str:
    text = item.get("description") or item.get("label")
    return " ".join(str(text).split()) if text else default
