"""Access policies over HTTP: two keys of one tenant, one with a key policy; the answer log and
the audit log record who asked what."""
from __future__ import annotations

from appdb.audit import AuditQuery, search
from appdb.policies import set_policy
from tests.databases import key_store


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_a_key_policy_limits_that_key_only_and_every_answer_is_audited(make_client, tmp_path):
    store = key_store(tmp_path / "data")
    agency, agency_raw = store.create("acme", "agency dashboard")
    _, staff_raw = store.create("acme", "staff")
    with store.database.begin() as connection:
        set_policy(connection, "key", agency.key_id, metrics=None, dimensions=None,
                   row_filters=["media_source = 'TikTok'"], allow_sql=True, actor="cli:admin")
    client = make_client()
    question = {"question": "spend by media source last month"}
    staff = client.post("/api/v1/ask", json=question, headers=bearer(staff_raw)).json()
    limited = client.post("/api/v1/ask", json=question, headers=bearer(agency_raw)).json()
    assert len(staff["rows"]) > 1
    assert [row[0] for row in limited["rows"]] == ["TikTok"] and not limited["cached"]
    with store.database.connect() as connection:
        answers = search(connection, AuditQuery(action="answer", scope="acme"))
        changes = search(connection, AuditQuery(action="policy_set"))
    assert [a["actor"] for a in answers] == [f"key:{agency.key_id}", answers[1]["actor"]]
    assert answers[0]["target"] == limited["answer_id"] and answers[0]["detail"]["sql"] == limited["sql"]
    assert changes[0]["actor"] == "cli:admin" and changes[0]["target"] == f"key:{agency.key_id}"


def test_an_answer_verified_over_the_api_answers_its_question_for_that_tenant_only(make_client, tmp_path):
    store = key_store(tmp_path / "data")
    _, acme = store.create("acme")
    _, other = store.create("globex")
    client = make_client()
    first = client.post("/api/v1/ask", json={"question": "installs by platform last month"},
                        headers=bearer(acme)).json()
    assert client.post("/api/v1/verified", json={"answer_id": first["answer_id"]},
                       headers=bearer(other)).status_code == 404  # another tenant's answer
    verified = client.post("/api/v1/verified", json={"answer_id": first["answer_id"]}, headers=bearer(acme))
    assert verified.status_code == 201 and verified.json()["question"] == "installs by platform last month"
    listed = client.get("/api/v1/verified", headers=bearer(acme)).json()
    assert [v["id"] for v in listed] == [verified.json()["id"]]
    assert client.get("/api/v1/verified", headers=bearer(other)).json() == []
    again = client.post("/api/v1/ask", json={"question": "Installs by platform last month?"},
                        headers=bearer(acme)).json()
    assert again["verified"]["match"] == "exact" and again["rows"] == first["rows"]
    elsewhere = client.post("/api/v1/ask", json={"question": "installs by platform last month"},
                            headers=bearer(other)).json()
    assert elsewhere["verified"] is None
