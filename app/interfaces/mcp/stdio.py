"""``asklytics mcp``: the MCP server over stdin/stdout, for a desktop assistant or any MCP client
that starts servers as subprocesses.

The process is started by the user's own client, so it takes the key from its environment
(``ASKLYTICS_API_KEY``, or ``--api-key``): the same key, scope and auth mode as the REST API. A data
folder whose server needs keys (any key exists, or ``ASKLYTICS_REQUIRE_AUTH``) needs one here too;
without a valid key the process says why on stderr and exits before speaking MCP. Nothing but the
protocol is written to stdout.
"""
from __future__ import annotations

from app.interfaces.mcp.backend import McpBackend
from app.interfaces.mcp.server import build_mcp_server
from app.interfaces.shared.callers import Caller, identify
from app.interfaces.shared.context import ApiContext
from app.interfaces.shared.state import AppState

STDIO_ADDRESS = "local"  # what failed logins over stdio count against (there is no peer address)


def stdio_caller(api: ApiContext, api_key: str | None) -> Caller:
    """The caller the key stands for; RequestError (401 or 429, with a message) when it may not call."""
    return identify(api, api_key, STDIO_ADDRESS)


def serve_stdio(state: AppState, api: ApiContext, caller: Caller) -> None:
    server = build_mcp_server(McpBackend(state, api), lambda ctx: caller)
    server.run("stdio")
