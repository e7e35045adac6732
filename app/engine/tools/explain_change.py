"""``explain_change``: why a metric changed between two periods, as the segments that drove it.

The offline planner routes "why did installs drop on June 16?", "what drove the rise in CPI last
week?", "explain the change in revenue" here (``planning/offline/insights.py``: it needs the
metric the planner read, so ``route`` declines); the LLM planner is offered the schema below.
The work is ``app.engine.insights`` (decomposition and ranking) on the semantic layer.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.engine.insights.change import explain_change
from app.engine.insights.change_answer import change_chart, change_narrative, change_result, drivers
from app.engine.insights.forecast_series import bucket_end
from app.engine.insights.periods import Period, default_baseline, periods
from app.engine.insights.shapes import NotDecomposable
from app.engine.insights.wording import amount, metric_words, unit_of
from app.engine.tools.base import Tool, ToolArgs, ToolContext, ToolError, ToolOutcome, ToolQuestion
from app.engine.tools.detect_anomalies import DetectAnomaliesArgs, detect
from app.engine.tools.insights import semantic_context
from semantic_layer import Filter

# The words that ask for a cause of a change (the offline planner's insights router reads them).
CHANGE_WORDS = re.compile(
    r"\b(?:why\s+(?:did|does|is|are|was|were|has|have|do)\b.*?\b(?:drop\w*|fall|fell|fallen|falling|decreas\w*|"
    r"declin\w*|down|dip\w*|go(?:ne)?\s+(?:up|down)|went\s+(?:up|down)|ris\w*|rose|increas\w*|jump\w*|spik\w*|"
    r"grow\w*|grew|up|chang\w*|tank\w*|plung\w*|surg\w*|higher|lower|worse|better|move\w*|shift\w*)|"
    r"what\s+(?:drove|drives|caused|causes|is\s+driving|was\s+driving|explains|behind)|"
    r"explain\s+(?:the\s+|this\s+|that\s+)?(?:change|drop|rise|increase|decrease|jump|spike|dip|fall)|"
    r"root\s+cause|drivers?\s+of\s+(?:the\s+)?(?:change|drop|rise|increase|decrease)|"
    r"(?:reason|cause)s?\s+(?:for|of|behind)\s+(?:the\s+)?(?:change|drop|rise|increase|decrease|jump|spike|dip|fall))")

# Words around the cue that say which change ("the rise in", "this drop of"): read, never a trigger.
CHANGE_NOUNS = re.compile(r"\b(?:the\s+|this\s+|that\s+)?(?:change|drop|rise|increase|decrease|jump|spike|"
                          r"dip|fall|decline|growth|move|shift)s?\s+(?:in|of)\b")


class AnomalyChoice(BaseModel):
    """Explain one anomaly of the metric in the current period instead of the period's change."""

    model_config = ConfigDict(extra="forbid")

    which: Literal["biggest", "first", "last"] = Field(
        "biggest", description="biggest: furthest outside its normal range; first/last: by date.")
    grain: Literal["day", "week", "month"] = Field("day", description="The grain anomalies are looked "
                                                   "for at.")
    dimensions: list[str] = Field(default_factory=list, max_length=1,
                                  description="Look for anomalies per value of this dimension.")


class ExplainChangeArgs(ToolArgs):
    """Why a metric changed between two periods: the segments (values of one dimension or a pair)
    that explain most of the change, with their before/after values and share of the change; for
    ratios (CPI, ROAS, rates) each segment's effect split into mix and rate. The baseline defaults
    to the same weekdays a week earlier for less than a week, else the previous period of equal length."""

    metric: str = Field(min_length=1, description="A metric name from the catalog (a sum, count or ratio).")
    current_start: dt.date = Field(description="First day of the period whose change is explained.")
    current_end: dt.date | None = Field(None, description="Last day (inclusive); default current_start.")
    baseline_start: dt.date | None = Field(None, description="First day of the period compared with, when "
                                           "the user names one ('compared with June 9').")
    baseline_end: dt.date | None = Field(None, description="Last day of the baseline; default: as long "
                                         "as the current period.")
    dimensions: list[str] = Field(default_factory=list, description="Split only by these dimensions "
                                  "(default: every categorical dimension the metric reaches).")
    filters: list[Filter] = Field(default_factory=list, description="Restrict both periods (platform = iOS).")
    limit: int = Field(10, gt=0, le=50, description="Most driver rows to show.")
    anomaly: AnomalyChoice | None = Field(
        None, description="Find the anomalies of the metric from current_start to current_end (as "
        "detect_anomalies does) and explain the one chosen, against its usual baseline ('why?' after a list "
        "of anomalies).")

    @model_validator(mode="after")
    def _ordered(self) -> ExplainChangeArgs:
        for start, end in ((self.current_start, self.current_end), (self.baseline_start, self.baseline_end)):
            if start and end and start > end:
                raise ValueError(f"a period starts ({start}) after it ends ({end})")
        return self


