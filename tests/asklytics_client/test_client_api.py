"""``Client`` and ``AsyncClient`` against a running server: typed answers, streaming, catalog,
feedback, conversations, errors and retries."""
from __future__ import annotations

import httpx
import pytest
from live_server import run_async, serve

from app.settings import Settings
from asklytics_client import Answer, AsklyticsError, AsyncClient, Client

QUESTION = "Installs by platform last month"
CLIENT_KEY = "client-test-key-" + "c" * 24  # the key of conftest.py's server


@pytest.fixture(scope="module")
def expected(demo_sql) -> dict[str, int]:
    return dict(demo_sql.execute("SELECT platform, count(*) FROM installs WHERE CAST(install_time AS DATE) "
                                 "BETWEEN DATE '2026-06-01' AND DATE '2026-06-30' GROUP BY 1").fetchall())


@pytest.fixture()
def client(server):
    with Client(server.url, api_key=CLIENT_KEY) as client:
        yield client


def test_ask_returns_the_typed_answer_with_the_warehouse_numbers(client, expected):
    answer = client.ask(QUESTION)
    assert isinstance(answer, Answer) and answer.status == "answered"
    assert {r["platform"]: r["installs"] for r in answer.records()} == expected
    follow_up = client.ask("just iOS", conversation_id=answer.conversation_id)
    assert follow_up.conversation_id == answer.conversation_id
    assert [row[-1] for row in follow_up.rows] == [expected["iOS"]]


def test_stream_yields_the_steps_then_the_answer(client, expected):
    events = list(client.stream(QUESTION))
    names = [e.event for e in events]
    assert names[0] == "accepted" and names[-2:] == ["answer", "done"] and "sql" in names
    answer = events[-2].answer
    assert {row[0]: row[1] for row in answer.rows} == expected


def test_catalog_feedback_and_conversations(client):
    assert "roas" in {m.name for m in client.metrics()}
    assert client.suggestions(limit=2) and len(client.suggestions(limit=2)) == 2
    assert "installs" in {t["name"] for t in client.schema()["tables"]}
    answer = client.ask(QUESTION)
    result = client.feedback(answer.answer_id, "up")
    assert result.answer_id == answer.answer_id and result.rating == "up"
    assert answer.conversation_id in {c.conversation_id for c in client.conversations()}
    assert client.conversation(answer.conversation_id).turns[0].question == QUESTION
    client.delete_conversation(answer.conversation_id)
    with pytest.raises(AsklyticsError) as gone:
        client.conversation(answer.conversation_id)
    assert gone.value.status == 404 and gone.value.code == "not_found"


def test_a_token_made_with_the_key_works_like_it_and_makes_no_tokens(client, server, expected):
    made = client.create_token(ttl_s=120)
    assert made.token.startswith("askt_") and made.scope == "acme" and made.expires_in == 120
    assert made.policy is None and made.origins == []
    with Client(server.url, api_key=made.token) as page:
        assert page.ask(QUESTION).records() == client.ask(QUESTION).records()
        with pytest.raises(AsklyticsError) as refused:
            page.create_token()
    assert refused.value.status == 403 and "a token cannot make tokens" in refused.value.message

    async def from_async():
        async with AsyncClient(server.url, api_key=CLIENT_KEY) as asynchronous:
            return await asynchronous.create_token(ttl_s=60)

    assert run_async(from_async).expires_in == 60


def test_the_async_client_does_the_same(server, expected):
    async def calls():
        async with AsyncClient(server.url, api_key=CLIENT_KEY) as client:
            answer = await client.ask(QUESTION)
            events = [e async for e in client.stream(QUESTION)]
            return answer, events, await client.metrics()

    answer, events, metrics = run_async(calls)
    assert {row[0]: row[1] for row in answer.rows} == expected
    assert events[-2].answer.rows == answer.rows
    assert "installs" in {m.name for m in metrics}


def test_errors_carry_the_servers_code_and_are_not_retried_when_final(server):
    with Client(server.url, api_key="ask_000000000000_" + "x" * 30) as client, \
            pytest.raises(AsklyticsError) as refused:
        client.metrics()
    assert (refused.value.status, refused.value.code, refused.value.attempts) == (401, "unauthorized", 1)
    with Client(server.url, api_key=CLIENT_KEY) as client, pytest.raises(ValueError):
        client.ask("")  # checked before sending, with the server's own limits


class CountingTransport(httpx.HTTPTransport):
    """The real transport, counting the requests it sends."""

    def __init__(self):
        super().__init__()
        self.statuses: list[int] = []

    def handle_request(self, request):
        response = super().handle_request(request)
        self.statuses.append(response.status_code)
        return response


def test_429_is_retried_after_the_servers_retry_after(demo_db_path, tmp_path):
    live = serve(Settings(warehouse_path=demo_db_path, data_dir=tmp_path, api_keys=f"acme:{CLIENT_KEY}",
                          rate_limit_per_minute=30))
    try:
        with Client(live.url, api_key=CLIENT_KEY, retries=0) as impatient:
            with pytest.raises(AsklyticsError) as limited:
                for _ in range(31):  # the bucket holds 30
                    impatient.metrics()
            assert limited.value.status == 429 and limited.value.code == "rate_limited"
        transport = CountingTransport()
        with Client(live.url, api_key=CLIENT_KEY, retries=3, transport=transport) as patient:
            assert "roas" in {m.name for m in patient.metrics()}
        assert transport.statuses[0] == 429 and transport.statuses[-1] == 200
    finally:
        live.stop()


def test_503_is_retried_then_raised_with_the_answer(tmp_path):
    live = serve(Settings(warehouse_path=tmp_path / "missing.duckdb", data_dir=tmp_path / "data",
                          api_keys=f"acme:{CLIENT_KEY}"))
    try:
        transport = CountingTransport()
        client = Client(live.url, api_key=CLIENT_KEY, retries=2, backoff=0.01, transport=transport)
        with client, pytest.raises(AsklyticsError) as unavailable:
            client.ask(QUESTION)
        assert unavailable.value.status == 503 and unavailable.value.attempts == 3
        assert transport.statuses == [503, 503, 503]
        assert unavailable.value.code == "warehouse_unavailable"
        assert unavailable.value.answer.status == "error" and "Traceback" not in unavailable.value.message
    finally:
        live.stop()
