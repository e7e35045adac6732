"""One retrieval store over the demo model and warehouse schema, built once per session."""
from __future__ import annotations

import socket

import pytest


@pytest.fixture(scope="session")
def semantic_model():
    from semantic_layer import DEMO_MODEL_PATH, load_semantic_model

    return load_semantic_model(DEMO_MODEL_PATH)


@pytest.fixture(scope="session")
def demo_schema(duckdb_wh):
    return duckdb_wh.schema()


@pytest.fixture(scope="session")
def store(tmp_path_factory, semantic_model, demo_schema):
    from retrieval import RetrievalStore

    return RetrievalStore.open(tmp_path_factory.mktemp("index"), semantic_model=semantic_model,
                               schema=demo_schema)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test, from any thread.

    Attempts are recorded as well as refused: a telemetry client sending from
    a background thread would swallow the exception, but not the record.
    """
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[1:] or kwargs))
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield
    assert attempts == [], f"network access attempted: {attempts}"


@pytest.fixture
def no_default_embedding(monkeypatch):
    """chromadb's default embedding function downloads a model: using it fails the test."""
    from chromadb.api.types import DefaultEmbeddingFunction
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    used: list[str] = []

    def refuse(*args, **kwargs):
        used.append("default embedding function")
        raise AssertionError("chromadb's default embedding function was used")

    monkeypatch.setattr(DefaultEmbeddingFunction, "__call__", refuse)
    monkeypatch.setattr(ONNXMiniLM_L6_V2, "__init__", refuse)
    yield
    assert used == []
