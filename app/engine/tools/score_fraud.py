"""``score_fraud``: fraud probability of one install, or the installs of a cohort that look worst."""
from __future__ import annotations

from app.engine.tools.predictions import FRAUD, FRAUD_PREDICT, INSTALL_ID, CohortArgs, ScoreTool


class ScoreFraudArgs(CohortArgs):
    """Fraud probability of one install (install_id) or of the installs matching the filters."""

    install_id: str | None = None


class ScoreFraud(ScoreTool):
    name = "score_fraud"
    description = ScoreFraudArgs.__doc__
    arguments = ScoreFraudArgs
    priority = 31  # after explain_fraud: "why does i1 look fraudulent" is an explanation
    topic, cue, id_pattern, id_field = FRAUD, FRAUD_PREDICT, INSTALL_ID, "install_id"


TOOL = ScoreFraud()
