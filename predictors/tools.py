"""The predictor tools the planners call, by id or by a filter on acquisition attributes.

``run_tool(name, arguments, warehouse=, registry=, as_of=)`` validates the
arguments (the same shapes as the planner's tool schemas), builds features
through the read-only warehouse connector at ``as_of``, scores or explains with
the newest registered model, and returns rows labelled with the model version.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from common.errors import AsklyticsError
from predictors.features.base import Cohort, FeatureQuery, WarehouseSource
from predictors.lapsed import lapsed_user_answer
from predictors.registry import ModelRegistry, ModelRegistryError
from predictors.stored import stored_score_answer
from predictors.tool_answers import LoadedModel, ToolAnswer, conversion_answer, explain_answer, score_answer
from warehouse.base import Column, Result

TOOL_MODELS = {"predict_churn": "churn", "explain_churn": "churn", "score_fraud": "fraud",
               "explain_fraud": "fraud", "predict_ltv": "ltv", "predict_conversion": "conversion",
               "explain_conversion": "conversion"}
ID_FIELD = {"churn": "user_id", "ltv": "user_id", "fraud": "install_id", "conversion": "install_id"}


class ToolError(AsklyticsError):
    """A tool call that cannot be answered; ``message`` is fit for a user and for an LLM retry."""

    def __init__(self, code: str, message: str):
        super().__init__(message, code=code)


class ToolArguments(BaseModel):
    """Union of the planner's predictor argument schemas (app.engine.planning.llm.tools)."""

    model_config = ConfigDict(extra="forbid")

    user_id: str | None = None
    install_id: str | None = None
    media_source: str | None = None
    campaign_name: str | None = None
    platform: str | None = None
    country: str | None = None
    install_date_from: dt.date | None = None
    install_date_to: dt.date | None = None
    limit: int = Field(20, gt=0, le=1000)

    def cohort(self, id_value: str | None) -> Cohort:
        return Cohort(ids=(id_value,) if id_value else (), media_source=self.media_source,
                      campaign_name=self.campaign_name, platform=self.platform, country=self.country,
                      install_from=self.install_date_from, install_to=self.install_date_to)


@dataclass
class ToolResult:
    tool: str
    arguments: dict[str, Any]
    columns: list[Column]
    rows: list[tuple]
    narrative: str
    model_version: str
    summary: str
    is_prediction: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def to_result(self) -> Result:
        """As a warehouse ``Result``, for the answer contract's columns and rows."""
        return Result(columns=list(self.columns), rows=list(self.rows))


_LOADED: dict[tuple[str, str, str], LoadedModel] = {}


def _load(registry: ModelRegistry, model: str) -> LoadedModel:
    """The newest version, loaded (and its explainer built) once per process."""
    key = (str(registry.root.resolve()), model, registry.latest_version(model))
    if key not in _LOADED:
        _LOADED[key] = LoadedModel(registry.load(model, key[2]))
    return _LOADED[key]


def _parse(name: str, arguments: dict[str, Any]) -> ToolArguments:
    if name not in TOOL_MODELS:
        raise ToolError("unknown_tool", f"unknown tool {name!r}; available: {', '.join(TOOL_MODELS)}")
    try:
        args = ToolArguments.model_validate(arguments or {})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ToolError("invalid_arguments", f"invalid arguments for {name}: {problems}") from None
    if name.startswith("explain") and not getattr(args, ID_FIELD[TOOL_MODELS[name]]):
        raise ToolError("invalid_arguments", f"{name} needs {ID_FIELD[TOOL_MODELS[name]]}")
    return args


def run_tool(name: str, arguments: dict[str, Any], *, warehouse, registry: ModelRegistry,
             as_of: dt.date) -> ToolResult:
    args = _parse(name, arguments)
    model = TOOL_MODELS[name]
    try:
        loaded = _load(registry, model)
    except ModelRegistryError as exc:
        raise ToolError("model_unavailable", str(exc)) from None
    id_value = getattr(args, ID_FIELD[model])
    source = WarehouseSource(warehouse)
    try:
        try:
            answer = _answer(name, loaded, source, args, id_value, as_of)
        except LookupError:
            padded = _padded_id(source, model, id_value)
            if padded is None:
                raise
            args = args.model_copy(update={ID_FIELD[model]: padded})
            answer = _answer(name, loaded, source, args, padded, as_of)
    except LookupError as exc:
        lapsed = _lapsed(name, source, args, as_of)
        if lapsed is None:
            raise ToolError("not_found", str(exc)) from None
        answer = lapsed
    except ValueError as exc:
        raise ToolError("too_many_rows", str(exc)) from None
    return _result(name, args, answer, loaded.artifact.version)


def _lapsed(name: str, source, args: ToolArguments, as_of: dt.date) -> ToolAnswer | None:
    """A churn question about one user who already left is answered with when they were last seen."""
    if TOOL_MODELS[name] != "churn" or not args.user_id:
        return None
    for user_id in dict.fromkeys((args.user_id, _padded_id(source, "churn", args.user_id))):
        answer = lapsed_user_answer(source, user_id, as_of) if user_id else None
        if answer is not None:
            return answer
    return None


def _answer(name: str, loaded: LoadedModel, source, args: ToolArguments, id_value: str | None,
            as_of: dt.date) -> ToolAnswer:
    if loaded.artifact.name == "conversion":
        answer = conversion_answer(loaded, source, args.cohort(id_value), args.limit, id_value, as_of)
        # an install that already paid has converted: there is nothing to explain
        if not name.startswith("explain") or answer.extra.get("already_paid"):
            return answer
    if name.startswith("explain"):
        return explain_answer(loaded, source, args.cohort(id_value), id_value, as_of)
    if id_value is None:  # a cohort listing: the stored batch scores of this model, when there
        stored = stored_score_answer(source, loaded.artifact.name, loaded.artifact.version,
                                     args.cohort(None), args.limit)
        if stored is not None:
            return stored
    return score_answer(loaded, source, args.cohort(id_value), args.limit, id_value, as_of)


def _padded_id(source, model: str, id_value: str | None) -> str | None:
    """People drop leading zeros ("u000123" for "u0000123"): the id padded to the warehouse's width."""
    match = re.fullmatch(r"([a-z]+)(\d+)", (id_value or "").strip().lower())
    column = ID_FIELD[model]
    if match is None:
        return None
    sample = source.frame(FeatureQuery(f"SELECT {column} FROM installs LIMIT 1"))
    width = len(str(sample.iloc[0, 0])) - len(match.group(1)) if len(sample) else 0
    padded = match.group(1) + match.group(2).lstrip("0").zfill(width)
    return padded if padded != id_value else None


def _result(name: str, args: ToolArguments, answer: ToolAnswer, version: str) -> ToolResult:
    arguments = args.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    summary = f"{len(answer.rows)} row{'s' if len(answer.rows) != 1 else ''}; predictions of model {version}"
    return ToolResult(name, arguments, answer.columns, answer.rows, answer.narrative, version, summary,
                      extra=answer.extra)
