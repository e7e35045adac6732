from __future__ import annotations

import pytest

from retrieval import KINDS, Hit, RetrievalStore

TENANT = "acme"  # who asks; built-in docs are the same for every tenant


def test_search_finds_the_metric_a_question_is_about(store):
    hits = store.search("what was our return on ad spend last month", scope=TENANT, kinds=["metric"], k=3)
    assert hits[0].id == "metric:roas"
    assert all(isinstance(h, Hit) and h.kind == "metric" for h in hits)
    assert hits[0].metadata["name"] == "roas"
    assert hits[0].similarity is not None and hits[0].similarity > 0.3


def test_hits_are_best_first_and_at_most_k(store):
    hits = store.search("installs by phone model in Germany", scope=TENANT, k=4)
    assert len(hits) == 4
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len({h.id for h in hits}) == 4


def test_kinds_restrict_what_comes_back(store):
    question = "installs by phone model"
    def search(kinds, k):
        return store.search(question, scope=TENANT, kinds=kinds, k=k)

    assert {h.kind for h in search(["column"], 5)} == {"column"}
    assert search(["column"], 5)[0].id == "column:installs.device_model"
    assert {h.kind for h in search(("dimension", "metric"), 10)} == {"dimension", "metric"}


def test_country_names_find_the_coded_dimension(store):
    top = store.search("revenue from Japan", scope=TENANT, kinds=["dimension"], k=1)
    assert top[0].id == "dimension:country"


def test_example_hits_carry_their_semantic_query(store):
    hits = {h.id: h for h in store.search("return on ad spend for each network", scope=TENANT,
                                          kinds=["example"], k=2)}
    hit = hits["example:1"]
    assert hit.metadata["semantic_query"]["metrics"] == ["roas"]
    assert hit.metadata["sql"] is None


def test_glossary_docs_answer_definition_questions(store):
    assert store.search("what is sdk spoofing", scope=TENANT, kinds=["doc"], k=1)[0].id == "doc:fraud-types"


def test_an_unknown_kind_is_rejected_with_the_valid_ones(store):
    with pytest.raises(ValueError, match="use some of: metric, dimension, column, example, doc"):
        store.search("installs", scope=TENANT, kinds=["metrics"])


def test_blank_questions_and_zero_k_return_nothing(store):
    assert store.search("   ", scope=TENANT) == []
    assert store.search("installs", scope=TENANT, k=0) == []


def test_content_hash_is_stable_and_covers_every_kind(store):
    assert set(store.kind_hashes) == set(KINDS)
    assert len(store.content_hash) == 16


def test_learned_examples_are_searchable_and_survive_a_reopen(semantic_model, tmp_path):
    persist = tmp_path / "index"
    first = RetrievalStore.open(persist, semantic_model=semantic_model, schema=None,
                                examples_path=_empty_examples(tmp_path), glossary_dir=tmp_path)
    query = {"metrics": ["installs"], "dimensions": ["device_model"], "filters": ["platform = 'Android'"]}
    new_id = first.add_example("Which Android handsets bring the most installs?", query, None, scope=TENANT)
    assert new_id.startswith("example:learned-")
    top = first.search("top android phones by installs", scope=TENANT, kinds=["example"], k=1)
    assert top[0].id == new_id
    again = RetrievalStore.open(persist, semantic_model=semantic_model, schema=None,
                                examples_path=_empty_examples(tmp_path), glossary_dir=tmp_path)
    assert again.rebuilt == ()
    hit = again.search("top android phones by installs", scope=TENANT, kinds=["example"], k=1)[0]
    assert (hit.id, hit.metadata["semantic_query"]) == (new_id, query)


def test_the_same_learned_question_replaces_its_example(store):
    first = store.add_example("How many unicorn installs came from Atlantis?", None, "SELECT 1", scope=TENANT)
    second = store.add_example("how many unicorn installs  came from atlantis?", None, "SELECT 2",
                               scope=TENANT)
    assert first == second
    found = store.search("unicorn installs from Atlantis", scope=TENANT, kinds=["example"], k=5)
    hits = [h for h in found if h.id == first]
    assert [h.metadata["sql"] for h in hits] == ["SELECT 2"]


def test_an_example_needs_a_question_and_an_answer(store):
    with pytest.raises(ValueError, match="question"):
        store.add_example(" ", {"metrics": ["cost"]}, None, scope=TENANT)
    with pytest.raises(ValueError, match="semantic_query or sql"):
        store.add_example("cost?", None, None, scope=TENANT)


def _empty_examples(tmp_path):
    path = tmp_path / "none.yaml"
    path.write_text("examples: []\n")
    return path


def test_searches_from_many_threads_agree_with_one_thread(store):
    from concurrent.futures import ThreadPoolExecutor

    questions = ["cpi by country", "fraud share per network", "d7 retention on android", "what is a cohort"]
    expected = {q: [h.id for h in store.search(q, scope=TENANT, k=5)] for q in questions}
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda q: (q, [h.id for h in store.search(q, scope=TENANT, k=5)]),
                                questions * 5))
    assert all(ids == expected[q] for q, ids in results)


def test_retrieve_ranks_each_kind_on_its_own(store):
    found = store.retrieve("CPI by country for TikTok", scope=TENANT)
    assert set(found) == {"metric", "dimension", "column", "example", "doc"}
    assert found["metric"][0].id == "metric:cpi"
    assert len(found["example"]) == 3 and len(found["doc"]) == 2
    one_metric = store.search("installs", scope=TENANT, kinds=["metric"], k=1)
    assert store.retrieve("installs", {"metric": 1}, scope=TENANT) == {"metric": one_metric}