class ExplainChange(Tool):
    name = "explain_change"
    description = ExplainChangeArgs.__doc__
    arguments = ExplainChangeArgs
    priority = 50

    def route(self, question: ToolQuestion) -> None:
        return None  # routed by planning/offline/insights.py, which knows the metric asked about

    def run(self, arguments: ExplainChangeArgs, context: ToolContext) -> ToolOutcome:
        model, query = semantic_context(context, self.name)
        current, baseline = periods(arguments.current_start, arguments.current_end, arguments.baseline_start,
                                    arguments.baseline_end)
        filters, opening = list(arguments.filters), ""
        if arguments.anomaly is not None:
            current, segment_filter, opening = _chosen_anomaly(model, query, arguments, context.as_of)
            baseline = default_baseline(current)
            filters += segment_filter
        try:
            report = explain_change(model, query, arguments.metric, current, baseline, filters,
                                    tuple(arguments.dimensions), row_cap=context.max_rows)
        except NotDecomposable as exc:
            raise ToolError("not_decomposable", str(exc)) from None
        words, unit = metric_words(model, arguments.metric), unit_of(model, arguments.metric)
        shown = drivers(report, arguments.limit)
        called = arguments.model_dump(mode="json", exclude_defaults=True)
        called.update(current_start=current.start.isoformat(), current_end=current.end.isoformat(),
                      baseline_start=baseline.start.isoformat(), baseline_end=baseline.end.isoformat())
        best = report.best if report.best is not None and report.best.explains else None
        summary = (f"{len(shown)} driver{'s' if len(shown) != 1 else ''}"
                   + (f"; best split: {' × '.join(best.dimensions)}" if best is not None else ""))
        if filters != list(arguments.filters):
            called["filters"] = [f.model_dump(mode="json") for f in filters]
        return ToolOutcome(result=change_result(report, shown), arguments=called, summary=summary,
                           narrative=opening + change_narrative(report, words, unit),
                           chart=change_chart(report, shown, words))


def _chosen_anomaly(model, query, arguments: ExplainChangeArgs, as_of: dt.date) -> tuple[Period, list, str]:
    """(the anomaly's period, the filter of its segment, a sentence naming it)."""
    choice = arguments.anomaly
    detection = detect(model, query, DetectAnomaliesArgs(
        metric=arguments.metric, start=arguments.current_start,
        end=arguments.current_end or arguments.current_start, grain=choice.grain,
        dimensions=choice.dimensions, filters=arguments.filters), as_of)
    found = detection.anomalies()
    words, unit = metric_words(model, arguments.metric), unit_of(model, arguments.metric)
    if not found:
        raise ToolError("no_anomaly", f"no unusual {words} from {detection.start} to {detection.end}, so "
                        f"there is no anomaly to explain; ask why {words} changed on a date")
    if choice.which == "biggest":
        segment, day, point = max(found, key=lambda a: abs(a[2].actual - a[2].expected)
                                  / max(a[2].high - a[2].expected, 1e-12))
    else:
        segment, day, point = found[0] if choice.which == "first" else found[-1]
    where = f" in {detection.dimension} = {segment}" if segment is not None else ""
    opening = (f"The {choice.which} anomaly of {words} from {detection.start} to {detection.end} is "
               f"{day}{where} ({amount(point.actual, unit)}, expected about "
               f"{amount(point.expected, unit)}: a {point.direction}). ")
    filters = [Filter(dimension=detection.dimension, values=(segment,))] if segment is not None else []
    return Period(day, bucket_end(day, choice.grain)), filters, opening


TOOL = ExplainChange()
