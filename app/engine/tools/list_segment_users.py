"""``list_segment_users``: the users of an RFM segment or a behavioural cluster, with filters
("who are our champions in Brazil?", "list the users of cluster 3 on iOS")."""
from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, model_validator

from app.engine.tools.base import ToolContext, ToolOutcome, ToolQuestion
from app.engine.tools.segments import (
    SegmentFilterArgs,
    SegmentTool,
    cluster_in,
    cohort,
    filter_arguments,
    run_segments,
)
from predictors.segments import SEGMENTS

WHO = re.compile(r"\b(?:who|whom|which\s+(?:users|customers|payers|players|buyers|ones)|list\w*|"
                 r"show\s+(?:me\s+)?(?:the\s+|our\s+|all\s+)?(?:users|customers|payers|players)|name\s+(?:the|our))\b")
COUNTED = re.compile(r"\bhow\s+(?:many|much)\b|\bcount\b|\bnumber\s+of\b")

Segment = Literal[SEGMENTS]  # type: ignore[valid-type]


class ListSegmentUsersArgs(SegmentFilterArgs):
    """The users of one RFM segment (paying users) and/or one behavioural cluster, matching the filters,
    most revenue first: user_id, rfm_segment, cluster, country, platform, media_source, install_date,
    revenue, purchases, days_since_last_purchase."""

    rfm_segment: Segment | None = None
    cluster: int | None = Field(None, ge=1, le=99, description="A behavioural cluster number (1 = largest).")
    limit: int = Field(20, gt=0, le=1000, description="How many users (most revenue first).")

    @model_validator(mode="after")
    def _one_group(self) -> ListSegmentUsersArgs:
        if self.rfm_segment is None and self.cluster is None:
            raise ValueError("give rfm_segment or cluster (or both)")
        return self


class ListSegmentUsers(SegmentTool):
    name = "list_segment_users"
    description = ListSegmentUsersArgs.__doc__
    arguments = ListSegmentUsersArgs
    priority = 5  # before the predictor tools: "who are our at risk customers" is the RFM segment
    words = (WHO,)

    def route(self, question: ToolQuestion) -> dict[str, Any] | None:
        segment = question.filters.get("rfm_segment")
        cluster = cluster_in(question)
        if (segment is None and cluster is None) or not WHO.search(question.folded) \
                or COUNTED.search(question.folded):
            return None
        arguments: dict[str, Any] = filter_arguments(question)
        if segment is not None:
            arguments["rfm_segment"] = segment
        if cluster is not None:
            arguments["cluster"] = cluster
        if question.limit:
            arguments["limit"] = min(question.limit, 1000)
        return arguments

    def run(self, arguments: ListSegmentUsersArgs, context: ToolContext) -> ToolOutcome:
        from predictors.segment_answers import segment_members

        return run_segments(self.name, arguments, context, self.tables,
                            lambda source: segment_members(source, cohort(arguments), context.as_of,
                                                           arguments.rfm_segment, arguments.cluster,
                                                           arguments.limit), "user")


TOOL = ListSegmentUsers()
