"""Schemathesis against the OpenAPI document: no 5xx, every response matches its documented schema.

The app runs with a bootstrap key (so the declared bearer scheme is really
enforced) and a question limit equal to the schema's static cap (so every
question the schema allows is one the server accepts).
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.interfaces.api.asking import QUESTION_HARD_CAP
from app.interfaces.assembly import create_app
from app.settings import Settings

KEY = "s" * 32


@pytest.fixture(scope="module")
def api_app(demo_db_path, tmp_path_factory):
    return create_app(Settings(warehouse_path=demo_db_path, data_dir=tmp_path_factory.mktemp("fuzz"),
                               api_keys=f"fuzz:{KEY}", rate_limit_per_minute=100_000,
                               login_failure_limit=100_000,  # it sends invalid keys on purpose
                               max_question_length=QUESTION_HARD_CAP))


def operations(app) -> list:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


# Driven by Hypothesis directly: schemathesis's pytest plugin does not load under pytest 9 yet
# ('Function' object has no attribute '_nodeid'); the checks are the same ones it would run.
def test_every_operation_conforms_to_its_schema(api_app):
    checked = []
    for operation in operations(api_app):
        _conforms(operation)
        checked.append(operation.label)
    assert "POST /api/v1/ask" in checked and "POST /api/v1/feedback" in checked and len(checked) >= 10


def _conforms(operation) -> None:
    # Any string is schema-valid SQL to verify, and a schema-valid origin for a page token; SQL that
    # does not run and a string that is no origin are refused with their documented 422. Likewise a
    # monitor's metric, dimensions and schedule are free text to the schema, checked against the
    # semantic model and the schedule forms. Every other check (no 5xx, responses as documented) still
    # applies to those operations.
    free_text = {"POST /api/v1/verified", "POST /api/v1/tokens", "POST /api/v1/monitors"}
    excluded = [positive_data_acceptance] if operation.label in free_text else []

    @given(case=operation.as_strategy())
    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def conforms(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {KEY}"}, excluded_checks=excluded)

    conforms()


def test_openapi_documents_examples_errors_and_auth(api_app):
    document = api_app.openapi()
    ask = document["paths"]["/api/v1/ask"]["post"]
    assert {"401", "413", "422", "429", "503"} <= set(ask["responses"])
    body = document["components"]["schemas"]["AskRequest"]["properties"]["question"]
    assert body["examples"] and body["maxLength"] == QUESTION_HARD_CAP
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    streamed = document["paths"]["/api/v1/ask/stream"]["post"]["responses"]["200"]["content"]
    assert "text/event-stream" in streamed
