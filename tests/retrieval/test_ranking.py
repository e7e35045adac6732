from __future__ import annotations

from retrieval.documents import RetrievalDoc
from retrieval.hybrid import fuse
from retrieval.lexical import LexicalIndex, tokenize


def test_tokenize_splits_identifiers_drops_stopwords_and_plurals():
    assert tokenize("What are the installs by media_source?") == ["install", "media", "source"]


def test_capitalised_codes_survive_even_when_they_spell_a_stopword():
    assert tokenize("installs in US, IN") == ["install", "us", "in"]
    assert tokenize("show us installs") == ["install"]


def _docs() -> list[RetrievalDoc]:
    return [
        RetrievalDoc("metric:cpi", "metric", "cost per install", aliases=("cpi",)),
        RetrievalDoc("metric:cost", "metric", "ad spend cost"),
        RetrievalDoc("dimension:country", "dimension", "country of the install"),
    ]


def test_bm25_ranks_matching_docs_and_masks_other_kinds():
    index = LexicalIndex(_docs())
    assert [i for i, _ in index.search("CPI by country", ["metric"], 5)] == ["metric:cpi"]
    assert [i for i, _ in index.search("CPI by country", ["dimension"], 5)] == ["dimension:country"]


def test_bm25_returns_nothing_for_unknown_words_or_an_empty_index():
    assert LexicalIndex(_docs()).search("zebra", ["metric"], 5) == []
    assert LexicalIndex([]).search("cpi", ["metric"], 5) == []


def test_fusion_prefers_docs_both_rankings_found():
    fused = fuse([("a", 0.9), ("b", 0.8), ("c", 0.7)], [("c", 5.0), ("d", 4.0)])
    assert fused[0].id == "c"
    assert {f.id for f in fused} == {"a", "b", "c", "d"}
    c = next(f for f in fused if f.id == "c")
    assert (c.similarity, c.lexical) == (0.7, 5.0)


def test_fusion_keeps_rank_order_when_only_one_side_found_anything():
    assert [f.id for f in fuse([("a", 0.9), ("b", 0.1)], [])] == ["a", "b"]
