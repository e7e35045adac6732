"""Assertions on a scenario's results, shared by the stdio and the HTTP tests (a plain module)."""
from __future__ import annotations

import json

from app.engine.contract import Answer
from app.engine.tools import REGISTRY


def check_tool_listing(found) -> None:
    tools = {tool.name: tool for tool in found["tools"]}
    assert set(tools) == {"ask", "list_metrics", "describe_metric", "query_metrics", "run_sql",
                          *REGISTRY.names()}
    for tool in REGISTRY:  # generated from the registry: the tool's own description and argument schema
        listed = tools[tool.name]
        assert listed.description == tool.description
        assert listed.input_schema["properties"] == tool.arguments.model_json_schema()["properties"]
        assert listed.input_schema.get("additionalProperties") is False
    assert tools["ask"].output_schema["title"] == "Answer"
    assert tools["ask"].input_schema["required"] == ["question"]


def check_answers(found, expected: dict[str, int]) -> None:
    ask = found["ask"]
    assert not ask.is_error
    answer = Answer.model_validate(ask.structured_content)
    assert answer.status == "answered" and answer.sql
    assert {row[0]: row[1] for row in answer.rows} == expected
    assert "Android" in ask.content[0].text and answer.sql in ask.content[0].text
    refused = Answer.model_validate(found["ask_refused"].structured_content)
    assert refused.status == "refused" and not found["ask_refused"].is_error
    query = found["query"].structured_content
    assert {row[0]: row[1] for row in query["rows"]} == expected
    assert query["semantic_query"]["metrics"] == ["installs"] and "installs" in query["sql"]


def check_catalog_tools(found, demo_sql) -> None:
    metrics = found["list_metrics"].structured_content
    assert {"roas", "installs", "cost"} <= {m["name"] for m in metrics["metrics"]}
    assert "platform" in metrics["dimensions"]
    roas = found["describe_roas"].structured_content
    assert roas["type_params"] == {"numerator": "attributed_revenue", "denominator": "cost"}
    sql = found["sql"].structured_content
    assert sql["rows"] == [list(r) for r in demo_sql.execute(
        "SELECT platform, count(*) FROM installs GROUP BY 1 ORDER BY 1").fetchall()]


def check_predictor_call(found, demo_sql) -> None:
    churn = found["churn_ios"]
    assert not churn.is_error, churn.content[0].text
    result = churn.structured_content
    assert result["tool"] == "predict_churn" and result["row_count"] == 5
    probabilities = [row[1] for row in result["rows"]]
    assert probabilities == sorted(probabilities, reverse=True)
    users = [row[0] for row in result["rows"]]
    marks = ", ".join("?" * len(users))
    platforms = {p for (p,) in demo_sql.execute(
        f"SELECT DISTINCT platform FROM installs WHERE user_id IN ({marks})", users).fetchall()}
    assert platforms == {"iOS"}


def check_errors(found) -> None:
    def error_of(name: str) -> dict:
        result = found[name]
        assert result.is_error, name
        return result.structured_content["error"]

    assert error_of("describe_unknown")["code"] == "not_found"
    assert "no_such_metric" in error_of("query_unknown")["message"]
    assert error_of("sql_write")["code"] == "forbidden_statement"
    assert error_of("sql_file")["code"] != "internal_error"
    for name, field in (("churn_bad_platform", "platform"), ("churn_invented_arg", "colour")):
        assert found[name].is_error and field in found[name].content[0].text
    assert found["unknown_tool"].is_error and "no_such_tool" in found["unknown_tool"].content[0].text
    texts = [str(found[n].content) for n in found if hasattr(found[n], "content")]
    assert "Traceback" not in json.dumps(texts)


def check_resources_and_prompts(found) -> None:
    assert {str(r.uri) for r in found["resources"]} == {"asklytics://catalog", "asklytics://schema"}
    assert [t.uri_template for t in found["templates"]] == ["asklytics://metrics/{name}"]
    catalog = json.loads(found["catalog"].contents[0].text)
    assert "roas" in {m["name"] for m in catalog["metrics"]}
    schema = json.loads(found["schema"].contents[0].text)
    assert "installs" in {t["name"] for t in schema["tables"]}
    assert json.loads(found["roas_resource"].contents[0].text)["name"] == "roas"
    assert found["unknown_resource"].error.code == -32602  # invalid params: no such resource
    prompts = {p.name for p in found["prompts"]}
    assert {"metric_trend", "compare_segments", "explain_change", "churn_review"} <= prompts
    assert "media_source" in found["prompt"].messages[0].content.text
    explain = found["explain_prompt"].messages[0].content.text
    assert "`explain_change`" in explain and 'metric="installs"' in explain  # the tool, not plain `ask`
    assert "explain_change" in {t.name for t in found["tools"]}  # the tool the prompt names is offered
