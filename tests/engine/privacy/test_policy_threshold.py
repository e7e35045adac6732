"""A minimum group size per access policy (tenant or key), on SQLite and PostgreSQL: the policy's k
holds the caller's answers (and the executor the MCP tools use) to it, other tenants are untouched,
a policy raises the threshold in force but never lowers it, key and tenant policies take the larger
k, a change applies from the next question even with the semantic cache on, and a 0002 database's
policies survive migration 0003. The oracle is the one of test_group_threshold.py: the distinct
users behind each cell, read from the demo file with SQL written in the test."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.engine.access import AccessPolicy
from app.engine.assistant import Assistant
from app.engine.planning.plan import SemanticQueryPlan
from app.settings import Settings
from appdb import open_database
from appdb.policies import list_policies, set_policy
from semantic_layer import SemanticQuery
from tests.databases import app_database_url  # noqa: F401  (a fixture: SQLite and PostgreSQL)
from tests.engine.privacy.test_group_threshold import INSTALLS, K, _keys, assert_private, people, shown_keys

QUESTION = "installs by country last month"
COUNTRIES = 10  # the demo's countries, all shown without a threshold


@pytest.fixture()
def database(app_database_url):  # noqa: F811
    opened = open_database(app_database_url)
    yield opened
    opened.close()


@pytest.fixture()
def build(demo_db_path, database, tmp_path):
    built = []

    def make(**settings) -> Assistant:
        settings.setdefault("cache_enabled", False)
        assistant = Assistant(Settings(warehouse_path=demo_db_path, data_dir=tmp_path / f"a{len(built)}",
                                       **settings), database=database)
        built.append(assistant)
        return assistant
    yield make
    for assistant in built:
        assistant.close()


def _policy(database, kind: str, subject: str, min_group_size: int | None, **limits) -> None:
    with database.begin() as connection:
        set_policy(connection, kind, subject, metrics=limits.get("metrics"), dimensions=None,
                   row_filters=limits.get("row_filters", []), allow_sql=True, actor="cli:test",
                   min_group_size=min_group_size)


def test_a_tenant_policy_holds_its_answers_to_its_k_and_no_other_tenant(build, database, demo_sql):
    _policy(database, "tenant", "agency", K)
    assistant = build()
    held = assistant.ask(QUESTION, scope="agency")
    cells = _keys(people(demo_sql, "i.country", INSTALLS))
    assert held.status == "answered", held.error
    assert_private(cells, shown_keys(held, 1), K)
    assert [key for key, users in cells.items() if 0 < len(users) < K], "the case must have small cells"
    assert len(held.rows) < COUNTRIES and f"groups of fewer than {K} users" in held.answer
    elsewhere = assistant.ask(QUESTION, scope="other")
    assert elsewhere.status == "answered" and len(elsewhere.rows) == COUNTRIES


def test_a_policy_raises_the_threshold_in_force_and_never_lowers_it(build, database, demo_sql):
    _policy(database, "tenant", "loose", 2)
    _policy(database, "tenant", "strict", 2500)
    assistant = build(min_group_size=K)
    cells = _keys(people(demo_sql, "i.country", INSTALLS))
    loose = assistant.ask(QUESTION, scope="loose")
    assert_private(cells, shown_keys(loose, 1), K)
    strict = assistant.ask(QUESTION, scope="strict")
    assert_private(cells, shown_keys(strict, 1), 2500)
    assert len(strict.rows) < len(loose.rows) < COUNTRIES


def test_a_key_policy_and_its_tenant_policy_take_the_larger_k(build, database, demo_sql):
    _policy(database, "tenant", "acme", 2, row_filters=["platform = 'iOS'"])
    _policy(database, "key", "0123456789ab", K)
    assistant = build()
    answer = assistant.ask(QUESTION, scope="acme", key_id="0123456789ab")
    cells = _keys(people(demo_sql, "i.country", INSTALLS, "AND i.platform = 'iOS'"))
    assert answer.status == "answered", answer.error
    assert_private(cells, shown_keys(answer, 1), K)
    assert 0 < len(answer.rows) < COUNTRIES
    without_key = assistant.ask(QUESTION, scope="acme")
    assert len(without_key.rows) == COUNTRIES  # the tenant's k of 2 hides none of these countries


def test_a_new_policy_applies_at_the_next_question_with_the_cache_on(build, database, demo_sql):
    assistant = build(cache_enabled=True, cache_result_ttl_s=600)
    first = assistant.ask(QUESTION, scope="cached")
    assert len(first.rows) == COUNTRIES
    _policy(database, "tenant", "cached", K)
    again = assistant.ask(QUESTION, scope="cached")
    assert again.status == "answered", again.error
    assert_private(_keys(people(demo_sql, "i.country", INSTALLS)), shown_keys(again, 1), K)
    assert len(again.rows) < COUNTRIES


def test_the_mcp_executor_follows_the_policy_k(build, database, demo_sql):
    assistant = build()
    query = SemanticQuery(metrics=["installs"], dimensions=["country"],
                          time_range=("2026-06-01", "2026-06-30"))
    held = assistant.executor_for(AccessPolicy(min_group_size=K)).run(SemanticQueryPlan(query=query))
    assert_private(_keys(people(demo_sql, "i.country", INSTALLS)), [(r[0],) for r in held.result.rows], K)
    assert held.result.row_count < COUNTRIES and held.notes


def test_migration_0003_keeps_the_policies_of_a_0002_database(app_database_url):  # noqa: F811
    from alembic import command

    from appdb.database import _alembic_config

    old = open_database(app_database_url, upgrade=False)
    with old.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0002")
        connection.execute(sa.text(
            "INSERT INTO access_policies (subject_type, subject, metrics, dimensions, row_filters, "
            "allow_sql, created_at, updated_at) VALUES ('tenant', 'agency', NULL, NULL, "
            "'[\"country = ''BR''\"]', true, 1.0, 1.0)"))
    old.close()
    upgraded = open_database(app_database_url)
    with upgraded.connect() as connection:
        (row,) = list_policies(connection)
    assert (row["subject"], row["row_filters"], row["min_group_size"]) == ("agency", ["country = 'BR'"], None)
    _policy(upgraded, "tenant", "agency", 50, row_filters=["country = 'BR'"])
    with upgraded.connect() as connection:
        assert [p["min_group_size"] for p in list_policies(connection)] == [50]
    upgraded.close()
