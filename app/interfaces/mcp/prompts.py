"""Prompts for common analyses: each one a plain-language brief telling the agent which Asklytics
tools to use. They are text the agent reads, never code the server runs."""
from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from pydantic import Field

Metric = Annotated[str, Field(description="A metric name from list_metrics, e.g. roas or installs.")]
Period = Annotated[str, Field(description="A period in plain words, e.g. 'last month'.")]
Source = Annotated[str, Field(description="A media source, or 'all'.")]


def add_prompts(server: MCPServer) -> None:
    @server.prompt(title="Trend of a metric")
    def metric_trend(metric: Metric, period: Period = "the last 3 months") -> str:
        """How a metric moved over a period, week by week, and what stands out."""
        return (f"Using the Asklytics tools, show how {metric} moved over {period}. First call "
                f"`ask` with \"{metric} by week over {period}\". Then describe the trend in two or three "
                "sentences with the key numbers (start, end, highest and lowest week), and name any "
                "week that breaks the pattern. Quote the SQL the answer ran.")

    @server.prompt(title="Compare segments")
    def compare_segments(metric: Metric,
                         dimension: Annotated[str, Field(description="A dimension, e.g. media_source.")],
                         period: Period = "last month") -> str:
        """A metric across the values of one dimension, best and worst first."""
        return (f"Using the Asklytics tools, compare {metric} across {dimension} for {period}. Call `ask` "
                f"with \"{metric} by {dimension} {period}\" (or `query_metrics` with metrics=[\"{metric}\"] "
                f"and dimensions=[\"{dimension}\"] for an exact query). Rank the segments, give the spread "
                "between best and worst, and say which segments are too small to judge.")

    @server.prompt(title="Explain a change")
    def explain_change(metric: Metric, period: Period = "last month") -> str:
        """Why a metric changed against the period before: the segments that drove it (explain_change)."""
        return (f"Using the Asklytics tools, explain why {metric} changed in {period}. Call the "
                f"`explain_change` tool with metric=\"{metric}\" and current_start / current_end set to the "
                f"first and last day of {period} (ISO dates); leave the baseline out unless the user named "
                "one (the tool compares a short period with the same weekdays a week earlier, a longer one "
                "with the period of equal length before it). It splits the change over every dimension and "
                "pair of dimensions and returns one driver per row with its share of the change (for ratios "
                "such as CPI or ROAS, its mix and rate effects). Report the leading drivers with their "
                "before, after and share of the change, and say so when the tool finds the change spread "
                "across segments. If you cannot tell the dates, call `ask` with \"why did "
                f"{metric} change {period}?\", which routes to the same tool. For unusual days first, "
                "use `detect_anomalies`. Keep to what the numbers show.")

    @server.prompt(title="Churn risk review")
    def churn_review(media_source: Source = "all") -> str:
        """Users most likely to churn, and why, with the churn model's tools."""
        cohort = "" if media_source == "all" else f" with media_source=\"{media_source}\""
        return ("Using the Asklytics tools, review churn risk: call `predict_churn`"
                f"{cohort} with limit=10, then `explain_churn` for the two riskiest user ids, and "
                "summarise the main drivers in plain words (the SHAP values are in the model's units).")
