"""The labelled dev set: each question's plan must carry the expected semantic query fields."""
from __future__ import annotations

import pytest
from offline_cases import load_dev_set, plan_conversation

from app.engine.planning.plan import ClarificationPlan, RefusalPlan, SemanticQueryPlan, ToolCallPlan

CASES = load_dev_set()


def _expected_fields(plan: SemanticQueryPlan, expected: dict) -> dict:
    """The plan's contract fields named in ``expected``, normalized for comparison."""
    contract = plan.query.to_contract()
    got = {}
    for key in expected:
        value = contract[key]
        if key == "filters":
            value = sorted(value)
        if key == "time_range" and value is not None:
            value = [str(v) for v in value]
        got[key] = value
    return got


def _normalized(expected: dict) -> dict:
    out = {}
    for key, value in expected.items():
        if key == "filters":
            value = sorted(value)
        if key == "time_range" and value is not None:
            value = [str(v) for v in value]
        if key == "order_by":
            value = [list(pair) for pair in value]
        out[key] = value
    return out


def _ids(cases):
    return [c["q"] for c in cases]


@pytest.mark.parametrize("case", CASES["semantic"] + CASES["followups"],
                         ids=_ids(CASES["semantic"] + CASES["followups"]))
def test_semantic_query(planner, case):
    plan = plan_conversation(planner, case.get("conversation", []), case["q"])
    assert isinstance(plan, SemanticQueryPlan), f"{case['q']!r} gave {plan!r}"
    expected = _normalized(case["query"])
    assert _expected_fields(plan, expected) == expected
    if "chart" in case:
        assert plan.chart == case["chart"]
    if "intent" in case:
        assert plan.intent == case["intent"]


@pytest.mark.parametrize("case", CASES["refusals"], ids=_ids(CASES["refusals"]))
def test_refusal(planner, case):
    plan = plan_conversation(planner, [], case["q"])
    assert isinstance(plan, RefusalPlan), f"{case['q']!r} gave {plan!r}"
    assert plan.category == case["refuse"]


@pytest.mark.parametrize("case", CASES["not_refused"], ids=_ids(CASES["not_refused"]))
def test_legit_question_with_a_scary_word_is_not_refused(planner, case):
    """A scary word ("drop", "update", "weather") is no reason to refuse; the planner answers, or asks
    when part of the question is not in the data ("the weather-related dip"); "why did installs drop"
    calls explain_change (docs/insights.md)."""
    plan = plan_conversation(planner, [], case["q"])
    answered = (SemanticQueryPlan, ClarificationPlan, ToolCallPlan)
    assert isinstance(plan, answered), f"{case['q']!r} gave {plan!r}"


@pytest.mark.parametrize("case", CASES["clarifications"], ids=_ids(CASES["clarifications"]))
def test_clarification_without_metric_or_referent(planner, case):
    plan = plan_conversation(planner, case.get("conversation", []), case["q"])
    assert isinstance(plan, ClarificationPlan), f"{case['q']!r} gave {plan!r}"
    assert plan.options and plan.confidence < 0.85


@pytest.mark.parametrize("case", CASES["predictions"], ids=_ids(CASES["predictions"]))
def test_prediction_routing(planner, case):
    plan = plan_conversation(planner, [], case["q"])
    assert isinstance(plan, ToolCallPlan), f"{case['q']!r} gave {plan!r}"
    assert plan.tool == case["tool"]["name"]
    for key, value in case["tool"]["arguments"].items():
        assert plan.arguments.get(key) == value, key


@pytest.mark.parametrize("case", CASES["counts"], ids=_ids(CASES["counts"]))
def test_entity_count_as_a_distinct_count(planner, case):
    plan = plan_conversation(planner, [], case["q"])
    assert isinstance(plan, SemanticQueryPlan), f"{case['q']!r} gave {plan!r}"
    assert plan.query.metrics == (case["metric"],) and not plan.query.dimensions


def test_dev_set_is_large_enough():
    total = sum(len(cases) for cases in CASES.values())
    assert total >= 150, total
