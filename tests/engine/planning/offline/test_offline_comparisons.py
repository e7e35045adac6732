"""Two periods in one question: compared, or asked about -- never one of them answered alone (#17)."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.planning.plan import PlanningContext

AS_OF = PlanningContext(as_of=dt.date(2026, 7, 1))


def test_two_periods_as_alternatives_of_a_comparative_are_compared(planner):
    plan = planner.plan("was CPI higher in Q1 or Q2?", AS_OF)
    assert plan.kind == "semantic_query"
    assert plan.query.time_range == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert "metric_time" in plan.query.dimensions and plan.query.grain == "quarter"


def test_two_periods_without_a_comparative_are_one_span(planner):
    plan = planner.plan("installs in May or June", AS_OF)
    assert plan.kind == "semantic_query" and "metric_time" not in plan.query.dimensions


def test_a_comparison_the_plan_cannot_make_is_asked_about(planner):
    plan = planner.plan("daily installs in January compared with June", AS_OF)
    assert plan.kind == "clarification"
    assert "could not compare 2026-01-01 to 2026-01-31 with 2026-06-01 to 2026-06-30" in plan.question


JANUARY, JUNE = (dt.date(2026, 1, 1), dt.date(2026, 1, 31)), (dt.date(2026, 6, 1), dt.date(2026, 6, 30))


@pytest.mark.parametrize(("question", "metrics", "per_period"), [
    ("average DAU in January compared with June", ("dau",), None),
    ("installs in January vs June", ("installs",), None),
    ("average daily spend in June vs January", ("cost",), "day"),
])
def test_two_named_periods_apart_are_each_answered(planner, question, metrics, per_period):
    plan = planner.plan(question, AS_OF)
    assert plan.kind == "semantic_query", getattr(plan, "question", plan)
    assert plan.query.periods == (JANUARY, JUNE) and plan.query.time_range is None
    assert plan.query.metrics == metrics and plan.query.per_period == per_period
    assert not plan.compare_previous


def test_a_cohorts_install_period_and_its_activity_period_are_both_used(planner):
    plan = planner.plan("iOS vs Android: June revenue from users installed in May", AS_OF)
    assert plan.kind == "semantic_query"
    assert plan.query.cohort.install_range == (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
