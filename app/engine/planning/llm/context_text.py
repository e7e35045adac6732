"""The planner's system prompt: catalog, schema, retrieved hits, examples, earlier turns.

Retrieval hits arrive as ``PlanningContext.retrieved`` -- a dict of lists by
kind (``metrics``, ``columns``, ``docs``, ``examples``...). Hits may be dicts,
pydantic models, dataclasses or strings; they are rendered as short text lines
with a size cap, because a prompt that grows with the index is slow and costly.
Example hits (``question`` plus ``sql`` or ``semantic_query``) become few-shot
pairs.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from typing import Any

from app.engine.planning.plan import PlanningContext
from prompts import render_prompt

EXAMPLE_KINDS = ("examples", "example")
MAX_ITEMS_PER_KIND = 12
MAX_ITEM_CHARS = 600
NONE = "(none)"


def planner_system_prompt(context: PlanningContext, catalog: str) -> str:
    retrieved = context.retrieved or {}
    return render_prompt(
        "planner_system",
        as_of=str(context.as_of),
        dialect=context.dialect,
        catalog=catalog.strip() or NONE,
        schema=(context.schema_text or "").strip() or NONE,
        context=retrieved_text(retrieved),
        examples=examples_text(_examples(retrieved)),
        previous=previous_plans_text(context.previous_plans),
    )


def retrieved_text(retrieved: dict[str, Any]) -> str:
    sections = []
    for kind, hits in retrieved.items():
        if kind in EXAMPLE_KINDS or not hits:
            continue
        lines = [f"- {_clip(_hit_text(hit))}" for hit in _first(hits)]
        sections.append(f"{kind}:\n" + "\n".join(lines))
    return "\n\n".join(sections) or NONE


def examples_text(examples: Iterable[Any]) -> str:
    pairs = []
    for example in _first(examples):
        item = _as_mapping(example)
        answer = item.get("sql") or item.get("semantic_query") or item.get("plan")
        if item.get("question") and answer:
            shown = answer if isinstance(answer, str) else json.dumps(answer, default=str)
            pairs.append(f"Q: {item['question']}\nA: {_clip(shown)}")
    return "\n\n".join(pairs) or NONE


def previous_plans_text(plans: Iterable[Any]) -> str:
    """Earlier turns' plans, oldest first, as compact JSON the model can edit."""
    lines = [f"{n}. {_clip(json.dumps(_as_mapping(p), default=str))}" for n, p in enumerate(plans, 1)]
    return "\n".join(lines) or NONE


def _examples(retrieved: dict[str, Any]) -> list[Any]:
    return [hit for kind in EXAMPLE_KINDS for hit in retrieved.get(kind) or ()]


def _first(hits: Iterable[Any]) -> list[Any]:
    return list(hits)[:MAX_ITEMS_PER_KIND]


def _hit_text(hit: Any) -> str:
    if isinstance(hit, str):
        return hit
    item = _as_mapping(hit)
    return ", ".join(f"{k}: {v}" for k, v in item.items() if v not in (None, "", [], ()))


def _as_mapping(item: Any) -> dict[str, Any]:
    if isinstance(item, dict):
        return item
    if hasattr(item, "model_dump"):
        return item.model_dump(mode="json", exclude_none=True)
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return dataclasses.asdict(item)
    return {"text": str(item)}


def _clip(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_ITEM_CHARS else text[: MAX_ITEM_CHARS - 1] + "…"
