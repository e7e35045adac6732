"""``describe_cluster``: what sets a behavioural cluster apart ("describe cluster 3"), or every cluster
in a line each ("describe the clusters")."""
from __future__ import annotations

import re
from typing import Any

from pydantic import Field

from app.engine.tools.base import ToolArgs, ToolContext, ToolOutcome, ToolQuestion
from app.engine.tools.segments import CLUSTER, PROFILE_TABLES, SegmentTool, cluster_in, run_segments

DESCRIBE = re.compile(r"\b(?:describe\w*|descriptions?|profiles?|characteri[sz]\w*|what\s+(?:is|are|does|do|"
                      r"defines?|sets?|makes?|characteri[sz]es?)|tell\s+me\s+about|explain\w*|summari[sz]\w*|"
                      r"distinguish\w*|who\s+(?:is|are)\s+in)\b")


class DescribeClusterArgs(ToolArgs):
    """What sets one behavioural cluster apart: per feature the cluster's average, everyone's, the
    cluster's median and its z-score, largest |z| first; without a cluster, every cluster's size and
    description."""

    cluster: int | None = Field(None, ge=1, le=99, description="A behavioural cluster number (1 = largest).")


class DescribeCluster(SegmentTool):
    name = "describe_cluster"
    description = DescribeClusterArgs.__doc__
    arguments = DescribeClusterArgs
    priority = 4
    tables = PROFILE_TABLES
    words = (DESCRIBE, CLUSTER)

    def route(self, question: ToolQuestion) -> dict[str, Any] | None:
        if not (CLUSTER.search(question.folded) and DESCRIBE.search(question.folded)):
            return None
        cluster = cluster_in(question)
        return {"cluster": cluster} if cluster is not None else {}

    def run(self, arguments: DescribeClusterArgs, context: ToolContext) -> ToolOutcome:
        from predictors.segment_answers import cluster_profile

        return run_segments(self.name, arguments, context, self.tables,
                            lambda source: cluster_profile(source, arguments.cluster), "row")


TOOL = DescribeCluster()
