"""The configured model path becomes the default of get_embedder()."""
from __future__ import annotations

from retrieval.embedder import bundled_model_path, get_embedder, set_default_model_path


def test_configured_default_path_is_used_and_reset(tmp_path):
    try:
        set_default_model_path(tmp_path)
        assert get_embedder().model_path == tmp_path.resolve()
    finally:
        set_default_model_path(None)
    assert get_embedder().model_path == bundled_model_path()
