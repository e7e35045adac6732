"""``segment_users``: RFM segment sizes and revenue of the paying users ("segment our paying users")."""
from __future__ import annotations

import re
from typing import Any

from app.engine.tools.base import ToolContext, ToolOutcome, ToolQuestion
from app.engine.tools.segments import SegmentFilterArgs, SegmentTool, cohort, filter_arguments, run_segments

OVERVIEW = re.compile(
    r"\b(?:segment(?:s|ation)?\s+(?:of\s+)?(?:our|my|the|all)?\s*(?:paying\s+|paid\s+)?"
    r"(?:users|customers|payers|players|buyers)|rfm\s+(?:analysis|segmentation|breakdown|overview|summary)|"
    r"(?:customer|user|payer)\s+segmentation)\b")


class SegmentUsersArgs(SegmentFilterArgs):
    """The RFM segments of the paying users (matching the filters): users, share, revenue, share of
    revenue, revenue per user, purchases per user and days since the last purchase per segment."""


class SegmentUsers(SegmentTool):
    name = "segment_users"
    description = SegmentUsersArgs.__doc__
    arguments = SegmentUsersArgs
    priority = 6
    words = (OVERVIEW,)

    def route(self, question: ToolQuestion) -> dict[str, Any] | None:
        if not OVERVIEW.search(question.folded):
            return None
        return filter_arguments(question)

    def run(self, arguments: SegmentUsersArgs, context: ToolContext) -> ToolOutcome:
        from predictors.segment_answers import segment_overview

        return run_segments(self.name, arguments, context, self.tables,
                            lambda source: segment_overview(source, cohort(arguments), context.as_of),
                            "segment")


TOOL = SegmentUsers()
