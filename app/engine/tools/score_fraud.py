"""``score_fraud``: fraud probability of one install, or the installs of a cohort that look worst."""
from __future__ import annotations

from typing import Any

from app.engine.tools.base import Tool, ToolContext, ToolOutcome, ToolQuestion
from app.engine.tools.predictions import (
    FRAUD,
    FRAUD_PREDICT,
    INSTALL_ID,
    CohortArgs,
    checked,
    cohort_arguments,
    id_in,
    run_predictor,
)


class ScoreFraudArgs(CohortArgs):
    """Fraud probability of one install (install_id) or of the installs matching the filters."""

    install_id: str | None = None


class ScoreFraud(Tool):
    name = "score_fraud"
    description = ScoreFraudArgs.__doc__
    arguments = ScoreFraudArgs
    priority = 31  # after explain_fraud: "why does i1 look fraudulent" is an explanation

    def route(self, question: ToolQuestion) -> dict[str, Any] | None:
        install = id_in(INSTALL_ID, question)
        if not FRAUD.search(question.folded) or not (install or FRAUD_PREDICT.search(question.folded)):
            return None
        return checked(self.arguments, {"install_id": install} if install else cohort_arguments(question), {})

    def run(self, arguments: ScoreFraudArgs, context: ToolContext) -> ToolOutcome:
        return run_predictor(self.name, arguments, context)


TOOL = ScoreFraud()
