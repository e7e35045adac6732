"""A semantic query: which metrics, by which dimensions, filtered how.

Relative dates ("last month") are resolved before this point against
``as_of``; a query holds absolute dates only. The time axis is the dimension
``metric_time``; ``grain`` says how it is bucketed (``dimensions=
["metric_time"], grain="week"``). ``metric_time__week`` is accepted as a
shorthand for the same thing.

Beyond metrics x dimensions (docs/semantic-layer.md, "Cohorts, shares, per-period
averages"): ``cohort`` measures an install cohort over the query's period,
``share`` turns one metric into its fraction of a total, ``per_period`` averages
each metric over the day/week/... buckets of the period. ``having`` keeps the grouped rows
whose metric values pass every threshold; ``count_groups`` returns how many do.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from semantic_layer.errors import SemanticQueryError, unknown_name_error
from semantic_layer.filters import parse_filter
from semantic_layer.model import METRIC_TIME
from semantic_layer.query_options import (
    COHORT_COLUMN,
    PERIOD_COLUMN,
    Cohort,
    MetricCondition,
    Share,
    check_grain,
)
from semantic_layer.schema import Filter, TimeGrain

if TYPE_CHECKING:
    from semantic_layer.model import SemanticModel

__all__ = ["Cohort", "MetricCondition", "OrderBy", "SemanticQuery", "SemanticQueryError", "Share",
           "unknown_name_error"]
GROUP_COUNT_COLUMN = "group_count"
DIVIDED_INFIX = "_per_"
COUNT_SUFFIX = "_count"


class OrderBy(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str
    direction: Literal["asc", "desc"] = "desc"


class SemanticQuery(BaseModel):
    model_config = ConfigDict(frozen=True)

    metrics: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    time_range: tuple[dt.date, dt.date] | None = None
    grain: str | None = None
    order_by: tuple[OrderBy, ...] = ()
    limit: int | None = Field(None, gt=0)
    cohort: Cohort | None = Field(None, description="Measure an install cohort (its members' activity).")
    share: Share | None = Field(None, description="Each row's fraction of a total of one metric.")
    per_period: TimeGrain | None = Field(None, description="Average each metric over the period's buckets "
                                         "(day: 'average daily spend').")
    having: tuple[MetricCondition, ...] = Field(
        (), description="Keep only the grouped rows whose metric values pass every condition "
        "(SQL HAVING); a condition's metric need not be one of metrics.")
    count_groups: bool = Field(False, description="Return one row: how many groups (combinations of the "
                               "dimensions) pass having, in the column count_column.")
    divide: tuple[str, str] | None = Field(
        None, description="[numerator, denominator]: two of metrics, divided per row into the column "
        "'<numerator>_per_<denominator>' ('what share of March installers have paid': paying_users / "
        "installs over the cohort; 'revenue per install' when the model defines no such metric).")
    periods: tuple[tuple[dt.date, dt.date], ...] = Field(
        (), description="Two or more named periods compared side by side ('installs in January vs June'): "
        "the query is answered once per [start, end] period (instead of time_range), one block of rows "
        "per period, keyed by the first column 'period' (the period's first day).")

    @model_validator(mode="before")
    @classmethod
    def _split_grain_shorthand(cls, data: Any) -> Any:
        """``metric_time__week`` -> ``metric_time`` with grain week."""
        if not isinstance(data, dict):
            return data
        dims, grain = [], data.get("grain")
        check_grain(grain, "time grain")
        check_grain(data.get("per_period"), "per_period grain")
        for name in data.get("dimensions") or ():
            base, _, suffix = str(name).partition("__")
            if base == METRIC_TIME and suffix:
                check_grain(suffix, "time grain")
                name, grain = METRIC_TIME, suffix
            dims.append(name)
        return {**data, "dimensions": tuple(dims), "grain": grain, **_share_metrics(data),
                **_divided_metrics(data)}

    @classmethod
    def from_contract(cls, payload: dict[str, Any]) -> SemanticQuery:
        """Rebuild a query from :meth:`to_contract` output (cached answers, follow-ups)."""
        time_range = payload.get("time_range")
        cohort, share = payload.get("cohort"), payload.get("share")
        return cls(
            metrics=payload.get("metrics") or (),
            dimensions=payload.get("dimensions") or (),
            filters=[parse_filter(text) for text in payload.get("filters") or ()],
            time_range=tuple(time_range) if time_range else None,
            order_by=[OrderBy(field=f, direction=d) for f, d in payload.get("order_by") or ()],
            limit=payload.get("limit"),
            cohort=Cohort.from_contract(cohort) if cohort else None,
            share=Share.from_contract(share) if share else None,
            per_period=payload.get("per_period"),
            having=payload.get("having") or (),
            count_groups=bool(payload.get("count_groups")),
            divide=tuple(payload["divide"]) if payload.get("divide") else None,
            periods=tuple(tuple(p) for p in payload.get("periods") or ()),
        )

    @property
    def time_grain(self) -> str | None:
        """The grain of ``metric_time`` (day when grouped by time without a grain)."""
        if self.grain is not None:
            return self.grain
        return "day" if METRIC_TIME in self.dimensions else None

    @property
    def group_by(self) -> tuple[str, ...]:
        """Dimensions of the result, with ``metric_time`` added when a grain is asked for."""
        if self.grain is not None and METRIC_TIME not in self.dimensions:
            return (METRIC_TIME,) + self.dimensions
        return self.dimensions

    @property
    def result_dimensions(self) -> tuple[str, ...]:
        """The key columns of the result: ``cohort`` (with a cohort grain) first, then ``group_by``."""
        cohort = (COHORT_COLUMN,) if self.cohort is not None and self.cohort.grain else ()
        period = (PERIOD_COLUMN,) if self.periods else ()
        return period + cohort + self.group_by

    def metric_column(self, metric: str) -> str:
        """The output column of a metric: its name, or ``cost_per_day`` with ``per_period``."""
        return f"{metric}_per_{self.per_period}" if self.per_period else metric

    @property
    def condition_metrics(self) -> tuple[str, ...]:
        """Metrics computed only for ``having`` (not output columns), each once, in order."""
        return tuple(dict.fromkeys(c.metric for c in self.having if c.metric not in self.metrics))

    @property
    def count_column(self) -> str | None:
        """With ``count_groups``, the one output column: ``campaign_name_count`` for one dimension,
        ``day_count`` / ``month_count`` for time buckets, ``group_count`` for several."""
        if not self.count_groups:
            return None
        if len(self.result_dimensions) != 1:
            return GROUP_COUNT_COLUMN
        name = self.result_dimensions[0]
        return f"{self.time_grain if name == METRIC_TIME else name}{COUNT_SUFFIX}"

    def value_columns(self) -> tuple[str, ...]:
        """Output columns after the dimensions: the quotient of ``divide`` (what was asked), one per
        metric, then the share's fraction."""
        share = (self.share.column,) if self.share else ()
        divided = (self.divided_column,) if self.divide else ()
        return divided + tuple(self.metric_column(m) for m in self.metrics) + share

    @property
    def divided_column(self) -> str | None:
        """The output column of ``divide``: ``paying_users_per_installs``."""
        return f"{self.divide[0]}{DIVIDED_INFIX}{self.divide[1]}" if self.divide else None

    def output_columns(self) -> tuple[str, ...]:
        """Every column of the result, in order (only the count with ``count_groups``)."""
        if self.count_groups:
            return (self.count_column,)
        return self.result_dimensions + self.value_columns()

    def column_units(self, model: SemanticModel) -> dict[str, str]:
        """Units of the value columns, derived ones included: a group count is a ``count``, a share a
        ``ratio``, ``cost_per_day`` USD like cost. Dimensions and metrics without units are left out."""
        if self.count_groups:
            return {self.count_column: "count"}
        units = {}
        for name in self.metrics:
            metric = model.metric(name)
            if metric is not None and metric.units:
                units[self.metric_column(name)] = metric.units
        if self.share is not None:
            units[self.share.column] = "ratio"
        if self.divide:  # revenue per install is in USD; paying users per install is a ratio
            numerator, denominator = (model.metric(m) for m in self.divide)
            same = numerator is not None and denominator is not None and numerator.units == denominator.units
            counted = denominator is not None and denominator.units == "count"
            units[self.divided_column] = ("ratio" if same or numerator is None else
                                          numerator.units if counted and numerator.units else "ratio")
        return units

    def to_contract(self) -> dict[str, Any]:
        """The answer contract's ``semantic_query`` object; newer keys appear only when used."""
        dims = [f"{METRIC_TIME}__{self.time_grain}" if d == METRIC_TIME else d for d in self.group_by]
        contract = {
            "metrics": list(self.metrics),
            "dimensions": dims,
            "filters": [f.to_text() for f in self.filters],
            "time_range": [d.isoformat() for d in self.time_range] if self.time_range else None,
            "order_by": [[o.field, o.direction] for o in self.order_by],
            "limit": self.limit,
        }
        if self.cohort is not None:
            contract["cohort"] = self.cohort.to_contract()
        if self.share is not None:
            contract["share"] = self.share.to_contract()
        if self.per_period is not None:
            contract["per_period"] = self.per_period
        if self.having:
            contract["having"] = [c.to_text() for c in self.having]
        if self.count_groups:
            contract["count_groups"] = True
        if self.divide:
            contract["divide"] = list(self.divide)
        if self.periods:
            contract["periods"] = [[start.isoformat(), end.isoformat()] for start, end in self.periods]
        return contract


def _divided_metrics(data: dict) -> dict:
    """``divide`` measures both of its metrics: they are added to ``metrics`` when missing."""
    divide = data.get("divide")
    if not divide:
        return {}
    if isinstance(divide, str) or len(divide) != 2 or divide[0] == divide[1]:
        raise SemanticQueryError(f"divide takes two different metric names [numerator, denominator], "
                                 f"not {divide!r}")
    metrics = tuple(data.get("metrics") or ())
    return {"divide": tuple(divide), "metrics": metrics + tuple(m for m in divide if m not in metrics)}


def _share_metrics(data: dict) -> dict:
    """A share measures exactly its ``of`` metric; ``metrics`` may repeat it or stay empty."""
    share = data.get("share")
    if share is None:
        return {}
    of = share.of if isinstance(share, Share) else (share.get("of") if isinstance(share, dict) else None)
    metrics = tuple(data.get("metrics") or ())
    if of is None or metrics in ((), (of,)):
        return {"metrics": (of,) if of is not None else metrics}
    others = ', '.join(repr(m) for m in metrics if m != of)
    raise SemanticQueryError(f"a share query measures one metric, the share's 'of' ({of!r}); "
                             f"drop {others} or ask for it separately")

