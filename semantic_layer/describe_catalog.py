"""The compact catalog of a generated model that ``model init --describe`` shows an LLM.

One block per semantic model: its warehouse table and columns with their types, its dimensions
(categorical ones with their most frequent values), measures, and the metrics built on its
measures; metrics of no single table (ratios, derived) come last. Blocks are packed into batches
of at most ``budget`` characters, so a large warehouse takes several calls. Sample values come from
read-only queries this module writes; nothing the LLM says is ever run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from semantic_layer.describe import is_generated_description
from warehouse.errors import WarehouseError

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_VALUES = 5
MAX_VALUE_CHARS = 40
BATCH_CHARS = 12_000


@dataclass(frozen=True)
class Catalog:
    batches: list[str]
    values: set[str]  # every sampled dimension value (no synonym may be one)


def build_catalog(
    model: dict[str, Any],
    schema,
    execute: Callable[[str], list[tuple]],
    *,
    budget: int = BATCH_CHARS,
    max_values: int = MAX_VALUES,
) -> Catalog:
    """The catalog of ``model`` in batches; ``execute`` runs one read-only query (for samples)."""
    values: set[str] = set()
    measure_table = {
        m["name"]: t["name"] for t in model.get("semantic_models", []) for m in t.get("measures", [])
    }
    metrics_of: dict[str | None, list[dict[str, Any]]] = {}
    for metric in model.get("metrics", []):
        measure = (metric.get("type_params") or {}).get("measure")
        metrics_of.setdefault(measure_table.get(measure), []).append(metric)
    blocks = []
    for table in model.get("semantic_models", []):
        lines = _table_lines(table, schema)
        keys = [f"{e['name']} ({e['type']}, {e.get('expr') or e['name']})" for e in table.get("entities", [])]
        if keys:
            lines.append("  keys: " + ", ".join(keys))
        for dim in table.get("dimensions", []):
            sampled = _sample(table, dim, execute, max_values) if dim.get("type") == "categorical" else []
            values.update(sampled)
            lines.append("  dimension " + _dimension_text(dim, sampled))
        for measure in table.get("measures", []):
            lines.append(
                f"  measure {measure['name']} ({measure['agg']} of {measure.get('expr') or measure['name']})"
                + _known(measure)
            )
        lines += ["  " + _metric_text(m) for m in metrics_of.get(table["name"], [])]
        blocks.append("\n".join(lines))
    others = metrics_of.get(None, [])
    if others:
        blocks.append("metrics of several tables:\n" + "\n".join("  " + _metric_text(m) for m in others))
    return Catalog(pack(blocks, budget), values)


def pack(blocks: list[str], budget: int) -> list[str]:
    """Blocks joined into batches of at most ``budget`` characters (a bigger block goes alone)."""
    batches: list[str] = []
    for block in blocks:
        if batches and len(batches[-1]) + 2 + len(block) <= budget:
            batches[-1] += "\n\n" + block
        else:
            batches.append(block)
    return batches


def _table_lines(table: dict[str, Any], schema) -> list[str]:
    source = f"warehouse table {_shown(table['table'])}" if table.get("table") else "SQL query"
    found = schema.table(table["table"]) if table.get("table") else None
    if found is not None and found.row_count is not None:
        source += f", {found.row_count:,} rows"
    lines = [f"table {table['name']} ({source})" + _known(table)]
    if found is not None:
        lines.append("  columns: " + ", ".join(f"{_shown(c.name)} {c.type}" for c in found.columns))
    return lines


def _dimension_text(dim: dict[str, Any], sampled: list[str]) -> str:
    text = f"{dim['name']} ({dim['type']}, {dim.get('expr') or dim['name']})"
    if sampled:
        text += ": values " + ", ".join(sampled)
    return text + _known(dim)


def _metric_text(metric: dict[str, Any]) -> str:
    params = metric.get("type_params") or {}
    parts = [f"{k} {v}" for k, v in params.items() if v]
    text = f"metric {metric['name']} ({metric['type']}, {'; '.join(map(str, parts))}"
    if metric.get("units"):
        text += f"; units {metric['units']}"
    return text + ")" + _known(metric)


def _known(item: dict[str, Any]) -> str:
    """What the item already has: a description someone wrote, its synonyms."""
    text = ""
    description = item.get("description") or ""
    if description and not is_generated_description(description):
        text += f" -- {description}"
    if item.get("synonyms"):
        text += f" [synonyms already: {', '.join(item['synonyms'])}]"
    return text


def _sample(table: dict[str, Any], dim: dict[str, Any], execute, limit: int) -> list[str]:
    """The most frequent values of a categorical dimension (none when the query fails)."""
    source = _q(table["table"]) if table.get("table") else f"({table['sql']}) AS t"
    expr = dim.get("expr") or _q(dim["name"])
    sql = (
        f"SELECT {expr} AS v, COUNT(*) AS n FROM {source} WHERE {expr} IS NOT NULL "
        f"GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {int(limit)}"
    )
    try:
        rows = execute(sql)
    except WarehouseError:
        return []
    return [str(row[0])[:MAX_VALUE_CHARS] for row in rows]


def _shown(identifier: str) -> str:
    return identifier if _PLAIN.fullmatch(identifier) else _q(identifier)


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
