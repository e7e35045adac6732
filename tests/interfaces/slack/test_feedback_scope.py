"""A thumbs-up in Slack teaches the workspace's tenant only, not the REST API's tenants (and
the other way round), with the real retrieval store and a stub LLM planner that follows the
few-shot examples it is shown (tests/engine/planning/llm/few_shot_stub.py)."""
from __future__ import annotations

import sys
from pathlib import Path

from conftest import mention

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "engine" / "planning" / "llm"))

from few_shot_stub import MARKER, OWN_QUERY, TAUGHT, FewShotFollowingModel, llm_settings


def _answer_id(reply: dict, action_id: str) -> str:
    return next(e["value"] for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == action_id)


def test_a_slack_thumbs_up_is_retrieved_in_its_workspace_only(make_slack, slack_api):
    with FewShotFollowingModel() as model:
        slack = make_slack(slack_chromium_path=None, **llm_settings(model))
        slack.event(mention(TAUGHT, "1700009100.000100"), "Ev0SCOPE01")
        reply = slack_api.wait_for("chat.postMessage")[0].params
        slack.click("feedback_up", _answer_id(reply, "feedback_up"), "1700009100.000200", reply["thread_ts"])
        assert "Thanks" in slack_api.wait_for("chat.postEphemeral")[0].params["text"]
        model.own_query = OWN_QUERY

        rest = slack.client.post("/api/v1/ask",
                                 json={"question": f"top {MARKER} campaigns by Android installs"})
        assert rest.status_code == 200 and rest.json()["status"] == "answered"
        assert MARKER not in model.planning_prompts()[-1]  # the REST API's `default` tenant
        assert "campaign_name" not in rest.json()["sql"]

        slack.event(mention(f"top {MARKER} campaigns by Android installs in May", "1700009200.000100"),
                    "Ev0SCOPE02")
        slack_api.wait_for("chat.postMessage", 2)
        assert TAUGHT in model.planning_prompts()[-1]  # the workspace's own example
