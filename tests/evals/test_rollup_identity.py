"""Every eval case on the demo, both ways: the semantic query the offline planner makes of it runs
on base tables and from the demo model's rollups, with the same rows (#19).

The rollups are built by the product's builder into a copy of the scale-1 demo. Each distinct
semantic query of the demo suites (conversation turns included) is compared once; queries the
rollups do not cover compile to the same SQL both ways and are counted, not skipped silently.
A routed query is compared twice: reading the base tables' days after the watermark (none here,
the tail is empty) and as the assistant reads it, the empty tail skipped (``without_empty_tails``).
"""
from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from app.engine.assistant import Assistant
from app.settings import Settings
from common.errors import AsklyticsError
from evals.suite import load_suite
from semantic_layer import DEMO_MODEL_PATH, SemanticQuery, load_semantic_model, run_query
from semantic_layer.compiler import rollups_used
from semantic_layer.rollup_build import DuckDBRollupWriter, build_rollups, read_rollup_states
from semantic_layer.service import without_empty_tails
from warehouse.duckdb import DuckDBWarehouse

SUITES = sorted(p for p in (Path(__file__).resolve().parents[2] / "evals" / "suites").glob("*.yaml")
                if not p.name.startswith("fixture-"))


@pytest.fixture(scope="module")
def rollup_warehouse(demo_db_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("eval-rollups") / "demo.duckdb"
    shutil.copy(demo_db_path, path)
    assistant_settings = Settings(warehouse_path=path, planner="offline", cache_enabled=False)
    writer = DuckDBRollupWriter(path)
    try:
        build_rollups(load_semantic_model(DEMO_MODEL_PATH), writer)
    finally:
        writer.close()
    wh = DuckDBWarehouse(path, max_rows=100_000)
    yield wh, assistant_settings
    wh.close()


def _planned_queries(assistant: Assistant) -> dict[str, SemanticQuery]:
    """Every distinct semantic query the assistant answers the demo suites' questions with."""
    queries: dict[str, SemanticQuery] = {}
    for suite in SUITES:
        for case in load_suite(suite).cases:
            conversation = None
            for question in (*case.conversation, case.question):
                answer = assistant.ask(question, conversation)
                conversation = answer.conversation_id
                if answer.semantic_query:
                    query = SemanticQuery.from_contract(answer.semantic_query)
                    queries.setdefault(query.model_dump_json(), query)
    return queries


def _rows(model, query, warehouse, rollups):
    try:
        return run_query(model, query, warehouse, max_rows=100_000, rollups=rollups).rows
    except AsklyticsError as exc:  # e.g. predictions not scored in the test demo: must fail alike
        return ("error", exc.code)


def _same(a, b) -> bool:
    if isinstance(a, tuple) and a[:1] == ("error",):
        return a == b
    return len(a) == len(b) and all(
        len(x) == len(y) and all(math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-9) if isinstance(u, float)
                                 else u == v for u, v in zip(x, y)) for x, y in zip(a, b))


def test_every_eval_case_gives_the_same_rows_from_rollups(rollup_warehouse):
    warehouse, settings = rollup_warehouse
    assistant = Assistant(settings, warehouse=warehouse)
    model = assistant.model
    states = read_rollup_states(warehouse)
    assert len(states) == len(model.spec.rollups)
    queries = _planned_queries(assistant)
    routed, tails, different = 0, 0, []
    for key, query in queries.items():
        used = rollups_used(model, query, "duckdb", states)[1]
        if not used:
            continue
        routed += 1
        tails += any(c.tail for c in used)
        base = _rows(model, query, warehouse, None)
        # as the tables hold them (tails read), and as the assistant reads them (empty tails skipped)
        checked = without_empty_tails(model, query, warehouse, states)
        if not (_same(base, _rows(model, query, warehouse, states))
                and _same(base, _rows(model, query, warehouse, checked))):
            different.append(key)
    assert not different, different[:5]
    assert len(queries) > 300 and routed > 100 and tails > 10, (len(queries), routed, tails)
