"""A thumbs-up teaches its own tenant only: through the real API, with two API keys, the real
retrieval store (chromadb, MiniLM) and an LLM planner served by a local OpenAI-format stub
that follows the few-shot examples it is shown (tests/engine/planning/llm/few_shot_stub.py)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "engine" / "planning" / "llm"))

from few_shot_stub import MARKER, OWN_QUERY, TAUGHT, FewShotFollowingModel, llm_settings

ACME, GLOBEX = "a" * 30, "g" * 30


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_thumbs_up_reaches_its_own_tenants_retrieval_and_answers_only(make_client):
    with FewShotFollowingModel() as model:
        client = make_client(api_keys=f"acme:{ACME},globex:{GLOBEX}", **llm_settings(model))

        def ask(question: str, key: str) -> dict:
            response = client.post("/api/v1/ask", json={"question": question}, headers=bearer(key))
            assert response.status_code == 200, response.text
            return response.json()

        taught = ask(TAUGHT, ACME)
        assert taught["status"] == "answered" and "campaign_name" in taught["sql"]
        rated = client.post("/api/v1/feedback", json={"answer_id": taught["answer_id"], "rating": "up"},
                            headers=bearer(ACME))
        assert rated.status_code == 200 and rated.json()["verified_example_id"]
        model.own_query = OWN_QUERY

        other = ask(f"which {MARKER} campaigns had the most android installs in june?", GLOBEX)
        assert MARKER not in model.planning_prompts()[-1]  # globex's retrieved context
        assert other["status"] == "answered" and other["cached"] is False
        assert other["sql"] != taught["sql"] and "Android" not in other["sql"]  # its own plan, not acme's

        again = ask(f"top {MARKER} campaigns by Android installs in May 2026", ACME)  # May: no cache hit
        assert again["cached"] is False
        assert TAUGHT in model.planning_prompts()[-1]  # acme's own example is retrieved
        assert again["sql"] == taught["sql"]

        before = len(model.planning_prompts())
        other_again = ask(TAUGHT, GLOBEX)  # even the very question acme taught
        assert all(MARKER not in prompt for prompt in model.planning_prompts()[before:])
        assert other_again["sql"] != taught["sql"]
