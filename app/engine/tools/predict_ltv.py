"""``predict_ltv``: predicted 60-day revenue of one user, or of the users of a cohort."""
from __future__ import annotations

from typing import Any

from app.engine.tools.base import Tool, ToolContext, ToolOutcome, ToolQuestion
from app.engine.tools.predictions import (
    LTV,
    USER_ID,
    CohortArgs,
    checked,
    cohort_arguments,
    id_in,
    run_predictor,
)


class PredictLtvArgs(CohortArgs):
    """Predicted 60-day revenue (p10/p50/p90 and mean, USD) and chance of paying of one user (user_id,
    with why) or of the users matching the filters (highest mean first)."""

    user_id: str | None = None


class PredictLtv(Tool):
    name = "predict_ltv"
    description = PredictLtvArgs.__doc__
    arguments = PredictLtvArgs
    priority = 10  # "lifetime value" wins over churn or fraud words in the same question

    def route(self, question: ToolQuestion) -> dict[str, Any] | None:
        if not LTV.search(question.folded):
            return None
        user = id_in(USER_ID, question)
        return checked(self.arguments, {"user_id": user} if user else cohort_arguments(question), {})

    def run(self, arguments: PredictLtvArgs, context: ToolContext) -> ToolOutcome:
        return run_predictor(self.name, arguments, context)


TOOL = PredictLtv()
