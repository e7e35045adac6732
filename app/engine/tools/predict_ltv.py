"""``predict_ltv``: predicted 60-day revenue of one user, or of the users of a cohort."""
from __future__ import annotations

from app.engine.tools.predictions import LTV, USER_ID, CohortArgs, ScoreTool


class PredictLtvArgs(CohortArgs):
    """Predicted 60-day revenue (p10/p50/p90 and mean, USD) and chance of paying of one user (user_id,
    with why) or of the users matching the filters (highest mean first)."""

    user_id: str | None = None


class PredictLtv(ScoreTool):
    name = "predict_ltv"
    description = PredictLtvArgs.__doc__
    arguments = PredictLtvArgs
    priority = 10  # "lifetime value" wins over churn or fraud words in the same question
    topic, id_pattern, id_field = LTV, USER_ID, "user_id"  # no cue: "lifetime value" is a prediction


TOOL = PredictLtv()
