"""Embedding fallback for metrics no synonym names ("how much money did we burn on ads" -> cost).

The words the other matchers left over are embedded once per question and
compared with every metric's name, synonyms and description, whose vectors are
computed once per planner (on first need, or in the background when asked to
warm up). Optional: with ``embedder=False`` (or no model installed) the planner
finds fewer metrics and asks instead.
"""
from __future__ import annotations

import logging
import re
import threading

import numpy as np

from app.engine.planning.offline.metrics import MetricChoice

log = logging.getLogger(__name__)
EMBEDDING_THRESHOLD = 0.45


class MetricEmbeddings:
    """Metric texts embedded once; ``best(text)`` is one encode and a dot product."""

    def __init__(self, embedder, model):
        self.embedder = embedder
        self.names: list[str] = []
        texts: list[str] = []
        # the words of each metric's name and synonyms: a word several metrics share names none of them
        self.words: dict[str, set[str]] = {}
        for name, metric in model.metrics.items():
            for text in (name.replace("_", " "), *metric.synonyms, metric.description):
                self.names.append(name)
                texts.append(text)
            for text in (name.replace("_", " "), *metric.synonyms):
                for word in re.findall(r"[a-z]+", text.lower()):
                    self.words.setdefault(word, set()).add(name)
        # one-word metric names and their singulars ("installs", "install")
        self.named = {w for name in model.metrics if "_" not in name for w in (name, name.rstrip("s"))}
        self.vectors = embedder.encode(texts)

    def shared_by_several(self, text: str) -> bool:
        """ "what was the rate": every word left is part of several metrics' names (CTR, CVR, fraud
        rate), so the closest one would be a guess."""
        words = [w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 3]
        if any(w in self.named for w in words):
            return False  # "installs": the name of one metric, whatever else shares the word
        return bool(words) and all(len(self.words.get(w, ())) >= 2 for w in words)

    def best(self, text: str) -> tuple[str, float] | None:
        if not text.strip():
            return None
        scores = self.vectors @ self.embedder.encode_query(text)
        index = int(np.argmax(scores))
        return self.names[index], float(scores[index])


def embedding_metric(embeddings: MetricEmbeddings | None, leftover: str) -> MetricChoice | None:
    """The closest metric to the unexplained words, when it is close enough."""
    if embeddings is None:
        return None
    try:
        if embeddings.shared_by_several(leftover):
            return None
        best = embeddings.best(leftover)
    except Exception as exc:  # noqa: BLE001 -- the fallback must never break planning
        log.warning("embedding fallback unavailable: %s", exc)
        return None
    if best is None or best[1] < EMBEDDING_THRESHOLD:
        return None
    return MetricChoice((best[0],), (), "embedding", best[1])





class EmbeddingLoader:
    """Builds :class:`MetricEmbeddings` once; ``get()`` returns them (None when no model is available).

    Lazy by default: the model loads the first time a question needs the fallback,
    so processes that never need it (most tests, CLI one-offs) never pay ~15 s of CPU
    and the memory of torch. ``background=True`` starts the load at once in a thread
    (a server warming up). Not a daemon thread: a daemon still inside torch when the
    interpreter exits is killed while it re-takes the GIL, which unwinds through a
    C++ noexcept frame and aborts the whole process (exit code 134 after a green run).
    """

    def __init__(self, embedder, model, *, background: bool = False):
        self._embedder, self._model = embedder, model
        self._result: MetricEmbeddings | None = None
        self._done = embedder is False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        if background and not self._done:
            self._thread = threading.Thread(
                target=self._load_once, daemon=False, name="offline-planner-embeddings"
            )
            self._thread.start()

    def get(self) -> MetricEmbeddings | None:
        if self._thread is not None:
            self._thread.join()
        self._load_once()
        return self._result

    def _load_once(self) -> None:
        with self._lock:
            if self._done:
                return
            try:
                self._result = MetricEmbeddings(self._embedder or _shared_embedder(), self._model)
            except Exception as exc:  # noqa: BLE001 -- no model installed: plan without the fallback
                log.warning("offline planner runs without embedding matches: %s", exc)
            self._done = True


def _shared_embedder():
    from retrieval import get_embedder

    return get_embedder()
