"""Route prediction questions to the predictor tools ("who is likely to churn", "predicted LTV").

Only questions about the future or a model's judgement go here: "fraud rate by
source" is a metric over the ground-truth label, while "which installs look
fraudulent" asks the fraud model. Arguments are built from the same value and
time matches the planner already found and validated with the tool's schema.
"""
from __future__ import annotations

import re

from pydantic import ValidationError

from app.engine.planning.llm.tools import PREDICTOR_TOOLS
from app.engine.planning.plan import ClarificationPlan, ToolCallPlan

USER_ID = re.compile(r"\bu\d{3,}\b")
INSTALL_ID = re.compile(r"\bi\d{3,}\b")
_WHY = re.compile(r"\b(?:why|explain\w*|reasons?|what\s+makes|what\s+drives|drivers?|because|factors?|shap)\b")
_CHURN = re.compile(r"\b(?:churn\w*|leave|leaving|quit\w*|stop\s+(?:using|playing)|drop\s+off|lapse|at[\s-]risk)\b")
_CHURN_PREDICT = re.compile(r"\b(?:likely|likelihood|probab\w*|risk\w*|predict\w*|will|going\s+to|chance|score[sd]?|"
                            r"forecast\w*|expected|who|which\s+users)\b")
_FRAUD = re.compile(r"\b(?:fraud\w*|fake|suspicious|bogus|bots?)\b")
_FRAUD_PREDICT = re.compile(r"\b(?:look\w*|seem\w*|appear\w*|likely|probab\w*|suspicious|suspect\w*|score[sd]?|"
                            r"predict\w*|risk\w*|flag\w*|fraud\s+model)\b")
_LTV = re.compile(r"\b(?:ltv|lifetime\s+value|life[\s-]time\s+value|customer\s+value|predicted\s+(?:value|revenue)|"
                  r"future\s+(?:value|revenue)|expected\s+(?:value|revenue))\b")
_COHORT_FIELDS = ("media_source", "campaign_name", "platform", "country")


def route_prediction(folded: str, value_filters, time_range, limit: int | None) -> ToolCallPlan | None:
    """A tool call when the question asks a predictor, else None."""
    user, install = USER_ID.search(folded), INSTALL_ID.search(folded)
    tool = _tool(folded, user is not None, install is not None)
    if tool is None:
        return None
    arguments = _identity(tool, user, install) or _cohort(value_filters, time_range, limit)
    try:
        checked = PREDICTOR_TOOLS[tool].model_validate(arguments)
    except ValidationError:
        arguments = _identity(tool, user, install) or {}
        checked = PREDICTOR_TOOLS[tool].model_validate(arguments)
    return ToolCallPlan(tool=tool, arguments=checked.model_dump(mode="json", exclude_none=True),
                        confidence=0.9, rationale=f"prediction question routed to {tool}")


def churn_without_prediction(folded: str) -> ClarificationPlan | None:
    """Churn exists only as predictions; a churn question the tools cannot take gets pointed at them."""
    if not _CHURN.search(folded):
        return None
    return ClarificationPlan(
        question="Churn is available as predictions per user. Do you want the users most likely to churn, "
                 "or retention (the share of users still active after 1, 7 or 30 days)?",
        options=("who is likely to churn?", "D7 retention by platform", "D30 retention by media source"),
        confidence=0.5, rationale="offline: churn asked as a metric")


def _tool(folded: str, has_user: bool, has_install: bool) -> str | None:
    why = bool(_WHY.search(folded))
    if _LTV.search(folded):
        return "predict_ltv"
    if _CHURN.search(folded) and (has_user or _CHURN_PREDICT.search(folded)):
        return "explain_churn" if why and has_user else "predict_churn"
    if _FRAUD.search(folded) and (has_install or _FRAUD_PREDICT.search(folded)):
        return "explain_fraud" if why and has_install else "score_fraud"
    return None


def _identity(tool: str, user, install) -> dict | None:
    if tool in ("explain_churn", "predict_churn", "predict_ltv") and user:
        return {"user_id": user.group()}
    if tool in ("explain_fraud", "score_fraud") and install:
        return {"install_id": install.group()}
    return None


def _cohort(value_filters, time_range, limit: int | None) -> dict:
    arguments: dict = {}
    for f in value_filters:
        if f.dimension in _COHORT_FIELDS and f.op == "=":
            arguments[f.dimension] = f.values[0]
    if time_range is not None:
        arguments["install_date_from"], arguments["install_date_to"] = time_range
    if limit:
        arguments["limit"] = min(limit, 1000)
    return arguments
