"""An OpenAI-format stub model that follows a verified few-shot example, as real models do.

Used by the tenant-isolation tests of learned examples (tests/interfaces/api,
tests/interfaces/slack): it plans
``own_query`` unless the planner prompt's examples section quotes the taught question's
marker word; then it answers the way that example did. So an example that leaked into
another tenant's prompt would show in that tenant's answer, not only in its prompt.
"""
from __future__ import annotations

from typing import Any

from pydantic import SecretStr
from stub_servers import RecordedRequest, StubLLMServer, StubReply, openai_text, openai_tool_call

MARKER = "zorblax"
TAUGHT = f"Which {MARKER} campaigns brought the most Android installs in June 2026?"
# What the taught answer computed (and its example teaches): Android installs per campaign.
TAUGHT_QUERY: dict[str, Any] = {
    "metrics": ["installs"], "dimensions": ["campaign_name"],
    "filters": [{"dimension": "platform", "op": "=", "values": ["Android"]}],
    "time_range": ["2026-06-01", "2026-06-30"], "order_by": [["installs", "desc"]], "limit": 5}
# What the model plans with no example to follow: all installs of a month.
OWN_QUERY: dict[str, Any] = {"metrics": ["installs"], "time_range": ["2026-05-01", "2026-05-31"]}


class FewShotFollowingModel(StubLLMServer):
    def __init__(self, own_query: dict[str, Any] = TAUGHT_QUERY):
        super().__init__([])
        self.own_query = own_query

    def next_reply(self, request: RecordedRequest) -> StubReply:
        with self._lock:
            self.requests.append(request)
        if "tools" not in request.body:  # the narrator's call
            return openai_text("Here is what the data says.")
        follows = MARKER in examples_section(request)
        return openai_tool_call("query_metrics", TAUGHT_QUERY if follows else self.own_query)

    def planning_prompts(self) -> list[str]:
        """The examples section of each planning call's system prompt, in order."""
        return [examples_section(r) for r in self.requests if "tools" in r.body]


def examples_section(request: RecordedRequest) -> str:
    system = request.body["messages"][0]["content"]
    return system.split("## Examples of questions", 1)[1].split("## Previous turns", 1)[0]


def llm_settings(model: FewShotFollowingModel) -> dict[str, Any]:
    """Settings that make the assistant plan with this stub (so it retrieves context)."""
    return {"planner": "llm", "llm_provider": "openai", "llm_model": "gpt-4o-mini",
            "llm_base_url": model.url, "llm_api_key": SecretStr("sk-test")}
