"""``explain_conversion``: why one install is likely (or not) to make a first purchase, as SHAP words."""
from __future__ import annotations

from pydantic import Field

from app.engine.tools.base import ToolArgs
from app.engine.tools.predictions import CONVERT, INSTALL_ID, ExplainTool


class ExplainConversionArgs(ToolArgs):
    """Why one install is likely (or not) to make a first purchase within 7 days of install: its
    conversion_probability and the top SHAP feature contributions."""

    install_id: str = Field(min_length=1)


class ExplainConversion(ExplainTool):
    name = "explain_conversion"
    description = ExplainConversionArgs.__doc__
    arguments = ExplainConversionArgs
    priority = 34
    topic, id_pattern, id_field = CONVERT, INSTALL_ID, "install_id"


TOOL = ExplainConversion()
