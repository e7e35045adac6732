"""``predict_churn``: churn probability of one user, or the users of a cohort most likely to churn."""
from __future__ import annotations

from app.engine.tools.predictions import CHURN, CHURN_PREDICT, USER_ID, CohortArgs, ScoreTool


class PredictChurnArgs(CohortArgs):
    """Churn probability of one user (user_id) or of the users matching the filters."""

    user_id: str | None = None


class PredictChurn(ScoreTool):
    name = "predict_churn"
    description = PredictChurnArgs.__doc__
    arguments = PredictChurnArgs
    priority = 21  # after explain_churn: "why is u1 likely to churn" is an explanation
    topic, cue, id_pattern, id_field = CHURN, CHURN_PREDICT, USER_ID, "user_id"


TOOL = PredictChurn()
