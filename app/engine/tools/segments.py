"""What the three segment tools share (#22): filters on acquisition attributes, the tables they read,
and the call into ``predictors.segment_answers`` (the latest run of ``asklytics score``).

Like the predictor tools, they are offered only where the warehouse has the attribution tables the
segments are computed from (installs, events, campaigns); elsewhere a question only they answer is
refused with that reason. Where the segments are not scored yet (no ``user_segments`` or
``cluster_profiles``), a call fails with ``not_scored`` and the command that scores, as a predictor
tool without a trained model says how to train it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from pydantic import Field

from app.engine.tools.base import Tool, ToolArgs, ToolContext, ToolError, ToolOutcome, ToolQuestion
from app.engine.tools.predictions import missing_for_predictions
from warehouse.base import Result

FILTER_FIELDS = ("media_source", "campaign_name", "platform", "country")
SEGMENT_TABLES = {"user_segments": ("user_id", "rfm_segment", "cluster", "scored_at")}
PROFILE_TABLES = {"cluster_profiles": ("cluster", "users", "share", "description", "scored_at")}
CLUSTER = re.compile(r"\b(?:behaviou?ral\s+)?clusters?\b")
CLUSTER_NUMBER = re.compile(r"\bclusters?\s+(?:number\s+|no\.?\s+|#\s*)?(\d{1,2})\b")


class SegmentFilterArgs(ToolArgs):
    """Which users: filters on their acquisition attributes (all optional)."""

    media_source: str | None = None
    campaign_name: str | None = None
    platform: Literal["iOS", "Android"] | None = None
    country: str | None = Field(None, description="ISO 3166 alpha-2 code, e.g. BR.")


def filter_arguments(question: ToolQuestion) -> dict[str, Any]:
    return {f: question.filters[f] for f in FILTER_FIELDS if f in question.filters}


def cluster_in(question: ToolQuestion) -> int | None:
    """The cluster number the question names ("cluster 3", a value alias, or "cluster #3")."""
    value = question.filters.get("cluster")
    if value is None:
        match = CLUSTER_NUMBER.search(question.folded)
        value = match.group(1) if match else None
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def segments_unavailable(schema) -> str | None:
    """Why this warehouse cannot have segments at all (not shaped like the demo's), or None."""
    missing = missing_for_predictions(schema)
    if not missing:
        return None
    return ("Segments (RFM and behavioural clusters) are not available for this warehouse: they are "
            "computed from attribution tables shaped like the demo's (installs, events, campaigns; "
            f"docs/models.md), and it has no {', '.join(missing[:6])}{' ...' if len(missing) > 6 else ''}.")


def not_scored(schema, tables: dict[str, tuple[str, ...]]) -> str | None:
    """Why the segment tables cannot be read yet (not written, or by an older scorer), or None."""
    for table, columns in tables.items():
        found = schema.table(table)
        if found is None or any(found.column(c) is None for c in columns):
            return (f"Segments are not scored yet for this warehouse (no up-to-date {table} table); "
                    "run `asklytics score --model rfm`.")
    return None


def cohort(arguments: ToolArgs):
    from predictors.features.base import Cohort

    return Cohort(**{f: getattr(arguments, f, None) for f in FILTER_FIELDS})


def run_segments(name: str, arguments: ToolArgs, context: ToolContext, tables: dict[str, tuple[str, ...]],
                 answer: Callable[[Any], Any], what: str) -> ToolOutcome:
    """Run ``answer(source)`` (a ``predictors.segment_answers`` call) and wrap it as the tool's outcome."""
    schema = context.warehouse.schema()
    reason = segments_unavailable(schema)
    if reason:
        raise ToolError("segments_unavailable", reason)
    reason = not_scored(schema, tables)
    if reason:
        raise ToolError("not_scored", reason)
    from predictors.features.base import WarehouseSource
    from predictors.segment_answers import SegmentLookupError

    try:
        result = answer(WarehouseSource(context.warehouse))
    except SegmentLookupError as exc:
        raise ToolError("not_found", str(exc)) from None
    except ValueError as exc:  # more rows than a tool reads
        raise ToolError("too_many_rows", str(exc)) from None
    rows = len(result.rows)
    summary = f"{rows} {what}{'s' if rows != 1 else ''}; segments of run {result.model_version or 'none'}"
    return ToolOutcome(result=Result(columns=result.columns, rows=result.rows),
                       arguments=arguments.model_dump(mode="json", exclude_none=True, exclude_defaults=True),
                       summary=summary, narrative=result.narrative)


class SegmentTool(Tool):
    """A tool over the segment tables; ``words`` are what the offline planner reads as its own."""

    tables = SEGMENT_TABLES

    def unavailable(self, schema) -> str | None:
        return segments_unavailable(schema)
