"""What a monitor watches: one metric's series (filters, grain), the dimensions its anomalies are
explained by, and how far back a run looks for new anomalies."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from common.errors import AsklyticsError
from semantic_layer import Filter, SemanticModel

DEFAULT_LOOKBACK = {"day": 7, "week": 4, "month": 3}  # points of the grain


class MonitorError(AsklyticsError):
    """A monitor that cannot be saved or run as given; the message says what to change."""

    def __init__(self, message: str, code: str = "invalid_monitor"):
        super().__init__(message, code=code)


class MonitorSeries(BaseModel):
    model_config = ConfigDict(extra="forbid")

    metric: str = Field(min_length=1, max_length=200)
    filters: list[Filter] = Field(default_factory=list, max_length=20)
    grain: Literal["day", "week", "month"] = "day"
    dimensions: list[str] = Field(default_factory=list, max_length=10,
                                  description="Explain anomalies by these dimensions (default: all).")
    lookback: int | None = Field(None, ge=1, le=90, description="A run alerts on anomalies of the last N "
                                 "points of the grain (default 7 days, 4 weeks, 3 months).")

    @property
    def window(self) -> int:
        return self.lookback or DEFAULT_LOOKBACK[self.grain]

    def stored(self) -> tuple[dict, dict]:
        """(the ``semantic_query`` column, the ``condition`` column)."""
        series = self.model_dump(mode="json", exclude={"lookback"})
        return series, {"lookback": self.window}

    @classmethod
    def from_row(cls, row: dict) -> MonitorSeries:
        return cls(**(row.get("semantic_query") or {}), lookback=(row.get("condition") or {}).get("lookback"))

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
