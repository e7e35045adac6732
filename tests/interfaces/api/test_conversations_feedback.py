"""Conversations (create, list, get with turns, delete) and feedback (verified example, cache eviction)."""
from __future__ import annotations

from appdb.feedback import list_feedback


def test_conversation_lifecycle(make_client):
    client = make_client()
    created = client.post("/api/v1/conversations")
    assert created.status_code == 201
    conversation = created.json()["conversation_id"]
    first = client.post("/api/v1/ask", json={"question": "installs by platform last month",
                                             "conversation_id": conversation}).json()
    client.post("/api/v1/ask", json={"question": "just iOS", "conversation_id": conversation})
    listed = client.get("/api/v1/conversations").json()
    assert [(c["conversation_id"], c["title"], c["turn_count"]) for c in listed] == [
        (conversation, "installs by platform last month", 2)]
    turns = client.get(f"/api/v1/conversations/{conversation}").json()["turns"]
    assert [t["question"] for t in turns] == ["installs by platform last month", "just iOS"]
    assert turns[0]["answer"]["rows"] == first["rows"] and turns[0]["answer_id"] == first["answer_id"]
    assert client.delete(f"/api/v1/conversations/{conversation}").status_code == 204
    gone = client.get(f"/api/v1/conversations/{conversation}")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"
    assert client.delete(f"/api/v1/conversations/{conversation}").status_code == 404
    assert client.get("/api/v1/conversations").json() == []


def test_thumbs_up_becomes_a_verified_retrieval_example(make_client, tmp_path):
    client = make_client()
    answer = client.post("/api/v1/ask", json={"question": "spend by media source last month"}).json()
    rated = client.post("/api/v1/feedback", json={"answer_id": answer["answer_id"], "rating": "up",
                                                  "comment": "exactly right"})
    assert rated.status_code == 200
    example_id = rated.json()["verified_example_id"]
    api = client.app.state.api
    store = api.feedback.retrieval_for(client.app.state.asklytics.assistant())
    example = store.get(example_id, scope="default")  # no API key: the loopback default's scope
    assert example is not None and example.kind == "example" and example.scope == "default"
    assert "spend by media source last month" in example.text
    hits = store.search("spend by media source last month", scope="default", kinds=["example"], k=3)
    assert example_id in [hit.id for hit in hits]
    with api.database.connect() as connection:
        logged = list_feedback(connection)  # newest first, from the application database
    assert logged[0]["rating"] == "up" and logged[0]["comment"] == "exactly right"


def test_thumbs_down_evicts_the_cached_answer(make_client):
    client = make_client()
    question = {"question": "installs by platform last month"}
    client.post("/api/v1/ask", json=question)
    repeated = client.post("/api/v1/ask", json=question).json()
    assert repeated["cached"] is True
    rated = client.post("/api/v1/feedback", json={"answer_id": repeated["answer_id"], "rating": "down",
                                                  "corrected_sql": "SELECT 1"}).json()
    assert rated["evicted"] is True and rated["verified_example_id"] is None
    assert client.post("/api/v1/ask", json=question).json()["cached"] is False


def test_feedback_on_an_unknown_answer_is_a_404(make_client):
    response = make_client().post("/api/v1/feedback",
                                  json={"answer_id": "a-0000000000000000", "rating": "up"})
    assert response.status_code == 404 and "no recent answer" in response.json()["error"]["message"]


def test_thumbs_up_on_a_refusal_learns_nothing(make_client):
    client = make_client()
    refused = client.post("/api/v1/ask", json={"question": "drop table campaigns"}).json()
    assert refused["status"] == "refused"
    rated = client.post("/api/v1/feedback", json={"answer_id": refused["answer_id"], "rating": "up"}).json()
    assert rated["verified_example_id"] is None
