"""The segment tools (#22): routed by the offline planner, answered from the tables `asklytics score`
writes (the real scorer on a copy of the demo), equal to hand-written SQL, clear errors otherwise."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from app.engine.tools import REGISTRY, ToolContext, ToolQuestion
from app.engine.tools.base import ToolError
from predictors.features.base import ConnectionSource
from predictors.scoring import score_model, write_table
from tests.demo_copies import AS_OF, copy_demo
from warehouse.duckdb import DuckDBWarehouse

LATEST = "(SELECT * FROM user_segments WHERE scored_at = (SELECT max(scored_at) FROM user_segments))"


@pytest.fixture(scope="module")
def segmented(demo_db_path, tmp_path_factory):
    path = copy_demo(demo_db_path, tmp_path_factory.mktemp("segments"))
    connection = duckdb.connect(str(path))
    try:
        scored = score_model("rfm", ConnectionSource(connection), None, AS_OF, dt.datetime(2026, 7, 1, 3))
        for table in (scored, *scored.also):
            write_table(connection, table)
    finally:
        connection.close()
    warehouse = DuckDBWarehouse(path, timeout_s=30, max_rows=1000)
    yield warehouse
    warehouse.close()


def _run(name: str, arguments: dict, warehouse):
    tool = REGISTRY.get(name)
    return tool.run(tool.validate(arguments), ToolContext(warehouse, models_dir=None, as_of=AS_OF))


@pytest.mark.parametrize(("question", "filters", "tool", "arguments"), [
    ("segment our paying users", {}, "segment_users", {}),
    ("segment our paying users in brazil", {"country": "BR"}, "segment_users", {"country": "BR"}),
    ("who are our champions in brazil?", {"rfm_segment": "champions", "country": "BR"}, "list_segment_users",
     {"rfm_segment": "champions", "country": "BR"}),
    ("who are our at risk customers", {"rfm_segment": "at risk"}, "list_segment_users",
     {"rfm_segment": "at risk"}),  # the RFM segment, not the churn model
    ("list the users of cluster 2 on ios", {"cluster": "2", "platform": "iOS"}, "list_segment_users",
     {"cluster": 2, "platform": "iOS"}),
    ("describe cluster 3", {"cluster": "3"}, "describe_cluster", {"cluster": 3}),
    ("what sets cluster #2 apart", {}, "describe_cluster", {"cluster": 2}),
    ("describe the behavioural clusters", {}, "describe_cluster", {}),
])
def test_the_offline_planner_routes_segment_questions(question, filters, tool, arguments):
    routed = REGISTRY.route(ToolQuestion(folded=question, filters=filters))
    assert routed is not None and (routed[0].name, routed[1]) == (tool, arguments)


@pytest.mark.parametrize(("question", "filters"), [
    ("how many champions do we have", {"rfm_segment": "champions"}),  # a count: the semantic layer
    ("revenue by rfm segment", {}),
    ("revenue by cluster", {}),
])
def test_ordinary_segment_questions_stay_with_the_semantic_layer(question, filters):
    routed = REGISTRY.route(ToolQuestion(folded=question, filters=filters))
    assert routed is None or routed[0].name not in {"segment_users", "list_segment_users", "describe_cluster"}


def test_segment_overview_equals_hand_written_sql(segmented):
    outcome = _run("segment_users", {}, segmented)
    names = [c.name for c in outcome.result.columns]
    got = {row[0]: dict(zip(names, row, strict=True)) for row in outcome.result.rows}
    reference = dict(segmented.execute(
        f"SELECT s.rfm_segment, count(DISTINCT s.user_id) FROM {LATEST} s WHERE s.rfm_segment IS NOT NULL "
        "GROUP BY 1").rows)
    revenue = dict(segmented.execute(
        f"SELECT s.rfm_segment, sum(e.revenue) FROM {LATEST} s JOIN events e ON e.user_id = s.user_id "
        "WHERE e.revenue > 0 AND e.event_time < DATE '2026-07-01' AND s.rfm_segment IS NOT NULL "
        "GROUP BY 1").rows)
    assert {k: v["users"] for k, v in got.items()} == reference and len(got) == 11
    assert {k: round(v["revenue"], 2) for k, v in got.items()} == {k: round(v, 2) for k, v in revenue.items()}
    assert sum(v["share_of_users"] for v in got.values()) == pytest.approx(1.0)
    revenues = [row[names.index("revenue")] for row in outcome.result.rows]
    assert revenues == sorted(revenues, reverse=True)
    assert "paying users in 11 RFM segments" in outcome.narrative


def test_champions_in_brazil_are_listed_most_revenue_first(segmented):
    outcome = _run("list_segment_users", {"rfm_segment": "champions", "country": "BR", "limit": 5}, segmented)
    names = [c.name for c in outcome.result.columns]
    rows = [dict(zip(names, row, strict=True)) for row in outcome.result.rows]
    expected = segmented.execute(
        f"SELECT count(*) FROM {LATEST} s JOIN installs i ON i.user_id = s.user_id "
        "WHERE s.rfm_segment = 'champions' AND i.country = 'BR'").rows[0][0]
    assert len(rows) == 5 and expected > 5 and f"{expected:,} 'champions' users match" in outcome.narrative
    assert all(r["rfm_segment"] == "champions" and r["country"] == "BR" for r in rows)
    assert [r["revenue"] for r in rows] == sorted((r["revenue"] for r in rows), reverse=True)


def test_describe_cluster_and_its_errors(segmented, duckdb_wh):
    one = _run("describe_cluster", {"cluster": 1}, segmented)
    names = [c.name for c in one.result.columns]
    assert names[:3] == ["feature", "cluster_average", "all_users_average"] and len(one.result.rows) == 8
    z = [abs(row[names.index("z_score")]) for row in one.result.rows]
    assert z == sorted(z, reverse=True) and one.narrative.startswith("Cluster 1 holds")
    every = _run("describe_cluster", {}, segmented)
    assert len(every.result.rows) >= 3 and "behavioural clusters of 200,000 users" in every.narrative
    with pytest.raises(ToolError) as missing:
        _run("describe_cluster", {"cluster": 42}, segmented)
    assert missing.value.code == "not_found" and "no cluster 42" in missing.value.message
    with pytest.raises(ToolError) as unscored:  # the plain demo: never scored
        _run("segment_users", {}, duckdb_wh)
    assert unscored.value.code == "not_scored" and "asklytics score --model rfm" in unscored.value.message


def test_a_list_needs_a_segment_or_a_cluster():
    with pytest.raises(ValueError, match="rfm_segment or cluster"):
        REGISTRY.get("list_segment_users").validate({"country": "BR"})
