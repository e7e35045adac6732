"""Every API error is the contract's error object ``{"error": {"code", "message"}}``
with a real HTTP status."""
from __future__ import annotations

import math

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from app.engine.contract import ErrorOut
from app.engine.redis_client import RedisUnavailable
from app.interfaces.shared.errors import RequestError
from common.errors import AsklyticsError, ConfigurationError
from semantic_layer import ModelDoesNotFitWarehouse
from warehouse.errors import QueryTimeout, WarehouseError, WarehouseUnavailable

# An answer whose status is "error" keeps its body (the Answer) but gets a status that says why.
ANSWER_ERROR_STATUS = {
    "empty_question": 422,
    "question_too_long": 422,
    "warehouse_unavailable": 503,
    "conversations_unavailable": 503,
    "query_timeout": 504,
    "llm_unavailable": 502,  # the LLM provider kept failing
    "llm_plan_failed": 502,  # the model gave no plan that passed the checks within the retries
    "llm_not_configured": 503,
    "internal_error": 500,
}
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "body_too_large", 415: "unsupported_media_type",
              422: "invalid_request", 429: "rate_limited"}


class ErrorBody(BaseModel):
    error: ErrorOut


def _documented(description: str) -> dict:
    return {"model": ErrorBody, "description": description}


# Declared on the routers so the OpenAPI document (and schemathesis) know every error shape.
ERROR_RESPONSES = {
    401: _documented("Missing or unknown API key, or an expired or invalid token."),
    403: _documented("A browser call from an origin the key (or token) does not allow."),
    413: _documented("Request body larger than ASKLYTICS_MAX_BODY_BYTES."),
    422: _documented("Invalid request (the message says which field)."),
    429: _documented("Rate limit exceeded; retry after the Retry-After seconds."),
    503: _documented("The warehouse, or the Redis state the call needs (cache, conversations), "
                     "is unavailable."),
}


def error_response(status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


async def _api_error(request: Request, exc: RequestError) -> JSONResponse:
    return error_response(exc.status, exc.code, exc.message, exc.headers)


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    code = HTTP_CODES.get(exc.status_code, "http_error")
    return error_response(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = "; ".join(_describe(e) for e in exc.errors()[:5])
    return error_response(422, "invalid_request", problems or "the request is not valid")


def _describe(error: dict) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    return f"{where or 'body'}: {error.get('msg', 'invalid')}"


async def _warehouse_error(request: Request, exc: WarehouseError) -> JSONResponse:
    status = 503 if isinstance(exc, WarehouseUnavailable) else 504 if isinstance(exc, QueryTimeout) else 400
    return error_response(status, exc.code, exc.message)


async def _not_ready(request: Request, exc: AsklyticsError) -> JSONResponse:
    # the model and the warehouse (or the settings) disagree: nothing can be answered until fixed
    return error_response(503, exc.code, exc.message)


async def _redis_unavailable(request: Request, exc: RedisUnavailable) -> JSONResponse:
    # The component's plain message; the server address and cause are in the log
    # (the breaker logs them).
    retry_after = str(max(1, math.ceil(exc.retry_after_s)))
    return error_response(503, exc.code, exc.message, {"Retry-After": retry_after})


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Whatever slipped past the handlers above is still an error object, never a plain-text page.
    # Starlette re-raises the exception after this response, so the server logs its traceback.
    return error_response(500, "internal_error", "Something went wrong; the error was logged.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestError, _api_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(WarehouseError, _warehouse_error)
    app.add_exception_handler(ModelDoesNotFitWarehouse, _not_ready)
    app.add_exception_handler(ConfigurationError, _not_ready)
    app.add_exception_handler(RedisUnavailable, _redis_unavailable)
    app.add_exception_handler(Exception, _unexpected)
