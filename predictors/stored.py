"""Cohort listings from the batch scores when they are there: "the 10 users most likely to churn".

Scoring a whole cohort live means building features for every member (tens of thousands of
users: seconds, or over the tool's row limit). ``asklytics score`` already wrote every score of
the registered model to the warehouse; when that run is from the same model version, the top of
a cohort is two small queries. Live scoring stays the path for single ids and explanations, and
for a warehouse that was never scored (or scored by another model version).
"""
from __future__ import annotations

from predictors.features.base import Cohort, FeatureQuery, FrameSource
from predictors.tool_answers import OUTCOME, ToolAnswer, _table

STORED = {"churn": ("churn_scores", "user_id", "churn_probability"),
          "fraud": ("fraud_scores", "install_id", "fraud_probability")}
HIGH = 0.7
_FROM = (
    "FROM {table} AS s JOIN installs AS i ON i.{entity} = s.{entity} "
    "LEFT JOIN campaigns AS c ON c.campaign_id = i.campaign_id "
    "WHERE s.scored_at = (SELECT MAX(scored_at) FROM {table}) AND s.model_version = ? AND {where}"
)


def stored_score_answer(source: FrameSource, name: str, version: str, cohort: Cohort,
                        limit: int) -> ToolAnswer | None:
    """The ``limit`` highest stored scores of the cohort, or None when there are no usable ones."""
    if name not in STORED or cohort.ids or STORED[name][0] not in _tables(source):
        return None
    table, entity, score = STORED[name]
    where, params = cohort.where(entity)
    body = _FROM.format(table=table, entity=entity, where=where)
    summary = source.frame(FeatureQuery(
        f"SELECT COUNT(*) AS n, AVG(s.{score}) AS mean, SUM(CASE WHEN s.{score} >= {HIGH} THEN 1 ELSE 0 END) "
        f"AS high {body}", [version, *params]))
    matched = int(summary.iloc[0]["n"]) if len(summary) else 0
    if matched == 0:
        return None
    top = source.frame(FeatureQuery(
        f"SELECT s.{entity}, s.{score}, s.model_version {body} "
        f"ORDER BY s.{score} DESC, s.{entity} LIMIT {int(limit)}", [version, *params]))
    top = top.sort_values([score, entity], ascending=[False, True], kind="stable").reset_index(drop=True)
    columns, rows = _table(top)
    kind = "installs" if name == "fraud" else "users"
    shown = f"; showing the top {len(top)}" if len(top) < matched else ""
    high, mean = int(summary.iloc[0]["high"]), float(summary.iloc[0]["mean"])
    narrative = (f"{matched:,} {kind} matched; {high:,} have {OUTCOME[name]} of 70% or more; average "
                 f"{mean:.0%}{shown}. Predictions of the {name} model {version}, "
                 "from its stored batch scores.")
    return ToolAnswer(columns, rows, narrative, {"matched": matched, "stored": True})


def _tables(source: FrameSource) -> frozenset[str]:
    warehouse = getattr(source, "warehouse", None)
    schema = warehouse.schema() if warehouse is not None else None
    return frozenset(schema.table_names()) if schema is not None else frozenset()
