"""``predict_churn``: churn probability of one user, or the users of a cohort most likely to churn."""
from __future__ import annotations

from typing import Any

from app.engine.tools.base import Tool, ToolContext, ToolOutcome, ToolQuestion
from app.engine.tools.predictions import (
    CHURN,
    CHURN_PREDICT,
    USER_ID,
    CohortArgs,
    checked,
    cohort_arguments,
    id_in,
    run_predictor,
)


class PredictChurnArgs(CohortArgs):
    """Churn probability of one user (user_id) or of the users matching the filters."""

    user_id: str | None = None


class PredictChurn(Tool):
    name = "predict_churn"
    description = PredictChurnArgs.__doc__
    arguments = PredictChurnArgs
    priority = 21  # after explain_churn: "why is u1 likely to churn" is an explanation

    def route(self, question: ToolQuestion) -> dict[str, Any] | None:
        user = id_in(USER_ID, question)
        if not CHURN.search(question.folded) or not (user or CHURN_PREDICT.search(question.folded)):
            return None
        return checked(self.arguments, {"user_id": user} if user else cohort_arguments(question), {})

    def run(self, arguments: PredictChurnArgs, context: ToolContext) -> ToolOutcome:
        return run_predictor(self.name, arguments, context)


TOOL = PredictChurn()
