"""Errors in GraphQL answers: expected ones carry a stable `extensions.code`; anything else is masked and logged.

Every error the gateway answers also carries the gateway's own `extensions.requestId` (the `X-Request-Id` of
the answer), whether it is a field error, a request refused before it ran, or a refusal of the HTTP request.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql.error import GraphQLError, GraphQLFormattedError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from agencies.errors import AgencyError
from cases.errors import CaseError
from gateway.media import JSON
from graph.driver import UNAVAILABLE
from strategy.errors import StrategyError

log = logging.getLogger("sett.errors")
EXPECTED = (AgencyError, CaseError, StrategyError)


def coded_errors(
    errors: list[GraphQLError], request_id: str | None, client_request_id: str | None = None
) -> list[GraphQLFormattedError]:
    """The errors as the answer shows them, each with the request id: domain errors keep their message;
    unexpected ones become a generic message, and are logged in full under that id (and the client's, if given)."""
    return [_coded(error, request_id, client_request_id).formatted for error in errors]


def request_error(
    status: int,
    message: str,
    *,
    request_id: str | None,
    code: str = "BAD_REQUEST",
    media_type: str = JSON,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A request refused before anything ran, answered in the shape of a GraphQL answer without `data`."""
    body = {"errors": [{"message": message, "extensions": {"code": code, "requestId": request_id}}]}
    return JSONResponse(body, status, headers=headers, media_type=media_type)


UNAVAILABLE_CODE = "SERVICE_UNAVAILABLE"
UNAVAILABLE_MESSAGE = "the database is not answering; try again shortly"
RETRY_AFTER_SECONDS = 5
"""What `Retry-After` says during an outage: about one retry budget (SETT_NEO4J_RETRY_SECONDS)."""


def unavailable(request_id: str | None, media_type: str = JSON) -> JSONResponse:
    """The answer while Neo4j cannot serve: 503 with Retry-After, in the shape of any refusal."""
    return request_error(
        503,
        UNAVAILABLE_MESSAGE,
        request_id=request_id,
        code=UNAVAILABLE_CODE,
        media_type=media_type,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def any_unavailable(errors: list[GraphQLError]) -> bool:
    return any(isinstance(error.original_error, UNAVAILABLE) for error in errors)


HTTP_CODES = {404: "NOT_FOUND"}
"""`extensions.code` of the HTTP errors that Starlette raises (no such path, a method a route does not serve)."""


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own HTTP errors (404 for an unknown path, 405 for a method a route lacks) as JSON with a code."""
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    code = HTTP_CODES.get(status, "BAD_REQUEST")
    request_id = getattr(request.state, "request_id", None)
    return request_error(status, exc.detail, request_id=request_id, code=code, headers=dict(exc.headers or {}))


def _coded(error: GraphQLError, request_id: str | None, client_request_id: str | None) -> GraphQLError:
    original = error.original_error
    if isinstance(original, EXPECTED):
        return _with_code(error, str(original), original.code, request_id)
    if original is None or isinstance(original, GraphQLError):
        code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
        return _with_code(error, error.message, code, request_id)
    if isinstance(original, UNAVAILABLE):
        log.warning("database unavailable", extra={"request_id": request_id, "error": type(original).__name__})
        return _with_code(error, UNAVAILABLE_MESSAGE, UNAVAILABLE_CODE, request_id)
    extra = {"request_id": request_id, "client_request_id": client_request_id, "path": error.path}
    log.error("unexpected error", exc_info=original, extra=extra)
    return _with_code(error, "Unexpected error.", "INTERNAL_SERVER_ERROR", request_id)


def _with_code(error: GraphQLError, message: str, code: str, request_id: str | None) -> GraphQLError:
    extensions: dict[str, Any] = {**(error.extensions or {}), "code": code, "requestId": request_id}
    return GraphQLError(
        message=message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )
