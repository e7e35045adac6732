"""Every bundled example compiles with the semantic layer and answers on the demo data."""
from __future__ import annotations

import pytest

from retrieval.example_docs import DEMO_EXAMPLES_PATH, example_payload, load_example_docs
from semantic_layer import SemanticQuery, run_query

EXAMPLES = load_example_docs(DEMO_EXAMPLES_PATH)


def test_there_are_about_thirty_examples_with_distinct_questions():
    assert len(EXAMPLES) >= 30
    assert len({doc.text.lower() for doc in EXAMPLES}) == len(EXAMPLES)


@pytest.mark.parametrize("doc", EXAMPLES, ids=[doc.id for doc in EXAMPLES])
def test_example_runs_on_the_demo_warehouse(doc, semantic_model, duckdb_wh):
    payload = example_payload(dict(doc.metadata))
    query = SemanticQuery.from_contract(payload)
    result = run_query(semantic_model, query, duckdb_wh)
    assert result.row_count > 0, f"{doc.text!r} returned no rows"
    assert set(payload["metrics"]) <= set(result.column_names())
