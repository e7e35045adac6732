"""``explain_churn``: why one user is likely (or not) to churn, as the top SHAP contributions."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from app.engine.tools.base import Tool, ToolArgs, ToolContext, ToolOutcome, ToolQuestion
from app.engine.tools.predictions import CHURN, USER_ID, WHY, id_in, run_predictor


class ExplainChurnArgs(ToolArgs):
    """Why one user is likely (or not) to churn: the top SHAP feature contributions."""

    user_id: str = Field(min_length=1)


class ExplainChurn(Tool):
    name = "explain_churn"
    description = ExplainChurnArgs.__doc__
    arguments = ExplainChurnArgs
    priority = 20

    def route(self, question: ToolQuestion) -> dict[str, Any] | None:
        user = id_in(USER_ID, question)
        if user and CHURN.search(question.folded) and WHY.search(question.folded):
            return {"user_id": user}
        return None

    def run(self, arguments: ExplainChurnArgs, context: ToolContext) -> ToolOutcome:
        return run_predictor(self.name, arguments, context)


TOOL = ExplainChurn()
