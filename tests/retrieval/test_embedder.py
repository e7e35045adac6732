from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from retrieval import EmbedderError, get_embedder
from retrieval.embedder import Embedder, bundled_model_path

REPO = Path(__file__).resolve().parents[2]


def test_encode_returns_unit_float32_rows_in_order():
    vectors = get_embedder().encode(["return on ad spend", "device model", "return on ad spend"])
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-6)


def test_encode_of_nothing_is_an_empty_matrix():
    assert get_embedder().encode([]).shape == (0, 384)


def test_similar_meanings_are_closer_than_unrelated_ones():
    roas, return_on_spend, phone = get_embedder().encode(
        ["ROAS by campaign", "return on ad spend", "phone model"])
    assert roas @ return_on_spend > roas @ phone


def test_one_embedder_per_model_path_even_across_threads():
    seen: list[Embedder] = []
    threads = [threading.Thread(target=lambda: seen.append(get_embedder())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(e) for e in seen}) == 1
    assert get_embedder(str(bundled_model_path())) is seen[0]


def test_concurrent_first_use_loads_the_weights_once():
    fresh = Embedder(bundled_model_path())
    threads = [threading.Thread(target=fresh.encode, args=(["cpi"],)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert fresh.loads == 1


def test_query_embeddings_are_cached():
    embedder = get_embedder()
    first = embedder.encode_query("fraud rate by media source in March")
    before = embedder.encoded_texts
    again = embedder.encode_query("fraud rate by media source in March")
    assert again is first
    assert embedder.encoded_texts == before
    assert not again.flags.writeable  # shared between callers: nobody may change it


def test_a_folder_without_a_model_gives_an_actionable_error(tmp_path):
    with pytest.raises(EmbedderError, match="modules.json missing"):
        get_embedder(tmp_path).encode(["x"])


def test_model_id_names_the_weights_not_the_install_location():
    assert get_embedder().model_id.startswith("model:")
    assert str(bundled_model_path().parent) not in get_embedder().model_id


def test_loads_with_the_network_cut_off():
    # A fresh interpreter, so the model is really read from the package here.
    script = textwrap.dedent("""
        import os, socket
        def refuse(*a, **k):
            raise SystemExit("network access attempted")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        os.environ.pop("HF_HUB_OFFLINE", None)
        os.environ.pop("TRANSFORMERS_OFFLINE", None)
        from retrieval import get_embedder
        print(get_embedder().encode(["cost per install"]).shape, os.environ["HF_HUB_OFFLINE"])
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "(1, 384) 1" in done.stdout
