"""Argument schemas of the planner's tools, as pydantic models.

The model sees these as JSON schemas (names and docstrings become the tool
names and descriptions); what it sends back is validated with the same
classes, so a malformed call becomes a precise error message for the model,
never a half-built plan. ``extra="forbid"``: an invented argument is a mistake
worth telling the model about, not something to drop silently.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.engine.planning.plan import ChartType, Intent, RefusalCategory
from app.engine.tools import REGISTRY
from semantic_layer.schema import FilterOp, TimeGrain

FilterValue = str | int | float | bool


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FilterArg(_Args):
    """One filter: ``dimension op values``; ``in``/``not in`` take several values, others one."""

    dimension: str = Field(description="A dimension name from the catalog.")
    op: FilterOp = "="
    values: list[FilterValue] = Field(min_length=1, description="Values to compare with.")


class CohortArg(_Args):
    """An install cohort: who joined when (and who they are), measured over the query's time_range."""

    install_range: list[dt.date] | None = Field(
        None, min_length=2, max_length=2, description="[start, end] install dates of the members, inclusive.")
    filters: list[FilterArg] = Field(default_factory=list, description="Attributes of the members.")
    grain: TimeGrain | None = Field(
        None, description="Group the members by install bucket (a cohort column)."
    )


class ShareArg(_Args):
    """Each row's fraction (0..1) of a total of one additive metric."""

    of: str = Field(description="An additive metric (installs, cost, revenue, ...), never a ratio.")
    where: list[FilterArg] = Field(default_factory=list, description="Filters of the part only.")
    within: list[str] = Field(
        default_factory=list, description="Grouped dimensions whose rows each sum to 1; [] = the grand total."
    )


class QueryMetricsArgs(_Args):
    """Query metrics from the semantic catalog, grouped by dimensions, over a date range."""

    metrics: list[str] = Field(
        min_length=1,
        description="Metric names from the catalog, or "
        "'count_distinct:<dimension>' for the number of distinct values of an attribute.",
    )
    dimensions: list[str] = Field(default_factory=list, description="Dimension names to group by.")
    grain: TimeGrain | None = Field(None, description="Time bucket when grouping by metric_time.")
    filters: list[FilterArg] = Field(default_factory=list)
    time_range: list[dt.date] | None = Field(
        None, min_length=2, max_length=2, description="[start, end] ISO dates, both inclusive."
    )
    order_by: list[list[str]] = Field(
        default_factory=list, description='Sort keys as [field, "asc" | "desc"] pairs.'
    )
    limit: int | None = Field(None, gt=0, le=10_000, description="Keep the first N rows (top N).")
    intent: Intent | None = None
    chart: ChartType | None = Field(None, description="Only when the user asked for a chart type.")
    compare_previous: bool = Field(False, description="Also compute the previous period for a delta.")
    cohort: CohortArg | None = Field(None, description="Measure an install cohort ('users who installed in "
                                     "March: their April revenue' = time_range April, cohort March).")
    share: ShareArg | None = Field(None, description="A share/percentage of a total instead of the amount.")
    per_period: TimeGrain | None = Field(None, description="Average of per-period totals ('average daily "
                                         "spend' = per_period day), one number per group.")
    having: list[str] = Field(default_factory=list, description="Keep only the groups whose metric "
                              "passes, "
                              "e.g. 'ctr > 0.02', 'cost > 1000' (a ratio as a fraction: 2% = 0.02).")
    count_groups: bool = Field(False, description="Return how many groups pass `having` instead of listing "
                               "them ('how many campaigns spent more than $1,000' = dimensions "
                               "[campaign_name], having ['cost > 1000'], count_groups true).")
    divide: list[str] | None = Field(
        None, min_length=2, max_length=2, description="[numerator, denominator] metric names: adds their "
        "quotient per row ('what share of March installers ever paid' = divide [paying_users, installs] "
        "with cohort March; 'revenue per install' when the catalog has no such metric).")
    periods: list[list[dt.date]] = Field(
        default_factory=list, description="Two or more [start, end] periods compared side by side instead "
        "of time_range ('installs in January vs June'): one block of rows per period, keyed by 'period'.")

    @field_validator("order_by")
    @classmethod
    def _pairs(cls, value: list[list[str]]) -> list[list[str]]:
        for pair in value:
            if len(pair) != 2 or pair[1] not in ("asc", "desc"):
                raise ValueError(f'each order_by item must be [field, "asc" or "desc"], got {pair!r}')
        return value

    @field_validator("time_range")
    @classmethod
    def _ordered(cls, value: list[dt.date] | None) -> list[dt.date] | None:
        if value and value[0] > value[1]:
            raise ValueError(f"time_range starts after it ends: {value[0]} > {value[1]}")
        return value


class RunSqlArgs(_Args):
    """Run one read-only SELECT statement when the catalog cannot express the question."""

    sql: str = Field(min_length=1, description="One SELECT statement in the warehouse dialect.")
    intent: Intent | None = None
    chart: ChartType | None = None


class AskClarificationArgs(_Args):
    """Ask the user which of a few readings of an ambiguous question they mean."""

    question: str = Field(min_length=1, description="The question to ask the user.")
    options: list[str] = Field(default_factory=list, max_length=6, description="2-4 concrete choices.")


class RefuseArgs(_Args):
    """Decline: the request would change data, reveal personal data, reach another system, read
    files or secrets, or is off topic."""

    reason: str = Field(min_length=1, description="One plain sentence for the user.")
    category: RefusalCategory = Field(
        "unanswerable",
        description="write: change/add/delete data in any wording; personal_data: names, emails, phones, "
                    "addresses or identities of people; other_system: CRMs, ticketing, HR/finance, other "
                    "analytics tools or databases, sending emails/messages; file_access; secrets; off_topic; "
                    "unanswerable.",
    )


# The registry's tools (predictors today): each tool module owns its schema and description.
TOOL_ARGS: dict[str, type[BaseModel]] = {
    "query_metrics": QueryMetricsArgs,
    "run_sql": RunSqlArgs,
    "ask_clarification": AskClarificationArgs,
    "refuse": RefuseArgs,
    **{tool.name: tool.arguments for tool in REGISTRY},
}
TOOL_DESCRIPTIONS: dict[str, str] = {tool.name: tool.description for tool in REGISTRY}
DEFAULT_TOOLS: tuple[str, ...] = tuple(TOOL_ARGS)
