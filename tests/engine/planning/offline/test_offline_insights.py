"""Why-did-it-change questions are routed to explain_change (anomaly questions to
detect_anomalies) with the metric, periods and filters; look-alikes that only show a change
are not sent to it."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.planning.plan import PlanningContext, ToolCallPlan

CONTEXT = PlanningContext(as_of=dt.date(2026, 7, 1))


@pytest.mark.parametrize(("question", "expected"), [
    ("why did installs drop on June 16?",
     {"metric": "installs", "current_start": "2026-06-16", "current_end": "2026-06-16"}),
    ("why did installs drop on June 16 compared with June 9",
     {"metric": "installs", "current_start": "2026-06-16", "current_end": "2026-06-16",
      "baseline_start": "2026-06-09", "baseline_end": "2026-06-09"}),
    ("what drove the rise in fraud rate in April",
     {"metric": "fraud_rate", "current_start": "2026-04-01", "current_end": "2026-04-30"}),
    ("why did CPI go up in March vs February",
     {"metric": "cpi", "current_start": "2026-03-01", "current_end": "2026-03-31",
      "baseline_start": "2026-02-01", "baseline_end": "2026-02-28"}),
    ("explain the change in revenue in June",
     {"metric": "revenue", "current_start": "2026-06-01", "current_end": "2026-06-30"}),
    ("why did installs drop last week",
     {"metric": "installs", "current_start": "2026-06-22", "current_end": "2026-06-28"}),
    ("why did installs fall",  # no period: the last seven complete days
     {"metric": "installs", "current_start": "2026-06-24", "current_end": "2026-06-30"}),
    ("why did iOS installs fall yesterday",
     {"metric": "installs", "current_start": "2026-06-30", "current_end": "2026-06-30",
      "filters": [{"dimension": "platform", "op": "=", "values": ["iOS"]}]}),
])
def test_why_questions_call_explain_change(planner, question, expected):
    plan = planner.plan(question, CONTEXT)
    assert isinstance(plan, ToolCallPlan) and plan.tool == "explain_change", plan
    assert plan.arguments == expected
    assert plan.confidence >= planner.answer_threshold


@pytest.mark.parametrize("question", [
    "show the drop in revenue last week",
    "which campaigns had their cost drop the most",
    "drop in installs by week this year",
    "how did revenue change in June",
    "change in revenue from May to June by platform",
])
def test_questions_that_show_a_change_are_not_asked_for_a_cause(planner, question):
    plan = planner.plan(question, CONTEXT)
    assert not isinstance(plan, ToolCallPlan), plan


def test_anomaly_questions_are_routed_with_metric_period_and_filters(planner):
    plan = planner.plan("any anomalies in iOS installs this year?", CONTEXT)
    assert isinstance(plan, ToolCallPlan) and plan.tool == "detect_anomalies"
    assert plan.arguments == {"metric": "installs", "start": "2026-01-01", "end": "2026-06-30",
                              "filters": [{"dimension": "platform", "op": "=", "values": ["iOS"]}]}


@pytest.mark.parametrize(("question", "expected"), [
    ("what will installs be next week?", {"metric": "installs", "start": "2026-07-06", "horizon": 7}),
    ("spend forecast for July by media source",
     {"metric": "cost", "start": "2026-07-01", "horizon": 31, "dimensions": ["media_source"]}),
    ("forecast revenue for the next 14 days", {"metric": "revenue", "start": "2026-07-01", "horizon": 14}),
    ("projected DAU next month", {"metric": "dau", "start": "2026-08-01", "horizon": 31}),
    ("how many installs will we get over the next two weeks",
     {"metric": "installs", "start": "2026-07-01", "horizon": 14}),
    ("forecast installs by week for the next 8 weeks",
     {"metric": "installs", "start": "2026-07-01", "horizon": 8, "grain": "week"}),
    ("what will iOS revenue be tomorrow",
     {"metric": "revenue", "start": "2026-07-02", "horizon": 1,
      "filters": [{"dimension": "platform", "op": "=", "values": ["iOS"]}]}),
    ("forecast revenue", {"metric": "revenue", "start": "2026-07-01", "horizon": 14}),  # no period: 14 days
])
def test_forecast_questions_call_forecast(planner, question, expected):
    plan = planner.plan(question, CONTEXT)
    assert isinstance(plan, ToolCallPlan) and plan.tool == "forecast", plan
    assert plan.arguments == expected
    assert plan.confidence >= planner.answer_threshold


@pytest.mark.parametrize("question", [
    "Sum of predicted p50 LTV for everyone who installed in June",  # a prediction, not a forecast
    "expected installs in June",  # June is past: no period ahead for a weak word
    "installs next to revenue by platform",
])
def test_look_alikes_are_not_forecasts(planner, question):
    plan = planner.plan(question, CONTEXT)
    assert not (isinstance(plan, ToolCallPlan) and plan.tool == "forecast"), plan


ANOMALIES = ToolCallPlan(tool="detect_anomalies", arguments={
    "metric": "revenue", "start": "2026-04-01", "end": "2026-06-30", "grain": "week",
    "filters": [{"dimension": "platform", "op": "=", "values": ["iOS"]}]})


@pytest.mark.parametrize(("question", "which"), [
    ("why?", "biggest"), ("why did that happen?", "biggest"), ("what caused the first one?", "first"),
    ("and the latest one, why?", "last"), ("why did revenue drop?", "biggest"),
])
def test_why_after_anomalies_explains_one_of_them(planner, question, which):
    context = PlanningContext(as_of=dt.date(2026, 7, 1), previous_plans=(ANOMALIES,))
    plan = planner.plan(question, context)
    assert isinstance(plan, ToolCallPlan) and plan.tool == "explain_change", plan
    assert plan.arguments == {"metric": "revenue", "current_start": "2026-04-01", "current_end": "2026-06-30",
                              "anomaly": {"which": which, "grain": "week"},
                              "filters": ANOMALIES.arguments["filters"]}


def test_why_elsewhere_is_not_an_anomaly_followup(planner):
    context = PlanningContext(as_of=dt.date(2026, 7, 1), previous_plans=(ANOMALIES,))
    other = planner.plan("why did installs drop on March 10?", context)  # another metric, a date
    assert other.tool == "explain_change" and "anomaly" not in other.arguments
    alone = planner.plan("why?", CONTEXT)  # nothing before it
    assert not isinstance(alone, ToolCallPlan)


def test_anomalies_by_a_dimension_look_at_each_segment(planner):
    plan = planner.plan("anomalies in installs by country this year", CONTEXT)
    assert plan.tool == "detect_anomalies" and plan.arguments["dimensions"] == ["country"]
