"""``predict_conversion``: chance that an install makes a first purchase within 7 days of install, for one
install or the not-yet-paying installs of a cohort (by default the last 7 days' installs)."""
from __future__ import annotations

from app.engine.tools.predictions import CONVERT, CONVERT_PREDICT, INSTALL_ID, CohortArgs, ScoreTool


class PredictConversionArgs(CohortArgs):
    """Chance of a first purchase within 7 days of install (conversion_probability), from the install's
    first 24 hours (or the hours seen so far), for one install (install_id) or the installs matching the
    filters that have not paid yet, most likely first (no install dates: the last 7 days' installs)."""

    install_id: str | None = None


class PredictConversion(ScoreTool):
    name = "predict_conversion"
    description = PredictConversionArgs.__doc__
    arguments = PredictConversionArgs
    priority = 35  # after the fraud tools: "which installs look fraudulent" is not about buying
    topic, cue, id_pattern, id_field = CONVERT, CONVERT_PREDICT, INSTALL_ID, "install_id"


TOOL = PredictConversion()
