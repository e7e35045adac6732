"""Fuse the vector ranking and the BM25 ranking with weighted reciprocal rank fusion.

RRF uses ranks, not scores, so cosine similarities and BM25 scores (which live
on unrelated scales) need no calibration. A doc found by both lists beats a doc
found high by one only; ``RRF_K`` keeps the first few ranks from dominating.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

RRF_K = 20
VECTOR_WEIGHT = 1.0
LEXICAL_WEIGHT = 0.7  # embeddings generalise better over phrasings; BM25 breaks their ties


@dataclass(frozen=True)
class FusedScore:
    id: str
    score: float
    similarity: float | None  # cosine similarity of the best entry, when the vector side found it
    lexical: float | None  # BM25 score, when the lexical side found it


def fuse(vector: Sequence[tuple[str, float]], lexical: Sequence[tuple[str, float]]) -> list[FusedScore]:
    """Both inputs best first; the result is best first, ties broken by similarity."""
    scores: dict[str, float] = {}
    for weight, ranking in ((VECTOR_WEIGHT, vector), (LEXICAL_WEIGHT, lexical)):
        for rank, (doc_id, _) in enumerate(ranking, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (RRF_K + rank)
    similarity, bm25 = dict(vector), dict(lexical)
    fused = [FusedScore(i, s, similarity.get(i), bm25.get(i)) for i, s in scores.items()]
    return sorted(fused, key=lambda f: (-f.score, -(f.similarity or -1.0)))
