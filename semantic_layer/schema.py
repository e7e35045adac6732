"""Typed objects of a semantic model file (the YAML shape, MetricFlow-like).

These classes only describe the file; cross-references (a metric's measure
exists, a dimension is reachable) are checked by :mod:`semantic_layer.rules`,
which can report every problem at once with its path and a fix hint.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from semantic_layer.vocabulary import Vocabulary

TimeGrain = Literal["day", "week", "month", "quarter", "year"]
TIME_GRAINS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")
FilterOp = Literal["=", "!=", "in", "not in", ">", ">=", "<", "<="]
FilterValue = bool | int | float | dt.date | str


class _Strict(BaseModel):
    # A typo in a key (``synonym:``) must fail loudly, not be ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entity(_Strict):
    """A join key. ``primary``/``unique``: one row per value here; ``foreign``: many."""

    name: str
    type: Literal["primary", "unique", "foreign"]
    expr: str | None = None

    @property
    def column_expr(self) -> str:
        return self.expr or self.name


class TimeParams(_Strict):
    time_granularity: TimeGrain


class Dimension(_Strict):
    """``categorical`` groups and filters; ``time`` is a date; ``numeric`` (a score, a duration)
    only filters with thresholds (``fraud_probability > 0.8``): it never groups rows."""

    name: str
    type: Literal["categorical", "time", "numeric"]
    expr: str | None = None
    description: str = ""
    synonyms: tuple[str, ...] = ()
    units: str | None = None
    type_params: TimeParams | None = None
    # Fewest distinct users a grouped cell of this dimension may show (docs/governance.md);
    # raises the model's threshold for queries grouped or filtered by it.
    min_group_size: int | None = Field(None, ge=1)

    @property
    def column_expr(self) -> str:
        return self.expr or self.name


class Rollup(_Strict):
    """Aggregate per ``grain`` first, then combine those values with ``agg``."""

    grain: TimeGrain = "day"
    agg: Literal["average", "max", "min"] = "average"


class Measure(_Strict):
    name: str
    agg: Literal["sum", "count", "count_distinct", "min", "max", "average"]
    expr: str | None = None
    description: str = ""
    agg_time_dimension: str | None = None
    rollup: Rollup | None = None

    @property
    def column_expr(self) -> str:
        return self.expr or self.name


class SemanticTable(_Strict):
    """One ``semantic_models`` entry: a table (or a SQL query) and what it offers."""

    name: str
    table: str | None = None
    sql: str | None = None
    description: str = ""
    # Shown instead of an unknown-table error when the table is not in the warehouse yet
    # (prediction tables exist only after `asklytics train` and `asklytics score`).
    when_missing: str | None = None
    entities: tuple[Entity, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
    measures: tuple[Measure, ...] = ()

    def dimension(self, name: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.name == name), None)

    def entity(self, name: str) -> Entity | None:
        return next((e for e in self.entities if e.name == name), None)


class Filter(_Strict):
    """``dimension op values``; ``in``/``not in`` take several values, the rest one."""

    dimension: str
    op: FilterOp = "="
    values: tuple[FilterValue, ...] = Field(min_length=1)

    def to_text(self) -> str:
        """The filter as the answer contract shows it: ``platform = 'iOS'``."""
        shown = [_literal_text(v) for v in self.values]
        if self.op in ("in", "not in"):
            return f"{self.dimension} {self.op.upper()} ({', '.join(shown)})"
        return f"{self.dimension} {self.op} {shown[0]}"


def _literal_text(value: FilterValue) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


class MetricParams(_Strict):
    measure: str | None = None  # simple
    numerator: str | None = None  # ratio: metric names
    denominator: str | None = None
    expr: str | None = None  # derived: SQL over the metric names below
    metrics: tuple[str, ...] = ()


class Metric(_Strict):
    name: str
    type: Literal["simple", "ratio", "derived"]
    description: str = ""
    units: str | None = None
    synonyms: tuple[str, ...] = ()
    type_params: MetricParams
    filter: tuple[Filter, ...] = ()

    def inputs(self) -> tuple[str, ...]:
        """Metric names this metric is computed from (none for simple metrics)."""
        if self.type == "ratio":
            return tuple(n for n in (self.type_params.numerator, self.type_params.denominator) if n)
        if self.type == "derived":
            return self.type_params.metrics
        return ()


class CohortSpec(_Strict):
    """Where query cohorts come from: a table with one row per member (an install, a user),
    and the date that puts a member in a cohort (the install date)."""

    semantic_model: str
    time_dimension: str
    description: str = ""
    # words for a member besides its entity's name ("aircraft" for planes): with them, the time
    # dimension's synonyms ("first flight", "first seen") say how a member joins a cohort
    members: tuple[str, ...] = ()


class Privacy(_Strict):
    """Privacy thresholds (docs/governance.md): a grouped cell computed from fewer than
    ``min_group_size`` distinct members of ``user_entity`` is not shown."""

    min_group_size: int = Field(5, ge=1)
    user_entity: str = "user"


class RollupTable(_Strict):
    """A pre-aggregated table the compiler may answer from (aggregate awareness, docs/semantic-layer.md).

    ``measures`` of ``semantic_model`` summed (counted, min/max-ed) per day and per each of
    ``dimensions``; built by ``asklytics rollups build`` into ``table`` (default ``rollup_<name>``).
    ``cohort``: each row also keeps the install date of the model's cohort table (``rollup_cohort_day``),
    so queries with a cohort can be answered from it too. ``grain: month``: one row per month (and
    group) instead of per day. ``distinct_values``: plain distinct counts (``count_distinct``) are kept
    as their values, one row per value and group, and counted again when read (exact, never added).
    """

    name: str
    semantic_model: str
    measures: tuple[str, ...] = Field(min_length=1)
    dimensions: tuple[str, ...] = ()
    grain: Literal["day", "month"] = "day"
    cohort: bool = False
    distinct_values: bool = False
    # Days before the watermark rebuilt by an incremental build: a measure late data can still
    # change (D30 retention of an install depends on the 30 days after it) needs that many.
    refresh_days: int = Field(0, ge=0)
    table: str | None = None
    description: str = ""

    @property
    def table_name(self) -> str:
        return self.table or f"rollup_{self.name}"


class SemanticModelFile(_Strict):
    version: int = 1
    dialect: str = "duckdb"
    privacy: Privacy | None = None  # optional: thresholds are off unless a model or a setting turns them on
    cohort: CohortSpec | None = None
    semantic_models: tuple[SemanticTable, ...] = ()
    metrics: tuple[Metric, ...] = ()
    rollups: tuple[RollupTable, ...] = ()  # optional: pre-aggregated tables (aggregate awareness)
    vocabulary: Vocabulary = Vocabulary()  # optional: the team's words for its data
