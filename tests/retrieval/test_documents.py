from __future__ import annotations

from retrieval.corpus import build_corpus, usable_examples, with_query_words
from retrieval.documents import KINDS, column_docs, dimension_docs, metric_docs
from retrieval.example_docs import DEMO_EXAMPLES_PATH, example_doc, load_example_docs
from retrieval.glossary_docs import GLOSSARY_DIR, load_glossary_docs


def test_every_metric_and_dimension_gets_one_doc_with_a_readable_id(semantic_model):
    metrics = {d.id for d in metric_docs(semantic_model)}
    dimensions = {d.id for d in dimension_docs(semantic_model, None)}
    assert metrics == {f"metric:{name}" for name in semantic_model.metrics}
    assert dimensions == {f"dimension:{name}" for name in semantic_model.dimensions}
    assert {"metric:roas", "metric:retention_d7", "dimension:media_source", "dimension:metric_time"} <= (
        metrics | dimensions
    )


def test_metric_docs_carry_synonyms_as_aliases(semantic_model):
    roas = next(d for d in metric_docs(semantic_model) if d.id == "metric:roas")
    assert "return on ad spend" in roas.aliases
    assert roas.metadata["units"] == "ratio"


def test_dimension_docs_list_the_warehouse_values_with_country_names(semantic_model, demo_schema):
    docs = {d.id: d for d in dimension_docs(semantic_model, demo_schema)}
    assert "TikTok" in docs["dimension:media_source"].text
    assert "DE (Germany)" in docs["dimension:country"].text
    assert "click_injection" in docs["dimension:fraud_type"].metadata["values"]


def test_column_docs_cover_the_schema_and_borrow_model_descriptions(semantic_model, demo_schema):
    docs = {d.id: d for d in column_docs(demo_schema, semantic_model)}
    expected = {f"column:{t.name}.{c.name}" for t in demo_schema.tables.values() for c in t.columns}
    assert set(docs) == expected
    assert "In-app revenue in USD" in docs["column:events.revenue"].text
    assert docs["column:installs.device_model"].metadata["table"] == "installs"


def test_examples_are_numbered_in_file_order():
    docs = load_example_docs(DEMO_EXAMPLES_PATH)
    assert len(docs) >= 30
    assert docs[0].id == "example:1"
    assert docs[0].text == "What was ROAS by media source last month?"


def test_examples_naming_unknown_metrics_are_left_out(semantic_model):
    good = example_doc("example:1", "roas?", {"metrics": ["roas"], "dimensions": ["metric_time__week"]}, None)
    stale = example_doc("example:2", "ltv?", {"metrics": ["lifetime_value"]}, None)
    by_sql = example_doc("example:3", "rows?", None, "SELECT 1")
    usable = usable_examples(semantic_model, [good, stale, by_sql])
    assert [d.id for d in usable] == ["example:1", "example:3"]


def test_example_aliases_say_what_the_query_computes(semantic_model):
    doc = with_query_words(semantic_model, load_example_docs(DEMO_EXAMPLES_PATH)[0])
    assert "return on ad spend" in doc.aliases[-1]
    assert " by media source" in doc.aliases[-1]


def test_glossary_docs_have_a_title_and_one_alias_per_paragraph():
    docs = {d.id: d for d in load_glossary_docs(GLOSSARY_DIR)}
    assert {"doc:roas", "doc:cpi", "doc:retention", "doc:fraud-types", "doc:organic-vs-paid"} <= set(docs)
    roas = docs["doc:roas"]
    assert roas.metadata["title"] == "ROAS (return on ad spend)"
    assert roas.aliases[0] == "ROAS (return on ad spend)"
    assert all(a.startswith("ROAS (return on ad spend): ") for a in roas.aliases[1:])


def test_the_corpus_groups_every_kind(semantic_model, demo_schema):
    corpus = build_corpus(semantic_model, demo_schema, DEMO_EXAMPLES_PATH, GLOSSARY_DIR)
    assert tuple(corpus) == KINDS
    assert all(doc.kind == kind for kind, docs in corpus.items() for doc in docs)
    assert all(corpus[kind] for kind in KINDS)
