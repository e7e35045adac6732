"""Parts of a semantic query beyond metrics x dimensions: an install cohort, a share of a total,
a threshold on a metric's value per grouped row.

All are plain data (pydantic, frozen), with a text form like the query's filters,
so a planner can emit them and the answer contract can carry them
(``to_contract`` / ``from_contract``).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from semantic_layer.errors import SemanticQueryError
from semantic_layer.filters import parse_filter
from semantic_layer.schema import TIME_GRAINS, Filter, TimeGrain

COHORT_COLUMN = "cohort"
PERIOD_COLUMN = "period"  # SemanticQuery.periods: the compared period's first day
SHARE_SUFFIX = "_share"
ConditionOp = Literal[">", ">=", "<", "<=", "=", "!="]
CONDITION_OPS: tuple[str, ...] = get_args(ConditionOp)
# "ctr > 0.02": a metric name (generated ones hold a colon), an operator, a number.
_CONDITION_TEXT = re.compile(r"^\s*([A-Za-z_][\w:]*)\s*(>=|<=|!=|=|>|<)\s*(\S+)\s*$")


def check_grain(grain: Any, what: str) -> None:
    """Grains are checked before pydantic so a planner gets the same error type as elsewhere."""
    if grain is not None and grain not in TIME_GRAINS:
        raise SemanticQueryError(f"unknown {what} {grain!r}; use one of: {', '.join(TIME_GRAINS)}")


class Cohort(BaseModel):
    """A population of members (installs, i.e. users) fixed by when they joined and who they are.

    ``install_range`` bounds the cohort table's time dimension (the install date in the
    demo); ``filters`` are attributes of the member, resolved from the cohort table
    (``platform``, ``country``, ``media_source``, ``is_fraud``, ``acquisition_type``);
    ``grain`` adds the output column ``cohort``, the first day of the member's install
    bucket. The query's own ``time_range`` still applies to each measure's date: April
    revenue of the March cohort is ``time_range=April, cohort=Cohort(install_range=March)``.
    """

    model_config = ConfigDict(frozen=True)

    install_range: tuple[dt.date, dt.date] | None = Field(
        None, description="[start, end] install dates of the members, both inclusive.")
    filters: tuple[Filter, ...] = Field((), description="Attributes of the members (platform, country, "
                                        "media_source, is_fraud, acquisition_type, ...).")
    grain: TimeGrain | None = Field(
        None, description="Adds the column 'cohort': the member's install bucket.")

    @model_validator(mode="before")
    @classmethod
    def _known_grain(cls, data: Any) -> Any:
        if isinstance(data, dict):
            check_grain(data.get("grain"), "cohort grain")
        return data

    def to_contract(self) -> dict[str, Any]:
        return {
            "install_range": [d.isoformat() for d in self.install_range] if self.install_range else None,
            "filters": [f.to_text() for f in self.filters],
            "grain": self.grain,
        }

    @classmethod
    def from_contract(cls, payload: dict[str, Any]) -> Cohort:
        window = payload.get("install_range")
        return cls(install_range=tuple(window) if window else None,
                   filters=[parse_filter(text) for text in payload.get("filters") or ()],
                   grain=payload.get("grain"))


class Share(BaseModel):
    """The part of a simple metric's total that each row holds, as a fraction (0..1).

    Numerator: ``of`` with the query's filters plus ``where``, per output row.
    Denominator: ``of`` with the query's filters only (not ``where``), per group of the
    ``within`` dimensions (and per time bucket and cohort bucket), so within=() is the
    grand total and within=("platform",) makes each platform's rows sum to 1. The
    denominator does not join to the other grouping dimensions: "share of installs by
    media source" divides by all installs, organic included.
    """

    model_config = ConfigDict(frozen=True)

    of: str = Field(description="An additive metric (sum or count), e.g. installs, revenue, cost.")
    where: tuple[Filter, ...] = Field(
        (), description="Filters of the part only (the denominator ignores them).")
    within: tuple[str, ...] = Field(
        (), description="Grouping dimensions whose rows each sum to 1; [] = grand total.")

    @property
    def column(self) -> str:
        """The output column holding the fraction: ``installs_share``."""
        return f"{self.of}{SHARE_SUFFIX}"

    def to_contract(self) -> dict[str, Any]:
        return {"of": self.of, "where": [f.to_text() for f in self.where], "within": list(self.within)}

    @classmethod
    def from_contract(cls, payload: dict[str, Any]) -> Share:
        return cls(of=payload["of"], where=[parse_filter(text) for text in payload.get("where") or ()],
                   within=payload.get("within") or ())


class MetricCondition(BaseModel):
    """A threshold on a metric's value in each grouped row (SQL HAVING): ``ctr > 0.02``.

    The value is in the metric's own units: USD for cost, a count for installs, a
    fraction for ratios (``0.02`` is 2%). The text form ``"ctr > 0.02"`` is accepted
    wherever a condition is (``having=["cost > 1000"]``) and is what the contract carries.
    """

    model_config = ConfigDict(frozen=True)

    metric: str = Field(description="Any metric of the model; it need not be one of the query's metrics.")
    op: ConditionOp
    value: float = Field(allow_inf_nan=False, description="In the metric's units; ratios as fractions.")

    @model_validator(mode="before")
    @classmethod
    def _parsed(cls, data: Any) -> Any:
        if isinstance(data, str):
            return _condition_fields(data)
        if isinstance(data, dict):
            where = f"having on {data.get('metric')!r}"
            if "op" in data and data["op"] not in CONDITION_OPS:
                raise SemanticQueryError(f"{where}: unknown operator {data['op']!r}; "
                                         f"use one of: {', '.join(CONDITION_OPS)}")
            if isinstance(data.get("value"), bool):
                raise SemanticQueryError(f"{where}: the value must be a number")
        return data

    def to_text(self) -> str:
        """``ctr > 0.02``, ``cost > 1000``: what the answer contract shows and :meth:`_parsed` reads."""
        return f"{self.metric} {self.op} {number_text(self.value)}"


def number_text(value: float) -> str:
    """``1000.0`` -> ``1000``; other values as Python writes them (``0.02``, ``1e-05``)."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _condition_fields(text: str) -> dict[str, Any]:
    match = _CONDITION_TEXT.match(text)
    if match is None:
        raise SemanticQueryError(f"cannot use having {text!r}; write '<metric> <op> <number>' with op one of "
                                 f"{', '.join(CONDITION_OPS)}, e.g. 'cost > 1000' or 'ctr >= 0.02'")
    metric, op, value = match.groups()
    try:
        number = float(value)
    except ValueError:
        hint = " (write ratios as fractions: 0.02 for 2%)" if value.endswith("%") else ""
        raise SemanticQueryError(f"having {text!r}: {value!r} is not a number{hint}") from None
    if not math.isfinite(number):
        raise SemanticQueryError(f"having {text!r}: the value must be a finite number")
    return {"metric": metric, "op": op, "value": number}
