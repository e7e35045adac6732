"""A semantic query: which metrics, by which dimensions, filtered how.

Relative dates ("last month") are resolved before this point against
``as_of``; a query holds absolute dates only. The time axis is the dimension
``metric_time``; ``grain`` says how it is bucketed (``dimensions=
["metric_time"], grain="week"``). ``metric_time__week`` is accepted as a
shorthand for the same thing.
"""
from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from semantic_layer.model import METRIC_TIME
from semantic_layer.schema import TIME_GRAINS, Filter


class SemanticQueryError(Exception):
    """A query the model cannot answer; the message says what to change."""

    code = "semantic_query_invalid"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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

    @model_validator(mode="before")
    @classmethod
    def _split_grain_shorthand(cls, data: Any) -> Any:
        """``metric_time__week`` -> ``metric_time`` with grain week."""
        if not isinstance(data, dict):
            return data
        dims, grain = [], data.get("grain")
        if grain is not None and grain not in TIME_GRAINS:
            raise SemanticQueryError(_bad_grain(grain))
        for name in data.get("dimensions") or ():
            base, _, suffix = str(name).partition("__")
            if base == METRIC_TIME and suffix:
                if suffix not in TIME_GRAINS:
                    raise SemanticQueryError(_bad_grain(suffix))
                name, grain = METRIC_TIME, suffix
            dims.append(name)
        return {**data, "dimensions": tuple(dims), "grain": grain}

    @classmethod
    def from_contract(cls, payload: dict[str, Any]) -> SemanticQuery:
        """Rebuild a query from :meth:`to_contract` output (cached answers, follow-ups)."""
        from semantic_layer.filters import parse_filter

        time_range = payload.get("time_range")
        return cls(
            metrics=payload.get("metrics") or (),
            dimensions=payload.get("dimensions") or (),
            filters=[parse_filter(text) for text in payload.get("filters") or ()],
            time_range=tuple(time_range) if time_range else None,
            order_by=[OrderBy(field=f, direction=d) for f, d in payload.get("order_by") or ()],
            limit=payload.get("limit"),
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

    def to_contract(self) -> dict[str, Any]:
        """The answer contract's ``semantic_query`` object."""
        dims = [f"{METRIC_TIME}__{self.time_grain}" if d == METRIC_TIME else d for d in self.group_by]
        return {
            "metrics": list(self.metrics),
            "dimensions": dims,
            "filters": [f.to_text() for f in self.filters],
            "time_range": [d.isoformat() for d in self.time_range] if self.time_range else None,
            "order_by": [[o.field, o.direction] for o in self.order_by],
            "limit": self.limit,
        }


def _bad_grain(grain: str) -> str:
    return f"unknown time grain {grain!r}; use one of: {', '.join(TIME_GRAINS)}"


def unknown_name_error(kind: str, name: str, known: Iterable[str]) -> SemanticQueryError:
    """``unknown metric 'roaz'; did you mean 'roas'?`` with close matches."""
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else f"known: {', '.join(known)}"
    return SemanticQueryError(f"unknown {kind} {name!r}; {hint}")
