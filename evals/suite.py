"""Eval suites: YAML files validated into typed cases (shared/spec/eval-suite-format.md).

Unknown keys are errors, not silently ignored: a misspelt ``orderd: true``
would otherwise change what a case measures without anyone noticing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Expectation = Literal["answered", "clarification_needed", "refused"]
ChartType = Literal[
    "kpi",
    "bar",
    "horizontal_bar",
    "grouped_bar",
    "stacked_bar",
    "line",
    "multi_line",
    "area",
    "scatter",
    "histogram",
    "pie",
    "table",
]


class SuiteError(ValueError):
    """A suite file that cannot be read or does not follow the format."""


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    question: str = Field(min_length=1)
    gold_sql: str | None = None
    ordered: bool = False
    expect: Expectation = "answered"
    chart: ChartType | None = None
    tags: tuple[str, ...] = ()
    conversation: tuple[str, ...] = ()

    @field_validator("conversation")
    @classmethod
    def _turns_not_blank(cls, turns: tuple[str, ...]) -> tuple[str, ...]:
        if any(not turn.strip() for turn in turns):
            raise ValueError("conversation turns must be non-empty questions")
        return turns

    @model_validator(mode="after")
    def _gold_matches_expectation(self) -> Case:
        if self.expect == "answered" and not (self.gold_sql or "").strip():
            raise ValueError("gold_sql is required when expect is 'answered'")
        if self.expect != "answered" and self.gold_sql:
            raise ValueError(
                f"gold_sql must be left out when expect is {self.expect!r} (nothing is executed)"
            )
        return self


class Suite(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    warehouse: Literal["demo", "configured", "sqlite"] = Field(
        "demo", description="demo: the embedded demo; configured: the warehouse and model in settings; "
        "sqlite: a Spider/BIRD database (evals/spider.py)")
    as_of: dt.date | None = None
    description: str = ""
    cases: tuple[Case, ...] = Field(min_length=1)

    @field_validator("cases")
    @classmethod
    def _unique_ids(cls, cases: tuple[Case, ...]) -> tuple[Case, ...]:
        seen: set[str] = set()
        duplicates = sorted({c.id for c in cases if c.id in seen or seen.add(c.id)})
        if duplicates:
            raise ValueError(f"case ids must be unique; repeated: {', '.join(duplicates)}")
        return cases

    def tags(self) -> list[str]:
        return sorted({tag for case in self.cases for tag in case.tags})


def load_suite(path: str | Path) -> Suite:
    """Read and validate one suite file; errors name the file, the case and the field."""
    path = Path(path)
    data = _read_yaml(path)
    try:
        return Suite.model_validate(data)
    except ValidationError as exc:
        raise SuiteError(f"{path}: " + "; ".join(_describe(e, data) for e in exc.errors())) from None


def _read_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SuiteError(f"cannot read suite {path}: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SuiteError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SuiteError(f"{path}: a suite is a mapping with 'name' and 'cases'")
    return data


def _describe(error: dict, data: object) -> str:
    """``cases[3] (id roas_top5): gold_sql: ...`` instead of pydantic's tuple locations."""
    loc = list(error["loc"])
    where = ".".join(str(part) for part in loc) or "suite"
    if len(loc) >= 2 and loc[0] == "cases" and isinstance(loc[1], int):
        case_id = _case_id(data, loc[1])
        field = ".".join(str(part) for part in loc[2:]) or "case"
        where = f"cases[{loc[1]}] (id {case_id}): {field}"
    return f"{where}: {error['msg']}"


def _case_id(data: object, index: int) -> str:
    try:
        return str(data["cases"][index].get("id", "?"))  # type: ignore[index]
    except (KeyError, IndexError, TypeError, AttributeError):
        return "?"
