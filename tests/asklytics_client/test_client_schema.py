"""The client's models are the server's OpenAPI components: same fields, types, defaults and limits."""
from __future__ import annotations

import httpx
from pydantic.json_schema import models_json_schema

from asklytics_client.models import OPENAPI_MODELS

IGNORED = {"title", "description", "examples"}  # words, not shape


def _shape(schema):
    """The schema without its words; a ``default: null`` is dropped (FastAPI leaves it out)."""
    if isinstance(schema, dict):
        return {k: _shape(v) for k, v in schema.items()
                if k not in IGNORED and not (k == "default" and v is None)}
    if isinstance(schema, list):
        return [_shape(v) for v in schema]
    return schema


def test_every_client_model_matches_the_servers_openapi_schema(server):
    served = httpx.get(server.url + "/openapi.json", timeout=60).json()["components"]["schemas"]
    _, ours = models_json_schema([(m, "validation") for m in OPENAPI_MODELS],
                                 ref_template="#/components/schemas/{model}")
    ours = ours["$defs"]
    assert set(ours) <= set(served), set(ours) - set(served)
    drifted = {name: (served[name], ours[name]) for name in ours
               if _shape(served[name]) != _shape(ours[name])}
    assert not drifted, drifted


def test_the_answer_model_covers_every_field_the_server_sends(server):
    served = httpx.get(server.url + "/openapi.json", timeout=60).json()["components"]["schemas"]["Answer"]
    from asklytics_client import Answer

    assert set(Answer.model_fields) == set(served["properties"])
