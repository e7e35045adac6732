"""What the predictor tools share: who they score (a cohort of acquisition attributes and
an install-date window), the words that mark a question as one for a model, and the call into
``predictors.tools.run_tool`` (features through the read-only warehouse, the newest model).

"fraud rate by source" is a metric over the ground-truth label and stays with the semantic
layer; "which installs look fraudulent" asks the fraud model and comes here.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar, Literal

from pydantic import Field, ValidationError, model_validator

from app.engine.tools.base import Tool, ToolArgs, ToolContext, ToolError, ToolOutcome, ToolQuestion

USER_ID = re.compile(r"\bu\d{3,}\b")
INSTALL_ID = re.compile(r"\bi\d{3,}\b")
WHY = re.compile(r"\b(?:why|explain\w*|reasons?|what\s+makes|what\s+drives|drivers?|because|factors?|shap)\b")
CHURN = re.compile(r"\b(?:churn\w*|leave|leaving|quit\w*|stop\s+(?:using|playing)|drop\s+off|lapse|"
                   r"at[\s-]risk)\b")
CHURN_PREDICT = re.compile(r"\b(?:likely|likelihood|probab\w*|risk\w*|predict\w*|will|going\s+to|chance|"
                           r"score[sd]?|forecast\w*|expected|who|which\s+users)\b")
FRAUD = re.compile(r"\b(?:fraud\w*|fake|suspicious|bogus|bots?)\b")
FRAUD_PREDICT = re.compile(r"\b(?:look\w*|seem\w*|appear\w*|likely|probab\w*|suspicious|suspect\w*|"
                           r"score[sd]?|predict\w*|risk\w*|flag\w*|fraud\s+model)\b")
LTV = re.compile(r"\b(?:ltv|lifetime\s+value|life[\s-]time\s+value|customer\s+value|"
                 r"predicted\s+(?:value|revenue)|future\s+(?:value|revenue)|expected\s+(?:value|revenue))\b")
# "likely to convert / buy / make a first purchase / pay": the conversion model (first purchase in 7 days)
CONVERT = re.compile(r"\b(?:convert(?:s|ing|ed)?|conversion|buy(?:s|ing)?|buyers?|purchas(?:e|es|ing)|"
                     r"first\s+purchases?|pay(?:s|ing)?|spend\s+money)\b")
CONVERT_PREDICT = re.compile(r"\b(?:likely|likelihood|probab\w*|predict\w*|chances?|will|going\s+to|"
                             r"expected\s+to|odds|score[sd]?)\b")
COHORT_FIELDS = ("media_source", "campaign_name", "platform", "country")
# Everything the predictor tools read in a question (the offline planner counts these words as used).
TOOL_WORDS = (USER_ID, INSTALL_ID, WHY, CHURN, CHURN_PREDICT, FRAUD, FRAUD_PREDICT, LTV, CONVERT,
              CONVERT_PREDICT)


class CohortArgs(ToolArgs):
    """Which installs or users: filters on their acquisition attributes and install date."""

    media_source: str | None = None
    campaign_name: str | None = None
    platform: Literal["iOS", "Android"] | None = None
    country: str | None = Field(None, description="ISO 3166 alpha-2 code, e.g. US.")
    install_date_from: dt.date | None = None
    install_date_to: dt.date | None = None
    limit: int = Field(20, gt=0, le=1000, description="How many rows (highest scores first).")

    @model_validator(mode="after")
    def _ordered_dates(self) -> CohortArgs:
        start, end = self.install_date_from, self.install_date_to
        if start and end and start > end:
            raise ValueError(f"install_date_from {start} is after install_date_to {end}")
        return self


def cohort_arguments(question: ToolQuestion) -> dict[str, Any]:
    """The cohort the question names: one value per acquisition attribute, the period as install dates."""
    arguments: dict[str, Any] = {f: question.filters[f] for f in COHORT_FIELDS if f in question.filters}
    if question.time_range is not None:
        arguments["install_date_from"], arguments["install_date_to"] = question.time_range
    if question.limit:
        arguments["limit"] = min(question.limit, 1000)
    return arguments


def id_in(pattern: re.Pattern, question: ToolQuestion) -> str | None:
    match = pattern.search(question.folded)
    return match.group() if match else None


def checked(schema: type[ToolArgs], arguments: dict[str, Any], fallback: dict[str, Any]) -> dict[str, Any]:
    """``arguments`` when the schema takes them, else ``fallback`` (a cohort the tool cannot
    filter by, such as a platform it does not know, is dropped rather than failing the route)."""
    try:
        return schema.model_validate(arguments).model_dump(mode="json", exclude_none=True)
    except ValidationError:
        return schema.model_validate(fallback).model_dump(mode="json", exclude_none=True)


# The attribution tables the predictors' features read (predictors/features): a warehouse without
# them -- your own data under another shape -- has no predictions, and says so instead of failing.
PREDICTOR_TABLES = {
    "installs": ("install_id", "user_id", "campaign_id", "install_time", "click_time", "platform", "country",
                 "device_model", "ip_hash"),
    "events": ("user_id", "event_time", "event_name", "revenue"),
    "campaigns": ("campaign_id", "campaign_name", "media_source"),
}


def missing_for_predictions(schema) -> list[str]:
    """What the warehouse lacks for the predictor tools ("events", "installs.click_time"), or []."""
    missing = []
    for table, columns in PREDICTOR_TABLES.items():
        found = schema.table(table)
        if found is None:
            missing.append(table)
            continue
        missing += [f"{table}.{c}" for c in columns if found.column(c) is None]
    return missing


def predictions_unavailable(schema) -> str | None:
    """The sentence a user reads when the warehouse cannot feed the predictors, or None."""
    missing = missing_for_predictions(schema)
    if not missing:
        return None
    return ("Predictions (churn, fraud, LTV, conversion) are not available for this warehouse: they read "
            "attribution tables shaped like the demo's (installs, events, campaigns; docs/models.md), "
            f"and it has no {', '.join(missing[:6])}{' ...' if len(missing) > 6 else ''}.")


def run_predictor(name: str, arguments: ToolArgs, context: ToolContext) -> ToolOutcome:
    """Score or explain with the newest registered model; rows are labelled with its version."""
    reason = predictions_unavailable(context.warehouse.schema())
    if reason:
        raise ToolError("predictions_unavailable", reason)
    # xgboost and shap load here, on the first prediction, not when the planners start (2 s)
    from predictors.registry import ModelRegistry
    from predictors.tools import ToolError as PredictorError
    from predictors.tools import run_tool

    try:
        result = run_tool(name, arguments.model_dump(mode="json", exclude_none=True),
                          warehouse=context.warehouse, registry=ModelRegistry(context.models_dir),
                          as_of=context.as_of)
    except PredictorError as exc:
        raise ToolError(exc.code, exc.message) from None
    return ToolOutcome(result=result.to_result(), arguments=result.arguments, summary=result.summary,
                       narrative=result.narrative)


class PredictorTool(Tool):
    """A tool answered by one of the trained models (``name`` is the model's tool name)."""

    def run(self, arguments: ToolArgs, context: ToolContext) -> ToolOutcome:
        return run_predictor(self.name, arguments, context)

    def unavailable(self, schema) -> str | None:
        return predictions_unavailable(schema)


class ScoreTool(PredictorTool):
    """Scores one entity named by its id, or the cohort the question names: routed when ``topic``
    is asked about and, with a ``cue``, an id or a prediction word is there too."""

    topic: ClassVar[re.Pattern]
    cue: ClassVar[re.Pattern | None] = None
    id_pattern: ClassVar[re.Pattern]
    id_field: ClassVar[str]

    def route(self, question: ToolQuestion) -> dict[str, Any] | None:
        entity = id_in(self.id_pattern, question)
        if not self.topic.search(question.folded):
            return None
        if self.cue is not None and not (entity or self.cue.search(question.folded)):
            return None
        return checked(self.arguments, {self.id_field: entity} if entity else cohort_arguments(question), {})


class ExplainTool(PredictorTool):
    """Explains one entity's score: routed for an id, the ``topic`` and a "why" word."""

    topic: ClassVar[re.Pattern]
    id_pattern: ClassVar[re.Pattern]
    id_field: ClassVar[str]

    def route(self, question: ToolQuestion) -> dict[str, Any] | None:
        entity = id_in(self.id_pattern, question)
        if entity and self.topic.search(question.folded) and WHY.search(question.folded):
            return {self.id_field: entity}
        return None
