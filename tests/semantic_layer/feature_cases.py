"""The feature cases of test_gold_features.py: a semantic query and its hand-written gold (features.yaml)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from semantic_layer import Cohort, Filter, MetricCondition, OrderBy, SemanticQuery, Share

GOLD = Path(__file__).parent / "gold"
FEATURE_VIEWS = yaml.safe_load((GOLD / "feature_views.yaml").read_text())
FEATURE_GOLD = yaml.safe_load((GOLD / "features.yaml").read_text())

D = dt.date
JAN, FEB, MAR = ((D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 2, 1), D(2026, 2, 28)),
                 (D(2026, 3, 1), D(2026, 3, 31)))
APR, MAY, JUNE = ((D(2026, 4, 1), D(2026, 4, 30)), (D(2026, 5, 1), D(2026, 5, 31)),
                  (D(2026, 6, 1), D(2026, 6, 30)))
Q1, Q2, HALF = ((D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 4, 1), D(2026, 6, 30)),
                (D(2026, 1, 1), D(2026, 6, 30)))


def where(dimension: str, *values, op: str | None = None) -> Filter:
    return Filter(dimension=dimension, op=op or ("in" if len(values) > 1 else "="), values=values)


def above(metric: str, value: float) -> MetricCondition:
    return MetricCondition(metric=metric, op=">", value=value)


@dataclass(frozen=True)
class Case:
    name: str
    query: SemanticQuery
    keys: int = 0  # leading key columns; the rest are values
    ordered: bool = False  # top-N: the keys must come out in the gold's order


def q(**fields) -> SemanticQuery:
    return SemanticQuery(**fields)


PAID = where("acquisition_type", "paid")
CASES = (
    # cohorts
    Case("cohort_march_revenue_in_april",
         q(metrics=["revenue"], time_range=APR, cohort=Cohort(install_range=MAR))),
    Case("cohort_january_ever_paid", q(metrics=["paying_users"], cohort=Cohort(install_range=JAN))),
    Case("cohort_attributes_by_country", q(metrics=["revenue"], dimensions=["country"], time_range=Q2,
                                           cohort=Cohort(install_range=FEB, filters=[
                                               where("media_source", "Facebook", "Google"),
                                               where("is_fraud", False)])), 1),
    Case("cohort_matrix_ios", q(metrics=["revenue"], dimensions=["metric_time__month"], cohort=Cohort(
        install_range=Q1, grain="month", filters=[where("platform", "iOS")])), 2),
    Case("cohort_retention_paid_weekly", q(metrics=["retention_d7"], cohort=Cohort(
        install_range=MAR, grain="week", filters=[PAID])), 1),
    Case("cohort_dau_by_month", q(metrics=["dau"], dimensions=["metric_time__month"], time_range=Q2,
                                  cohort=Cohort(install_range=MAR)), 1),
    # what acquiring a cohort cost: spend cannot reach the members, so it is read over the install window
    Case("cohort_roas_april_by_source", q(metrics=["roas"], dimensions=["media_source"],
                                          cohort=Cohort(install_range=APR)), 1),
    Case("cohort_cpi_and_revenue_facebook", q(metrics=["revenue", "cost"], time_range=MAY,
                                              cohort=Cohort(install_range=APR,
                                                            filters=[where("media_source", "Facebook")]))),
    Case("cohort_installs_weekly_us",
         q(metrics=["installs"], dimensions=["metric_time__week"], time_range=HALF,
           cohort=Cohort(install_range=FEB, filters=[where("country", "US")])), 1),
    Case("cohort_churn_risk_social_revenue_june", q(metrics=["revenue"], time_range=JUNE, cohort=Cohort(
        install_range=Q1, filters=[where("channel", "social"), where("churn_probability", 0.5, op=">")]))),
    Case("cohort_predicted_ltv_by_source", q(metrics=["avg_predicted_ltv"], dimensions=["media_source"],
                                             cohort=Cohort(install_range=MAR)), 1),
    # shares
    Case("share_paid_installs_q1", q(time_range=Q1, share=Share(of="installs", where=[PAID]))),
    Case("share_facebook_installs_june", q(time_range=JUNE, share=Share(
        of="installs", where=[where("media_source", "Facebook")]))),
    Case("share_revenue_by_country", q(dimensions=["country"], share=Share(of="revenue")), 1),
    Case("share_spend_channel_within_platform", q(dimensions=["channel", "platform"], time_range=JUNE,
                                                  share=Share(of="cost", within=["platform"])), 2),
    Case("share_bot_installs_by_source", q(dimensions=["media_source"], filters=[where("fraud_type", "bot")],
                                           share=Share(of="installs")), 1),
    Case("share_paid_installs_monthly",
         q(dimensions=["metric_time__month"], share=Share(of="installs", where=[PAID])), 1),
    Case("share_installs_by_source_of_all",
         q(dimensions=["media_source"], time_range=MAY, share=Share(of="installs")), 1),
    Case("share_cohort_revenue_by_country",
         q(dimensions=["country"], time_range=Q2, cohort=Cohort(install_range=JAN),
           share=Share(of="revenue")), 1),
    Case("share_top3_countries", q(dimensions=["country"], time_range=JUNE, share=Share(of="installs"),
                                   order_by=[OrderBy(field="installs_share")], limit=3), 1, ordered=True),
    Case("share_organic_within_platform_monthly",
         q(dimensions=["metric_time__month", "platform"], share=Share(
             of="installs", where=[where("acquisition_type", "organic")], within=["platform"])), 2),
    Case("share_sessions_country_within_platform", q(dimensions=["platform", "country"], time_range=JUNE,
                                                     share=Share(of="sessions", within=["platform"])), 2),
    # averages of per-period values
    Case("avg_daily_spend_april", q(metrics=["cost"], time_range=APR, per_period="day")),
    Case("avg_weekly_installs_by_platform_q2", q(metrics=["installs"], dimensions=["platform"], time_range=Q2,
                                                 per_period="week"), 1),
    Case("avg_daily_cost_and_installs_by_month",
         q(metrics=["cost", "installs"], dimensions=["metric_time__month"],
           time_range=(D(2026, 4, 10), D(2026, 6, 30)), per_period="day"), 1),
    Case("avg_daily_active_users_by_month", q(metrics=["active_users"], dimensions=["metric_time__month"],
                                              per_period="day"), 1),
    Case("avg_daily_ios_revenue_by_source_june",
         q(metrics=["revenue"], dimensions=["media_source"], time_range=JUNE,
           filters=[where("platform", "iOS")], per_period="day"), 1),
    Case("avg_monthly_paying_users", q(metrics=["paying_users"], per_period="month")),
    Case("avg_daily_bot_installs_by_source_april", q(metrics=["installs"], dimensions=["media_source"],
                                                     filters=[where("fraud_type", "bot")], time_range=APR,
                                                     per_period="day"), 1),
    Case("avg_daily_bot_installs_by_source_all_time",
         q(metrics=["installs"], dimensions=["media_source"], filters=[where("fraud_type", "bot")],
           per_period="day"), 1),
    Case("avg_daily_april_revenue_of_march_cohort", q(metrics=["revenue"], time_range=APR, per_period="day",
                                                      cohort=Cohort(install_range=MAR))),
    # distinct counts
    Case("distinct_os_versions_ios",
         q(metrics=["count_distinct:os_version"], filters=[where("platform", "iOS")])),
    Case("distinct_device_models_fraud_by_source",
         q(metrics=["count_distinct:device_model"], dimensions=["media_source"],
           filters=[where("is_fraud", True)]), 1),
    Case("distinct_countries_with_installs_may", q(metrics=["count_distinct:country"], time_range=MAY)),
    Case("distinct_campaigns_per_source",
         q(metrics=["count_distinct:campaign_name"], dimensions=["media_source"], time_range=MAY), 1),
    Case("distinct_os_versions_by_month",
         q(metrics=["count_distinct:os_version"], dimensions=["metric_time__month"]), 1),
    Case("distinct_event_names_by_platform_june",
         q(metrics=["count_distinct:event_name"], dimensions=["platform"], time_range=JUNE), 1),
    Case("distinct_fraud_types", q(metrics=["count_distinct:fraud_type"])),
    # predictions and thresholds
    Case("tiktok_installs_fraud_above_08", q(metrics=["installs"], filters=[
        where("media_source", "TikTok"), where("fraud_probability", 0.8, op=">")])),
    Case("avg_churn_by_country", q(metrics=["avg_churn_probability"], dimensions=["country"]), 1),
    Case("predicted_ltv_by_source", q(metrics=["avg_predicted_ltv", "total_predicted_ltv"],
                                      dimensions=["media_source"]), 1),
    Case("avg_fraud_probability_high_by_platform",
         q(metrics=["avg_fraud_probability", "fraud_scored_installs"], dimensions=["platform"],
           filters=[where("fraud_probability", 0.5, op=">=")]), 1),
    Case("installs_fast_click_to_install_by_fraud_type",
         q(metrics=["installs"], dimensions=["fraud_type"],
           filters=[where("click_to_install_seconds", 10, op="<")]), 1),
    Case("june_revenue_of_likely_churners_by_platform",
         q(metrics=["revenue"], dimensions=["platform"], time_range=JUNE,
           filters=[where("churn_probability", 0.7, op=">")]), 1),
    Case("churn_scored_users_high_ltv_by_country", q(metrics=["churn_scored_users"], dimensions=["country"],
                                                     filters=[where("ltv_p50", 10, op=">=")]), 1),
    Case("ltv_scored_users_threshold_given_as_text", q(metrics=["ltv_scored_users"],
                                                       filters=[where("ltv_p90", "30", op=">")])),
    Case("installs_by_fraud_score_cohort_matrix", q(metrics=["installs"], filters=[
        where("fraud_probability", 0.9, op=">")], cohort=Cohort(install_range=HALF, grain="month")), 1),
    # ranking by ratio and derived metrics
    Case("top5_sources_by_cvr_june", q(metrics=["cvr"], dimensions=["media_source"], time_range=JUNE,
                                       order_by=[OrderBy(field="cvr")], limit=5), 1, ordered=True),
    Case("bottom3_campaigns_by_roas_june", q(metrics=["roas"], dimensions=["campaign_name"], time_range=JUNE,
                                             order_by=[OrderBy(field="roas", direction="asc")], limit=3), 1,
         ordered=True),
    Case("top3_channels_by_cpm",
         q(metrics=["cpm"], dimensions=["channel"], order_by=[OrderBy(field="cpm")], limit=3),
         1, ordered=True),
    # thresholds on grouped rows (having) and counts of the groups that pass them (count_groups)
    Case("campaigns_cost_over_1000_june", q(metrics=["cost"], dimensions=["campaign_name"], time_range=JUNE,
                                            having=[above("cost", 1000)]), 1),
    Case("campaigns_ctr_over_2pct_may", q(metrics=["ctr"], dimensions=["campaign_name"], time_range=MAY,
                                          having=[above("ctr", 0.02)]), 1),
    Case("cost_of_campaigns_with_ctr_over_2pct_may",
         q(metrics=["cost"], dimensions=["campaign_name"], time_range=MAY, having=["ctr > 0.02"]), 1),
    Case("campaigns_spending_over_1000_with_roas_below_1_june",
         q(metrics=["cost", "roas"], dimensions=["campaign_name"], time_range=JUNE,
           having=[above("cost", 1000), MetricCondition(metric="roas", op="<", value=1)]), 1),
    Case("count_campaigns_cost_over_1000_june",
         q(metrics=["cost"], dimensions=["campaign_name"], time_range=JUNE, having=[above("cost", 1000)],
           count_groups=True)),
    Case("count_sources_fraud_rate_over_5pct",
         q(dimensions=["media_source"], having=[above("fraud_rate", 0.05)], count_groups=True)),
    Case("sources_with_fraud_rate_over_5pct",
         q(dimensions=["media_source"], having=["fraud_rate > 0.05"]), 1),
    Case("count_ios_campaigns_roas_over_1_june",
         q(metrics=["roas"], dimensions=["campaign_name"], time_range=JUNE,
           filters=[where("platform", "iOS")], having=[above("roas", 1)], count_groups=True)),
    Case("count_days_installs_over_1300_june", q(metrics=["installs"], dimensions=["metric_time__day"],
                                                 time_range=JUNE, having=[above("installs", 1300)],
                                                 count_groups=True)),
    Case("weeks_q1_installs_below_7000",
         q(metrics=["installs"], dimensions=["metric_time__week"], time_range=Q1,
           having=["installs < 7000"]), 1),
    # the CTR threshold drops the third-largest spender, so the limit must apply after having
    Case("top5_campaigns_by_cost_with_high_ctr_june",
         q(metrics=["cost"], dimensions=["campaign_name"], time_range=JUNE, having=[above("ctr", 0.0118)],
           order_by=[OrderBy(field="cost")], limit=5), 1, ordered=True),
    Case("countries_avg_dau_over_500_june", q(metrics=["dau"], dimensions=["country"], time_range=JUNE,
                                              having=["dau >= 500"]), 1),
    Case("countries_april_revenue_over_1000_of_march_cohort",
         q(metrics=["revenue"], dimensions=["country"], time_range=APR, cohort=Cohort(install_range=MAR),
           having=[above("revenue", 1000)]), 1),
    Case("count_source_platform_pairs_installs_over_5000_q2",
         q(metrics=["installs"], dimensions=["media_source", "platform"], time_range=Q2,
           having=[above("installs", 5000)], count_groups=True)),
    # a group without a value (installs without a fraud type) is not counted
    Case("count_fraud_types_with_installs_q1",
         q(dimensions=["fraud_type"], time_range=Q1, having=[above("installs", 0)], count_groups=True)),
    # an entity as a dimension (MetricFlow's "group by user"): people counted by a condition on each
    Case("count_users_with_more_than_one_purchase_june",
         q(dimensions=["user"], filters=[where("event_name", "purchase")], time_range=JUNE,
           having=[above("event_count", 1)], count_groups=True)),
    Case("count_users_with_revenue_over_100", q(dimensions=["user"], having=[above("revenue", 100)],
                                                count_groups=True)),
    Case("count_ios_users_with_more_than_20_sessions_may",
         q(dimensions=["user"], filters=[where("platform", "iOS")], time_range=MAY,
           having=[above("sessions", 20)], count_groups=True)),
    # one metric divided by another (divide)
    Case("divide_feb_cohort_paying_share",
         q(metrics=[], divide=["paying_users", "installs"], cohort=Cohort(install_range=FEB))),
    Case("divide_paying_per_active_june", q(divide=["paying_users", "active_users"], time_range=JUNE)),
    Case("divide_revenue_per_install_by_source_june",
         q(divide=["revenue", "installs"], dimensions=["media_source"], time_range=JUNE), 1),
    # a cohort's own rows (its installs) are bounded by the cohort, not by the activity period
    Case("divide_jan_cohort_revenue_per_install_in_june",
         q(divide=["revenue", "installs"], time_range=JUNE, cohort=Cohort(install_range=JAN))),
    Case("divide_q1_cohorts_active_share_in_june",
         q(divide=["active_users", "installs"], time_range=JUNE,
           cohort=Cohort(install_range=Q1, grain="month")),
         1),
    Case("divide_april_cohort_purchasers_in_may",
         q(divide=["active_users", "installs"], filters=[where("event_name", "purchase")], time_range=MAY,
           cohort=Cohort(install_range=APR))),
    # named periods compared side by side: the query once per period
    Case("periods_installs_january_vs_june", q(metrics=["installs"], periods=[JAN, JUNE]), 1),
    Case("periods_top_2_sources_by_cost_q1_vs_q2",
         q(metrics=["cost", "cpi"], dimensions=["media_source"], order_by=[OrderBy(field="cost")], limit=2,
           periods=[Q1, Q2]), 2, ordered=True),
    Case("periods_daily_average_cost_april_vs_june",
         q(metrics=["cost"], per_period="day", periods=[APR, JUNE]), 1),
)


def gold_sql(case: Case, base_views: dict, dialect: str) -> str:
    return f"WITH {base_views[dialect]}, {FEATURE_VIEWS[dialect]} {FEATURE_GOLD[case.name]}"
