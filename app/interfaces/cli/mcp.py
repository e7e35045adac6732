"""``asklytics mcp``: the MCP server over stdio (docs/embedding.md), for Claude Desktop or any MCP
client that starts its servers as subprocesses. Over HTTP it is ``/mcp`` in ``asklytics serve``."""
from __future__ import annotations

import typer

from app.interfaces.cli.common import fail, load_settings


def mcp(
    api_key: str = typer.Option(None, "--api-key", envvar="ASKLYTICS_API_KEY", show_default=False,
                                help="The API key to act as (default: $ASKLYTICS_API_KEY); needed when the "
                                     "server needs keys, as for the REST API."),
) -> None:
    """Serve the MCP tools, resources and prompts over stdin/stdout (nothing else is printed there)."""
    from app.interfaces.assembly import run_mcp_stdio
    from common.errors import AsklyticsError

    settings = load_settings()
    try:
        run_mcp_stdio(settings, api_key)
    except AsklyticsError as exc:  # a refused key, a model that does not fit the warehouse
        fail(exc.message)
