"""``explain_fraud``: why one install looks fraudulent (or not), as the top SHAP contributions."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from app.engine.tools.base import Tool, ToolArgs, ToolContext, ToolOutcome, ToolQuestion
from app.engine.tools.predictions import FRAUD, INSTALL_ID, WHY, id_in, run_predictor


class ExplainFraudArgs(ToolArgs):
    """Why one install looks fraudulent (or not): the top SHAP feature contributions."""

    install_id: str = Field(min_length=1)


class ExplainFraud(Tool):
    name = "explain_fraud"
    description = ExplainFraudArgs.__doc__
    arguments = ExplainFraudArgs
    priority = 30

    def route(self, question: ToolQuestion) -> dict[str, Any] | None:
        install = id_in(INSTALL_ID, question)
        if install and FRAUD.search(question.folded) and WHY.search(question.folded):
            return {"install_id": install}
        return None

    def run(self, arguments: ExplainFraudArgs, context: ToolContext) -> ToolOutcome:
        return run_predictor(self.name, arguments, context)


TOOL = ExplainFraud()
