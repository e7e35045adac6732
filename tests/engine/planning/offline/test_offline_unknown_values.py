"""A value the data does not have never disappears from a plan (issue #15, item 7).

"revenue for country ZZ last month" used to answer the global total with confidence 0.83. Every
phrasing of "<dimension> <value the data lacks>" now gets a clarification that names the closest
values; the look-alikes (groupings, populations, real values) still answer.
"""
from __future__ import annotations

import pytest
from offline_cases import plan_conversation

from app.engine.planning.plan import ClarificationPlan, SemanticQueryPlan

UNKNOWN = [
    ("revenue for country ZZ last month", "country", "ZZ"),
    ("installs in country XQ", "country", "XQ"),
    ("How much did we spend in country 'Narnia' in May?", "country", "Narnia"),
    ("installs from media source Foobar", "media_source", "Foobar"),
    ("ROAS of the source MySpaceAds last month", "media_source", "MySpaceAds"),
    ("spend for campaign Blah_Blah last month", "campaign_name", "Blah_Blah"),
    ("clicks for the campaign named 'Summer Blast'", "campaign_name", "Summer Blast"),
    ("cpi for campaign = Winter_Promo_2026", "campaign_name", "Winter_Promo_2026"),
    ("installs for platform windows", "platform", "windows"),
    ("impressions on channel radio in june", "channel", "radio"),
    ("ctr for ad format carousel", "ad_format", "carousel"),
    ("fraud rate for fraud type phishing", "fraud_type", "phishing"),
]


@pytest.mark.parametrize(("question", "dimension", "written"), UNKNOWN, ids=[c[0] for c in UNKNOWN])
def test_an_unknown_value_is_asked_about_not_dropped(planner, question, dimension, written):
    plan = plan_conversation(planner, [], question)
    assert isinstance(plan, ClarificationPlan), f"{question!r} gave {plan!r}"
    assert f"“{written}”" in plan.question
    assert dimension.replace("_", " ") in plan.question
    assert plan.options, "the clarification offers values the data has"


def test_a_close_value_is_suggested(planner):
    plan = plan_conversation(planner, [], "installs from media source Tiktak last week")
    # "Tiktak" is a typo the value matcher already reads as TikTok: it is applied, not dropped
    if isinstance(plan, SemanticQueryPlan):
        assert "media_source = 'TikTok'" in [f.to_text() for f in plan.query.filters]
    else:
        assert "TikTok" in plan.options


def test_a_misspelt_country_is_read_as_the_close_value_and_kept(planner):
    plan = plan_conversation(planner, [], "revenue for country Brasill")
    assert isinstance(plan, SemanticQueryPlan)
    assert [f.to_text() for f in plan.query.filters] == ["country = 'BR'"]
    assert plan.confidence < 0.85  # a guessed value is not sure


def test_the_closest_real_value_is_offered(planner):
    plan = plan_conversation(planner, [], "installs for platform iOSX")
    assert isinstance(plan, ClarificationPlan)
    assert plan.options == ("iOS",)


def test_a_followup_with_an_unknown_value_is_asked_about(planner):
    plan = plan_conversation(planner, ["installs by platform last month"], "what about country XY?")
    assert isinstance(plan, ClarificationPlan)
    assert "“XY”" in plan.question


LOOK_ALIKES = [
    ("installs by country last month", {"dimensions": ["country"]}),
    ("revenue for country DE last month", {"filters": ["country = 'DE'"]}),
    ("which country had the most installs", {"dimensions": ["country"]}),
    ("installs per country excluding US", {"filters": ["country != 'US'"]}),
    ("cost per install for campaigns targeting Japan", {"filters": ["country = 'JP'"]}),
    ("spend per campaign in june", {"dimensions": ["campaign_name"]}),
    ("revenue by media source for ios", {"filters": ["platform = 'iOS'"]}),
    ("installs for each platform and country", {"dimensions": ["platform", "country"]}),
    ("top campaign by roas", {"dimensions": ["campaign_name"]}),
]


@pytest.mark.parametrize(("question", "expected"), LOOK_ALIKES, ids=[c[0] for c in LOOK_ALIKES])
def test_groupings_populations_and_real_values_still_answer(planner, question, expected):
    plan = plan_conversation(planner, [], question)
    assert isinstance(plan, SemanticQueryPlan), f"{question!r} gave {plan!r}"
    filters = [f.to_text() for f in plan.query.filters]
    for dimension in expected.get("dimensions", []):
        assert dimension in plan.query.dimensions
    for text in expected.get("filters", []):
        assert text in filters
