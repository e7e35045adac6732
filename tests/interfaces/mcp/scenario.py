"""One MCP session's calls, run the same way over stdio and over HTTP: every tool, resource and
prompt, and the errors. Results are collected, then asserted by the tests (a plain module)."""
from __future__ import annotations

from typing import Any

from mcp import Client, MCPError

MCP_KEY = "mcp-test-key-" + "m" * 24
CHECKED_SQL = "SELECT platform, count(*) AS n FROM installs GROUP BY 1 ORDER BY 1"


async def run_scenario(client: Client) -> dict[str, Any]:
    found: dict[str, Any] = {"tools": (await client.list_tools()).tools}
    calls = {
        "ask": ("ask", {"question": "Installs by platform last month"}),
        "ask_refused": ("ask", {"question": "delete all installs from the warehouse"}),
        "list_metrics": ("list_metrics", {}),
        "describe_roas": ("describe_metric", {"name": "roas"}),
        "describe_unknown": ("describe_metric", {"name": "no_such_metric"}),
        "query": ("query_metrics", {"metrics": ["installs"], "dimensions": ["platform"],
                                    "date_from": "2026-06-01", "date_to": "2026-06-30"}),
        "query_unknown": ("query_metrics", {"metrics": ["no_such_metric"]}),
        "sql": ("run_sql", {"sql": CHECKED_SQL}),
        "sql_write": ("run_sql", {"sql": "DELETE FROM installs"}),
        "sql_file": ("run_sql", {"sql": "SELECT * FROM read_csv('/etc/passwd')"}),
        "churn_ios": ("predict_churn", {"platform": "iOS", "limit": 5}),
        "churn_bad_platform": ("predict_churn", {"platform": "Windows"}),
        "churn_invented_arg": ("predict_churn", {"colour": "red"}),
        "unknown_tool": ("no_such_tool", {}),
    }
    for name, (tool, arguments) in calls.items():
        found[name] = await client.call_tool(tool, arguments)
    found["resources"] = (await client.list_resources()).resources
    found["templates"] = (await client.list_resource_templates()).resource_templates
    found["catalog"] = await client.read_resource("asklytics://catalog")
    found["schema"] = await client.read_resource("asklytics://schema")
    found["roas_resource"] = await client.read_resource("asklytics://metrics/roas")
    try:
        await client.read_resource("asklytics://metrics/no_such_metric")
    except MCPError as exc:
        found["unknown_resource"] = exc
    found["prompts"] = (await client.list_prompts()).prompts
    found["prompt"] = await client.get_prompt("compare_segments",
                                              {"metric": "roas", "dimension": "media_source"})
    found["explain_prompt"] = await client.get_prompt("explain_change", {"metric": "installs"})
    return found
