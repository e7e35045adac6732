"""``explain_fraud``: why one install looks fraudulent (or not), as the top SHAP contributions."""
from __future__ import annotations

from pydantic import Field

from app.engine.tools.base import ToolArgs
from app.engine.tools.predictions import FRAUD, INSTALL_ID, ExplainTool


class ExplainFraudArgs(ToolArgs):
    """Why one install looks fraudulent (or not): the top SHAP feature contributions."""

    install_id: str = Field(min_length=1)


class ExplainFraud(ExplainTool):
    name = "explain_fraud"
    description = ExplainFraudArgs.__doc__
    arguments = ExplainFraudArgs
    priority = 30
    topic, id_pattern, id_field = FRAUD, INSTALL_ID, "install_id"


TOOL = ExplainFraud()
