"""Casual phrasings the offline planner reads by rule, each with the look-alike it must not change.

Questions are written from shared/spec/demo-warehouse.md (as_of 2026-07-01), in words other than
the eval suites' own; each rule has at least one negative case next to it.
"""
from __future__ import annotations

import pytest
from offline_cases import plan_conversation
from test_offline_dev_set import _expected_fields, _normalized

from app.engine.planning.plan import SemanticQueryPlan

JUNE = ["2026-06-01", "2026-06-30"]
MAY = ["2026-05-01", "2026-05-31"]

CASES = [
    # a rhetorical "isn't/aren't X ..." asks about X; a subject before the verb still negates
    (
        "isn't snapchat cpi kinda high in may",
        {"metrics": ["cpi"], "filters": ["media_source = 'Snapchat'"], "time_range": MAY},
    ),
    (
        "so aren't ios installs kinda low last mo",
        {"metrics": ["installs"], "filters": ["platform = 'iOS'"], "time_range": JUNE},
    ),
    ("installs not from TikTok", {"metrics": ["installs"], "filters": ["media_source != 'TikTok'"]}),
    (
        "installs where the source isn't TikTok",
        {"metrics": ["installs"], "filters": ["media_source != 'TikTok'"]},
    ),
    # "subs" are subscription starts; "last mo" is last month
    (
        "subs by platform last mo",
        {
            "metrics": ["event_count"],
            "dimensions": ["platform"],
            "filters": ["event_name = 'subscription_start'"],
            "time_range": JUNE,
        },
    ),
    (
        "how many new subscribers from tiktok in may",
        {
            "metrics": ["event_count"],
            "filters": ["event_name = 'subscription_start'", "media_source = 'TikTok'"],
            "time_range": MAY,
        },
    ),
    # an "X-wise" word is the subject of the metric named beside it, and a metric when alone
    (
        "which networks are sketchy fraud-wise in may",
        {"metrics": ["fraud_rate"], "dimensions": ["media_source"], "time_range": MAY},
    ),
    ("how are we doing revenue-wise in may", {"metrics": ["revenue"], "time_range": MAY}),
    # an N given after the superlative ("... the most spend? top 3")
    (
        "which countries ate the most spend in may? top 3",
        {"metrics": ["cost"], "dimensions": ["country"], "order_by": [["cost", "desc"]], "limit": 3},
    ),
    (
        "which country got the most installs in may",
        {"metrics": ["installs"], "dimensions": ["country"], "order_by": [["installs", "desc"]], "limit": 1},
    ),
    # of two superlatives, the one right before the metric sets the direction
    (
        "which 3 sources are wasting the most money? lowest roas in may",
        {"metrics": ["roas"], "dimensions": ["media_source"], "order_by": [["roas", "asc"]], "limit": 3},
    ),
    (
        "top 5 campaigns by highest roas in may",
        {"metrics": ["roas"], "dimensions": ["campaign_name"], "order_by": [["roas", "desc"]], "limit": 5},
    ),
    # people counted doing something are distinct users, not events
    (
        "how many iOS users opened the app in may",
        {
            "metrics": ["active_users"],
            "filters": ["event_name = 'session_start'", "platform = 'iOS'"],
            "time_range": MAY,
        },
    ),
    (
        "how many players completed the tutorial in may",
        {"metrics": ["active_users"], "filters": ["event_name = 'tutorial_complete'"], "time_range": MAY},
    ),
    ("how many sessions did users have in may", {"metrics": ["sessions"], "time_range": MAY}),
    (
        "number of tutorial completions in may",
        {"metrics": ["event_count"], "filters": ["event_name = 'tutorial_complete'"], "time_range": MAY},
    ),
    # "on a typical day" is daily active users
    ("active users on a typical day in may", {"metrics": ["dau"], "time_range": MAY}),
    ("active users in may", {"metrics": ["active_users"], "time_range": MAY}),
    # "without ads" is organic
    (
        "installs with no ads on ios in may",
        {
            "metrics": ["installs"],
            "time_range": MAY,
            "filters": ["acquisition_type = 'organic'", "platform = 'iOS'"],
        },
    ),
    # "what kinds of fraud" groups by fraud type
    (
        "what sorts of fraud are we seeing on unity",
        {"metrics": ["fraud_installs"], "dimensions": ["fraud_type"], "filters": ["media_source = 'Unity'"]},
    ),
    # "split across A, B and C" compares them
    (
        "how did spend split across facebook, google and tiktok in may",
        {
            "metrics": ["cost"],
            "dimensions": ["media_source"],
            "filters": ["media_source IN ('Facebook', 'Google', 'TikTok')"],
            "time_range": MAY,
        },
    ),
    (
        "spend on facebook, google and tiktok in may",
        {
            "metrics": ["cost"],
            "dimensions": [],
            "filters": ["media_source IN ('Facebook', 'Google', 'TikTok')"],
        },
    ),
    # installs beside a retention cue are its cohort, unless listed with it
    (
        "do people from tiktok come back the next day? june installs",
        {"metrics": ["retention_d1"], "filters": ["media_source = 'TikTok'"], "time_range": JUNE},
    ),
    (
        "installs and retention by country",
        {"metrics": ["installs", "retention_d1", "retention_d7", "retention_d30"], "dimensions": ["country"]},
    ),
    # a comparative between listed alternatives shows them all; a superlative picks one
    (
        "which source has more installs, tiktok or facebook?",
        {"metrics": ["installs"], "dimensions": ["media_source"], "limit": None},
    ),
    (
        "which source has the most installs",
        {"metrics": ["installs"], "dimensions": ["media_source"], "limit": 1},
    ),
    # money that "went into" something, and the budget, are spend;
    # people who "went into" something are not
    (
        "how much has gone into tiktok this year",
        {"metrics": ["cost"], "filters": ["media_source = 'TikTok'"]},
    ),
    (
        "how much of the budget did snapchat use in may",
        {"metrics": ["cost"], "filters": ["media_source = 'Snapchat'"]},
    ),
    (
        "how many users went into the tutorial in may",
        {"metrics": ["active_users"], "filters": ["event_name = 'tutorial_complete'"]},
    ),
    # an install word is the metric when nothing else is asked ("folks in Brazil installed")
    (
        "how many people from facebook installed in may",
        {"metrics": ["installs"], "filters": ["media_source = 'Facebook'"], "time_range": MAY},
    ),
    ("D7 retention for installs in May", {"metrics": ["retention_d7"], "time_range": MAY}),
]


@pytest.mark.parametrize(("question", "expected"), CASES, ids=[q for q, _ in CASES])
def test_casual_rule(planner, question, expected):
    plan = plan_conversation(planner, [], question)
    assert isinstance(plan, SemanticQueryPlan), f"{question!r} gave {plan!r}"
    expected = _normalized(expected)
    assert _expected_fields(plan, expected) == expected


CONFIDENT = ["isn't tiktok roas kinda bad last mo", "on a typical day in may, how many people used the app?",
             "which networks are sketchy fraud-wise in may"]


@pytest.mark.parametrize("question", CONFIDENT)
def test_casual_rules_keep_confidence(planner, question):
    """The words these rules read are explained, so the plans stay above the router's threshold."""
    plan = plan_conversation(planner, [], question)
    assert isinstance(plan, SemanticQueryPlan) and plan.confidence >= 0.85, plan
