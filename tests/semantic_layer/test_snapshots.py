"""Snapshots of the generated SQL per dialect: a compiler change shows up as a reviewable diff.

After an intended change, regenerate with
``ASKLYTICS_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/semantic_layer/test_snapshots.py``
and review ``git diff tests/semantic_layer/snapshots``.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from semantic_layer import (
    DEMO_MODEL_PATH,
    Cohort,
    Filter,
    OrderBy,
    SemanticQuery,
    Share,
    compile_semantic_query,
    load_semantic_model,
)

SNAPSHOTS = Path(__file__).parent / "snapshots"
JUNE = (date(2026, 6, 1), date(2026, 6, 30))
IOS = Filter(dimension="platform", op="=", values=("iOS",))
Q1 = (date(2026, 1, 1), date(2026, 3, 31))
PAID = Filter(dimension="acquisition_type", values=("paid",))

QUERIES = {
    "roas_top5_ios_campaigns": SemanticQuery(metrics=["roas"], dimensions=["campaign_name"], filters=[IOS],
                                             time_range=JUNE, order_by=[OrderBy(field="roas")], limit=5),
    "three_metrics_two_dimensions": SemanticQuery(metrics=["cost", "installs", "cpi"],
                                                  dimensions=["media_source", "platform"], time_range=JUNE),
    "installs_weekly": SemanticQuery(metrics=["installs", "paid_installs"], dimensions=["metric_time"],
                                     grain="week"),
    "dau_monthly_by_country": SemanticQuery(metrics=["dau"], dimensions=["metric_time", "country"],
                                            grain="month"),
    "retention_by_cohort_week": SemanticQuery(metrics=["retention_d1", "retention_d7", "retention_d30"],
                                              dimensions=["metric_time__week"]),
    "arpu_arppu_total": SemanticQuery(metrics=["arpu", "arppu", "paying_users"], time_range=JUNE),
    "cpm_derived_with_in_filter": SemanticQuery(
        metrics=["cpm", "ctr"], dimensions=["channel"],
        filters=[Filter(dimension="media_source", op="not in", values=("Google", "TikTok"))]),
    "fraud_rate_by_fraud_type": SemanticQuery(metrics=["fraud_installs"], dimensions=["fraud_type"]),
    "list_ios_campaigns": SemanticQuery(dimensions=["campaign_name"], filters=[IOS]),
    "campaigns_per_source": SemanticQuery(metrics=["campaign_count"], dimensions=["media_source"]),
    # cohorts, shares, per-period averages, distinct counts, predictions
    "cohort_matrix_ios": SemanticQuery(metrics=["revenue"], dimensions=["metric_time__month"],
                                       cohort=Cohort(install_range=Q1, grain="month", filters=[IOS])),
    "cohort_retention_paid_weekly": SemanticQuery(metrics=["retention_d7"],
                                                  cohort=Cohort(install_range=Q1, grain="week",
                                                                filters=[PAID])),
    "share_paid_installs": SemanticQuery(time_range=Q1, share=Share(of="installs", where=[PAID])),
    "share_spend_by_channel_within_platform": SemanticQuery(
        dimensions=["channel", "platform"], time_range=JUNE, share=Share(of="cost", within=["platform"])),
    "avg_daily_spend_by_month": SemanticQuery(metrics=["cost"], dimensions=["metric_time__month"],
                                              time_range=Q1, per_period="day"),
    "avg_daily_active_users_all_time": SemanticQuery(metrics=["active_users"], per_period="day"),
    "distinct_os_versions_ios": SemanticQuery(metrics=["count_distinct:os_version"], filters=[IOS]),
    "tiktok_installs_fraud_above_08": SemanticQuery(metrics=["installs"], filters=[
        Filter(dimension="media_source", values=("TikTok",)), Filter(dimension="fraud_probability", op=">",
                                                                     values=(0.8,))]),
    "avg_churn_probability_by_country": SemanticQuery(metrics=["avg_churn_probability"],
                                                      dimensions=["country"]),
    # thresholds on grouped rows and counts of groups
    "cost_of_campaigns_with_ctr_over_2pct": SemanticQuery(metrics=["cost"], dimensions=["campaign_name"],
                                                          time_range=JUNE, having=["ctr > 0.02"]),
    "count_days_installs_over_1300": SemanticQuery(metrics=["installs"], dimensions=["metric_time__day"],
                                                   time_range=JUNE, having=["installs > 1300"],
                                                   count_groups=True),
}


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


@pytest.mark.parametrize("dialect", ["duckdb", "clickhouse"])
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_generated_sql_matches_snapshot(model, name, dialect):
    sql = compile_semantic_query(model, QUERIES[name], dialect).sql(dialect=dialect, pretty=True) + "\n"
    path = SNAPSHOTS / f"{name}.{dialect}.sql"
    if os.environ.get("ASKLYTICS_UPDATE_SNAPSHOTS") == "1":
        path.write_text(sql)
    assert path.exists(), f"no snapshot {path.name}; run with ASKLYTICS_UPDATE_SNAPSHOTS=1 and review it"
    assert sql == path.read_text(), f"SQL for {name} ({dialect}) changed; review, then update the snapshot"


def test_every_snapshot_file_belongs_to_a_query():
    expected = {f"{n}.{d}.sql" for n in QUERIES for d in ("duckdb", "clickhouse")}
    assert {p.name for p in SNAPSHOTS.glob("*.sql")} == expected


def test_compilation_is_deterministic(model):
    for query in QUERIES.values():
        assert compile_semantic_query(model, query).sql() == compile_semantic_query(model, query).sql()
