"""Monitors (docs/monitors.md): a saved series with a schedule; a run finds its new anomalies and
explains each one with the insight tools. Storage is ``appdb.monitors``; digests and delivery are
the front doors' (``app.interfaces.shared.monitors``)."""
from app.engine.monitors.evaluate import Evaluation, Finding, evaluate
from app.engine.monitors.schedule import Schedule, ScheduleError, parse_schedule
from app.engine.monitors.series import MonitorError, MonitorSeries, Threshold, parse_threshold

__all__ = ["Evaluation", "Finding", "MonitorError", "MonitorSeries", "Schedule", "ScheduleError", "Threshold",
           "evaluate", "parse_schedule", "parse_threshold"]
