"""The review of wrong answers over HTTP: ``GET /api/v1/feedback`` lists a tenant's down-rated answers
(its own only) with the raters' comments and suggested SQL; ``POST /api/v1/verified`` takes corrected
SQL for an answer's question (run as the reviewer first: guard, access policy) or a question with its
SQL; the corrected SQL then answers the question, and every verification is audited."""
from __future__ import annotations

import pytest

from appdb.audit import AuditQuery, search
from appdb.policies import set_policy
from tests.databases import key_store

WRONG = "installs by platform last month"
CORRECTED = ("SELECT platform, COUNT(*) AS installs FROM installs WHERE platform = 'iOS' "
             "AND install_time >= DATE '2026-06-01' AND install_time < DATE '2026-07-01' GROUP BY platform")


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture()
def tenants(make_client, tmp_path):
    store = key_store(tmp_path / "data")
    acme, acme_raw = store.create("acme")
    _, globex_raw = store.create("globex")
    return {"client": make_client(), "store": store, "acme": acme_raw, "acme_id": acme.key_id,
            "globex": globex_raw}


def _ask(client, raw: str, question: str) -> dict:
    answer = client.post("/api/v1/ask", json={"question": question}, headers=bearer(raw)).json()
    assert answer["status"] == "answered", answer["error"]
    return answer


def _rate(client, raw: str, answer: dict, rating: str, **extra) -> None:
    body = {"answer_id": answer["answer_id"], "rating": rating, **extra}
    assert client.post("/api/v1/feedback", json=body, headers=bearer(raw)).status_code == 200


def test_wrong_answers_are_listed_per_tenant_and_corrected_sql_verifies_them(tenants, demo_sql):
    client, acme, globex = tenants["client"], tenants["acme"], tenants["globex"]
    wrong = _ask(client, acme, WRONG)
    liked = _ask(client, acme, "spend by media source last month")
    theirs = _ask(client, globex, "installs by country last month")
    _rate(client, acme, wrong, "down", comment="we only count iOS")
    _rate(client, acme, wrong, "down", comment="see the SQL", corrected_sql=CORRECTED)
    _rate(client, acme, liked, "up")
    _rate(client, globex, theirs, "down", comment="globex only")

    (listed,) = client.get("/api/v1/feedback", headers=bearer(acme)).json()
    assert (listed["answer_id"], listed["question"], listed["sql"], listed["status"]) == (
        wrong["answer_id"], WRONG, wrong["sql"], "answered")
    assert listed["comments"] == ["we only count iOS", "see the SQL"]
    assert listed["corrected_sql"] == CORRECTED and listed["verified_id"] is None
    liked_listed = client.get("/api/v1/feedback?rating=up", headers=bearer(acme)).json()
    assert [r["answer_id"] for r in liked_listed] == [liked["answer_id"]]
    assert [r["comments"] for r in client.get("/api/v1/feedback", headers=bearer(globex)).json()] == [
        ["globex only"]]

    body = {"answer_id": wrong["answer_id"], "sql": CORRECTED}
    assert client.post("/api/v1/verified", json=body, headers=bearer(globex)).status_code == 404
    verified = client.post("/api/v1/verified", json=body, headers=bearer(acme))
    assert verified.status_code == 201, verified.text
    assert (verified.json()["question"], verified.json()["sql"], verified.json()["semantic_query"]) == (
        WRONG, CORRECTED, None)
    (after,) = client.get("/api/v1/feedback", headers=bearer(acme)).json()
    assert after["verified_id"] == verified.json()["id"]

    again = _ask(client, acme, WRONG)
    expected = demo_sql.execute(CORRECTED.replace("FROM installs", "FROM demo.installs")).fetchall()
    assert again["verified"]["match"] == "exact" and again["rows"] == [list(r) for r in expected]
    assert _ask(client, globex, WRONG)["verified"] is None
    with tenants["store"].database.connect() as connection:
        (entry,) = search(connection, AuditQuery(action="verified_add"))
    assert (entry["actor"], entry["scope"], entry["detail"]["sql"]) == (
        f"key:{tenants['acme_id']}", "acme", CORRECTED)


@pytest.mark.parametrize(("sql", "status"), [
    ("DELETE FROM installs", 422),
    ("SELECT * FROM no_such_table", 422),
    ("SELECT platform FROM installs WHERE", 422),
])
def test_sql_that_does_not_run_is_not_verified(tenants, sql, status):
    client, acme = tenants["client"], tenants["acme"]
    answer = _ask(client, acme, WRONG)
    refused = client.post("/api/v1/verified", json={"answer_id": answer["answer_id"], "sql": sql},
                          headers=bearer(acme))
    assert refused.status_code == status
    message = refused.json()["error"]["message"]
    assert message.startswith("this SQL does not run for you") and "Traceback" not in message
    assert client.get("/api/v1/verified", headers=bearer(acme)).json() == []


def test_corrected_sql_runs_under_the_reviewers_access_policy(tenants):
    client, acme, store = tenants["client"], tenants["acme"], tenants["store"]
    answer = _ask(client, acme, WRONG)
    with store.database.begin() as connection:
        set_policy(connection, "key", tenants["acme_id"], metrics=None, dimensions=None, row_filters=[],
                   allow_sql=False, actor="cli:admin")
    refused = client.post("/api/v1/verified", json={"answer_id": answer["answer_id"], "sql": CORRECTED},
                          headers=bearer(acme))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "access_denied"
    accepted = client.post("/api/v1/verified", json={"answer_id": answer["answer_id"]}, headers=bearer(acme))
    assert accepted.status_code == 201 and accepted.json()["semantic_query"] == answer["semantic_query"]


def test_a_question_with_its_sql_and_malformed_requests(tenants):
    client, acme = tenants["client"], tenants["acme"]
    made = client.post("/api/v1/verified", json={"question": "iOS installs in June", "sql": CORRECTED},
                       headers=bearer(acme))
    assert made.status_code == 201 and made.json()["source_answer_id"] is None
    for body in ({"question": "no sql"}, {"answer_id": "a-1", "question": "both", "sql": "SELECT 1"}, {}):
        bad = client.post("/api/v1/verified", json=body, headers=bearer(acme))
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
    assert client.get("/api/v1/feedback").status_code == 401
    assert client.get("/api/v1/feedback?rating=wrong", headers=bearer(acme)).status_code == 422
