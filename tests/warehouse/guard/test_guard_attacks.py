"""The attack corpus (attacks.yaml): every statement is refused with its code,
checked against the real demo warehouse's schema."""
from __future__ import annotations

import pytest
from conftest import load_cases

from warehouse.guard import GuardError, guard_sql
from warehouse.guard.parse import SUPPORTED_DIALECTS

ATTACKS = load_cases("attacks.yaml")


def test_corpus_is_large_and_covers_every_dialect():
    assert len(ATTACKS) >= 80
    assert {c.get("dialect", "duckdb") for c in ATTACKS} == set(SUPPORTED_DIALECTS)


@pytest.fixture(scope="module")
def demo_schema(duckdb_wh):
    return duckdb_wh.schema()


@pytest.mark.parametrize("case", ATTACKS, ids=[c["id"] for c in ATTACKS])
def test_attack_is_refused_with_its_code(case, demo_schema):
    with pytest.raises(GuardError) as refused:
        guard_sql(
            case["sql"],
            schema=demo_schema,
            dialect=case.get("dialect", "duckdb"),
            allowed_tables=case.get("allowed_tables"),
        )
    assert refused.value.code == case["expect"], refused.value.message
    assert refused.value.message.strip()


@pytest.mark.parametrize("case", ATTACKS, ids=[c["id"] for c in ATTACKS])
def test_attack_is_refused_when_transpiling_too(case, demo_schema):
    """Guarding for the other engine must not open a path the source check closes."""
    source = case.get("dialect", "duckdb")
    target = "clickhouse" if source == "duckdb" else "duckdb"
    with pytest.raises(GuardError):
        guard_sql(case["sql"], schema=demo_schema, dialect=source, target_dialect=target,
                  allowed_tables=case.get("allowed_tables"))
