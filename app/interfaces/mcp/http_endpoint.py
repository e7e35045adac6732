"""The MCP server over Streamable HTTP at ``/mcp`` in ``asklytics serve`` (mounted by the assembly).

Every HTTP request is authenticated like a REST call, by the same rules (app/interfaces/shared/
callers.py): ``Authorization: Bearer <key or token>``, the auth mode, the failed-login limit, the
per-key rate limit and the browser origin (allowed server-wide or by the key, as the MCP
specification asks servers to check ``Origin``); a refused request gets the REST API's error body
and status (401, 403, 429) before the MCP layer sees it. The caller travels in the request's ASGI
state to the tools.

Stateless JSON mode: each POST carries one JSON-RPC message and gets one JSON answer, with no
session kept between requests, so any replica behind a load balancer can answer any request.
The Host header is checked by the app's TrustedHostsMiddleware, so the SDK's own DNS-rebinding
check is off here.
"""
from __future__ import annotations

from contextlib import AbstractAsyncContextManager

from mcp.server.mcpserver import Context
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from app.interfaces.mcp.backend import McpBackend
from app.interfaces.mcp.server import build_mcp_server
from app.interfaces.shared.callers import Caller, admit, check_origin, identify
from app.interfaces.shared.context import ApiContext
from app.interfaces.shared.errors import RequestError
from app.interfaces.shared.state import AppState

MCP_PATH = "/mcp"
CALLER_KEY = "asklytics_caller"


class McpHttpEndpoint:
    """The ASGI app at ``/mcp``; ``lifespan()`` must be entered while the server runs."""

    def __init__(self, state: AppState, api: ApiContext):
        self.api = api
        self.server = build_mcp_server(McpBackend(state, api), http_caller)
        self.server.streamable_http_app(  # builds the session manager this endpoint hands requests to
            streamable_http_path=MCP_PATH, stateless_http=True, json_response=True,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False))
        self._handler = StreamableHTTPASGIApp(self.server.session_manager)

    def lifespan(self) -> AbstractAsyncContextManager[None]:
        return self.server.session_manager.run()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        address = request.client.host if request.client is not None else "unknown"
        try:
            caller = await run_in_threadpool(identify, self.api, _bearer(request), address)
            check_origin(self.api, caller, request.headers.get("origin"), request.headers.get("host"))
            admit(self.api, caller, address)
        except RequestError as exc:
            response = JSONResponse({"error": {"code": exc.code, "message": exc.message}},
                                    status_code=exc.status, headers=exc.headers)
            return await response(scope, receive, send)
        scope.setdefault("state", {})[CALLER_KEY] = caller
        await self._handler(scope, receive, send)


def http_caller(ctx: Context) -> Caller:
    """The caller the endpoint authenticated for this request."""
    try:
        request = ctx.request_context.request
    except (AttributeError, ValueError):  # no context, or one outside a request
        request = None
    caller = getattr(request, "scope", {}).get("state", {}).get(CALLER_KEY) if request is not None else None
    if caller is None:
        raise RequestError(401, "unauthorized", "this MCP request was not authenticated")
    return caller


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" and token.strip() else None
