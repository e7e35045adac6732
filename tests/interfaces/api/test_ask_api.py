"""POST /ask and /ask/stream: the contract, SSE order, follow-ups, limits and error objects."""
from __future__ import annotations

import asyncio
import json

import pytest

CONTRACT_FIELDS = {
    "conversation_id", "question", "status", "answer", "sql", "columns", "rows", "row_count", "truncated",
    "chart", "semantic_query", "tool_calls", "clarification", "cached", "planner", "usage", "timings_ms",
    "error",
}


def parse_sse(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_ask_returns_the_answer_contract(shared_client):
    response = shared_client.post("/api/v1/ask", json={"question": "installs by platform last month"})
    assert response.status_code == 200
    body = response.json()
    assert CONTRACT_FIELDS <= set(body)
    assert body["status"] == "answered" and body["answer_id"].startswith("a-")
    assert sorted(row[0] for row in body["rows"]) == ["Android", "iOS"]


def test_stream_sends_the_steps_in_order_then_the_answer(shared_client):
    response = shared_client.post("/api/v1/ask/stream", json={"question": "installs by platform last month"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    assert [name for name, _ in events] == ["accepted", "plan", "sql", "rows", "chart", "answer", "done"]
    data = dict(events)
    assert data["sql"]["sql"] == data["answer"]["sql"]
    assert data["rows"]["rows"] == data["answer"]["rows"]
    assert data["done"]["answer_id"] == data["answer"]["answer_id"]


def test_stream_follow_up_keeps_the_conversation(shared_client):
    first = shared_client.post("/api/v1/ask", json={"question": "installs by platform last month"}).json()
    follow = shared_client.post("/api/v1/ask/stream", json={"question": "just iOS",
                                                            "conversation_id": first["conversation_id"]})
    answer = dict(parse_sse(follow.text))["answer"]
    assert answer["conversation_id"] == first["conversation_id"]
    ios = next(row[1] for row in first["rows"] if row[0] == "iOS")
    assert answer["rows"] == [[ios]]


def test_refusal_is_a_200_answer_that_says_why(shared_client):
    body = shared_client.post("/api/v1/ask", json={"question": "delete all campaigns"}).json()
    assert body["status"] == "refused" and body["sql"] is None and body["answer"]


def test_too_long_question_is_a_422_error_object(make_client):
    client = make_client(max_question_length=50)
    response = client.post("/api/v1/ask", json={"question": "installs " * 10})
    assert response.status_code == 422
    assert response.json() == {"error": {"code": "question_too_long",
                                         "message": "The question is 90 characters; the limit is 50."}}
    streamed = client.post("/api/v1/ask/stream", json={"question": "installs " * 10})
    assert streamed.status_code == 422 and streamed.json()["error"]["code"] == "question_too_long"


def test_blank_or_missing_question_is_rejected_with_the_field_named(shared_client):
    blank = shared_client.post("/api/v1/ask", json={"question": "   "})
    missing = shared_client.post("/api/v1/ask", json={})
    assert blank.status_code == missing.status_code == 422
    error = blank.json()["error"]
    assert error["code"] == "invalid_request" and "question" in error["message"]
    assert shared_client.post("/api/v1/ask", json={"question": "\x1f?!"}).status_code == 422
    assert missing.json()["error"]["message"] == "question: Field required"


def test_body_over_the_cap_is_a_413_even_without_content_length(make_client):
    client = make_client(max_body_bytes=1000)
    big = json.dumps({"question": "x" * 2000}).encode()
    declared = client.post("/api/v1/ask", content=big, headers={"content-type": "application/json"})
    chunked = client.post("/api/v1/ask", content=iter([big[:600], big[600:]]),
                          headers={"content-type": "application/json"})
    for response in (declared, chunked):
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "body_too_large"


def test_unknown_route_and_method_are_error_objects(shared_client):
    assert shared_client.get("/api/v1/nope").json()["error"]["code"] == "not_found"
    response = shared_client.put("/api/v1/ask", json={"question": "x"})
    assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"


def test_cors_allows_only_configured_origins(make_client):
    client = make_client(cors_origins="https://dash.example.com")
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    allowed = client.options("/api/v1/ask", headers={"Origin": "https://dash.example.com", **preflight})
    denied = client.options("/api/v1/ask", headers={"Origin": "https://evil.example.com", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "https://dash.example.com"
    assert "access-control-allow-origin" not in denied.headers


def test_web_page_and_the_api_docs_have_a_csp(shared_client):
    page = shared_client.get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script src=\"/static/app.js\"" in page.text
    assert shared_client.get("/static/plotly.min.js").headers["content-type"].startswith("text/javascript")
    assert shared_client.get("/static/../settings.py").status_code == 404
    assert "script-src 'self'" in shared_client.get("/docs").headers["content-security-policy"]


def test_catalog_and_suggestions(shared_client):
    metrics = {m["name"]: m for m in shared_client.get("/api/v1/metrics").json()}
    assert metrics["roas"]["units"] == "ratio" and "return on ad spend" in metrics["roas"]["synonyms"]
    suggestions = shared_client.get("/api/v1/suggestions", params={"limit": 8}).json()
    assert len(suggestions) == 8 and all(s["metric"] in metrics for s in suggestions)


def test_every_suggestion_is_answered(shared_client):
    for suggestion in shared_client.get("/api/v1/suggestions", params={"limit": 8}).json():
        answer = shared_client.post("/api/v1/ask", json={"question": suggestion["question"]}).json()
        assert answer["status"] == "answered", (suggestion["question"], answer["answer"])
        assert suggestion["metric"] in answer["semantic_query"]["metrics"], suggestion["question"]


@pytest.mark.parametrize(("code", "status"), [("llm_unavailable", 502), ("llm_plan_failed", 502),
                                              ("llm_not_configured", 503), ("query_timeout", 504)])
def test_an_llm_or_engine_failure_has_a_status_that_says_whose_fault_it_is(code, status):
    from app.engine.contract import Answer, ErrorOut
    from app.interfaces.api.asking import http_status

    answer = Answer(conversation_id="c-1", question="q", status="error",
                    error=ErrorOut(code=code, message="m"))
    assert http_status(answer) == status


@pytest.mark.parametrize("path", ["/api/v1/ask", "/api/v1/ask/stream"])
def test_the_answer_log_is_written_off_the_event_loop_before_the_reply(shared_client, monkeypatch, path):
    """The log's commit (a sync to disk) ran on the event loop, holding up every other request; it
    runs in the answer's worker thread now, and the row is there when the reply arrives."""
    from app.interfaces.shared.answer_log import AnswerLog

    on_the_loop = []
    real = AnswerLog.add

    def spy(self, answer, scope, **kwargs):
        try:
            asyncio.get_running_loop()
            on_the_loop.append(True)
        except RuntimeError:  # a worker thread runs no event loop
            on_the_loop.append(False)
        return real(self, answer, scope, **kwargs)

    monkeypatch.setattr(AnswerLog, "add", spy)
    response = shared_client.post(path, json={"question": "installs by platform last month"})
    answer = response.json() if path.endswith("/ask") else dict(parse_sse(response.text))["answer"]
    assert on_the_loop == [False]
    logged = shared_client.app.state.api.answers.get(answer["answer_id"], "default")
    assert logged is not None and logged.sql == answer["sql"]
