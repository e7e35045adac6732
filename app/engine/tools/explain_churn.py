"""``explain_churn``: why one user is likely (or not) to churn, as the top SHAP contributions."""
from __future__ import annotations

from pydantic import Field

from app.engine.tools.base import ToolArgs
from app.engine.tools.predictions import CHURN, USER_ID, ExplainTool


class ExplainChurnArgs(ToolArgs):
    """Why one user is likely (or not) to churn: the top SHAP feature contributions."""

    user_id: str = Field(min_length=1)


class ExplainChurn(ExplainTool):
    name = "explain_churn"
    description = ExplainChurnArgs.__doc__
    arguments = ExplainChurnArgs
    priority = 20
    topic, id_pattern, id_field = CHURN, USER_ID, "user_id"


TOOL = ExplainChurn()
