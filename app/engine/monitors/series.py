"""What a monitor watches: one metric's series (filters, grain), the dimensions its anomalies are
explained by, how far back a run looks for new anomalies, and an optional threshold rule ("alert when
fraud rate > 5%", "installs below 1000") checked on every point of that window besides the anomalies."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from common.errors import AsklyticsError
from semantic_layer import Filter, SemanticModel

DEFAULT_LOOKBACK = {"day": 7, "week": 4, "month": 3}  # points of the grain


class MonitorError(AsklyticsError):
    """A monitor that cannot be saved or run as given; the message says what to change."""

    def __init__(self, message: str, code: str = "invalid_monitor"):
        super().__init__(message, code=code)


_THRESHOLD = re.compile(r"^\s*(>=|<=|>|<|above|below|over|under)\s*(-?[0-9][0-9,_]*(?:\.[0-9]+)?)\s*(%?)\s*$",
                        re.IGNORECASE)
_WORD_OPS = {"above": ">", "over": ">", "below": "<", "under": "<"}


class Threshold(BaseModel):
    """Alert when a point of the series is past a fixed value (in the metric's units; a ratio as a
    fraction: 0.05 for 5%)."""

    model_config = ConfigDict(extra="forbid")

    op: Literal[">", ">=", "<", "<="] = Field(description="Alert when the value is >, >=, < or <= value.")
    value: float

    def breached(self, value: float) -> bool:
        return {">": value > self.value, ">=": value >= self.value, "<": value < self.value,
                "<=": value <= self.value}[self.op]

    @property
    def direction(self) -> str:
        return "above" if self.op.startswith(">") else "below"

    def text(self, metric: str) -> str:
        return f"{metric} {self.op} {self.value:g}"


def parse_threshold(text: str) -> Threshold:
    """``"> 0.05"``, ``"> 5%"`` (= 0.05), ``"below 1000"``, ``"<= 1,000"``; MonitorError otherwise."""
    match = _THRESHOLD.match(text or "")
    if match is None:
        raise MonitorError(f"cannot read the threshold {text!r}; write an operator and a number, e.g. "
                           "'> 5%', '< 1000', 'below 1000'")
    op, number, percent = match.groups()
    value = float(number.replace(",", "").replace("_", "")) / (100 if percent else 1)
    return Threshold(op=_WORD_OPS.get(op.lower(), op), value=value)


class MonitorSeries(BaseModel):
    model_config = ConfigDict(extra="forbid")

    metric: str = Field(min_length=1, max_length=200)
    filters: list[Filter] = Field(default_factory=list, max_length=20)
    grain: Literal["day", "week", "month"] = "day"
    dimensions: list[str] = Field(default_factory=list, max_length=10,
                                  description="Explain anomalies by these dimensions (default: all).")
    lookback: int | None = Field(None, ge=1, le=90, description="A run alerts on anomalies of the last N "
                                 "points of the grain (default 7 days, 4 weeks, 3 months).")
    threshold: Threshold | None = Field(None, description="Also alert on every point of that window past "
                                        "this value, anomalous or not.")

    @property
    def window(self) -> int:
        return self.lookback or DEFAULT_LOOKBACK[self.grain]

    def stored(self) -> tuple[dict, dict]:
        """(the ``semantic_query`` column, the ``condition`` column)."""
        series = self.model_dump(mode="json", exclude={"lookback", "threshold"})
        condition: dict = {"lookback": self.window}
        if self.threshold is not None:  # in the JSON ``condition`` column: no schema change
            condition["threshold"] = self.threshold.model_dump(mode="json")
        return series, condition

    @classmethod
    def from_row(cls, row: dict) -> MonitorSeries:
        condition = row.get("condition") or {}
        return cls(**(row.get("semantic_query") or {}), lookback=condition.get("lookback"),
                   threshold=condition.get("threshold"))

    def question(self) -> str:
        """The monitor as a question the assistant answers (the digest's link back to the web UI)."""
        where = " and ".join(f.to_text().replace("'", "") for f in self.filters)
        by = {"day": "", "week": " by week", "month": " by month"}[self.grain]
        return f"anomalies in {self.metric}{by}" + (f" where {where}" if where else "")

    def check(self, model: SemanticModel) -> None:
        """MonitorError when the model has no such metric or dimension."""
        try:
            known = model.metric(self.metric) is not None
        except AsklyticsError:
            known = False
        if not known:
            raise MonitorError(f"unknown metric {self.metric!r}; see `asklytics metrics list`")
        for name in [*self.dimensions, *(f.dimension for f in self.filters)]:
            if name not in model.dimensions:
                raise MonitorError(f"unknown dimension {name!r}; see `asklytics metrics list`")
