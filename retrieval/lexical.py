"""BM25 over the docs' text and aliases (bm25s), for exact words embeddings blur.

Embeddings know "spend" is close to "cost" but are vague about "D7" or "CPI";
BM25 is sharp on such tokens. The corpus is a few hundred docs, so scoring every
doc and masking by kind costs well under a millisecond and keeps the code simple.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import bm25s
import numpy as np

from retrieval.documents import RetrievalDoc

_WORD = re.compile(r"[A-Za-z0-9]+")
_STOPWORDS = frozenset(Path(__file__).with_name("stopwords.txt").read_text(encoding="utf-8").split())


def tokenize(text: str) -> list[str]:
    """Lowercase words split on anything not alphanumeric (``media_source`` -> media, source),
    stopwords dropped, a plural ``s`` trimmed so "installs" matches "install".

    A word in capitals is a code or an acronym and is kept even when it spells a
    stopword: "US" is a country, "us" is not; "IN" is India.
    """
    return [_singular(w.lower()) for w in _WORD.findall(text) if _kept(w)]


def _kept(word: str) -> bool:
    return word.lower() not in _STOPWORDS or (len(word) > 1 and word.isupper())


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class LexicalIndex:
    """Scores docs by BM25 against a question; ``scores`` is aligned with ``doc_ids``."""

    def __init__(self, docs: Sequence[RetrievalDoc]):
        self.doc_ids = [d.id for d in docs]
        self.kinds = np.array([d.kind for d in docs])
        self._bm25 = bm25s.BM25()
        corpus = [tokenize(" ".join((d.text, *d.aliases))) or ["_"] for d in docs]
        if corpus:
            self._bm25.index(corpus, show_progress=False)

    def search(self, question: str, kinds: Iterable[str], limit: int) -> list[tuple[str, float]]:
        """Best ``limit`` (doc id, score) with score > 0, among docs of ``kinds``."""
        scores = self._scores(question)
        if scores is None:
            return []
        scores = np.where(np.isin(self.kinds, list(kinds)), scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:limit]
        return [(self.doc_ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def _scores(self, question: str) -> np.ndarray | None:
        if not self.doc_ids:
            return None
        token_ids = self._bm25.get_tokens_ids(tokenize(question))
        if not token_ids:
            return None
        return self._bm25.get_scores_from_ids(token_ids)
