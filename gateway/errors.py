"""Errors in GraphQL answers: expected ones carry a stable `extensions.code`; anything else is masked and logged."""

from __future__ import annotations

import logging
from typing import Any

from graphql.error import GraphQLError, GraphQLFormattedError
from starlette.responses import JSONResponse

from agencies.errors import AgencyError
from cases.errors import CaseError

log = logging.getLogger("sett.errors")
EXPECTED = (AgencyError, CaseError)


def coded_errors(
    errors: list[GraphQLError], request_id: str | None, client_request_id: str | None = None
) -> list[GraphQLFormattedError]:
    """The errors as the answer shows them: domain errors keep their message; unexpected ones become a
    generic message with the request id, and are logged in full under that id (and the client's, if given)."""
    return [_coded(error, request_id, client_request_id).formatted for error in errors]


def request_error(
    status: int, message: str, *, code: str = "BAD_REQUEST", headers: dict[str, str] | None = None
) -> JSONResponse:
    """A request that is not a GraphQL request, answered in the shape of a GraphQL answer."""
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status, headers=headers)


def _coded(error: GraphQLError, request_id: str | None, client_request_id: str | None) -> GraphQLError:
    original = error.original_error
    if isinstance(original, EXPECTED):
        return _with_code(error, str(original), original.code)
    if original is None or isinstance(original, GraphQLError):
        code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
        return _with_code(error, error.message, code)
    extra = {"request_id": request_id, "client_request_id": client_request_id, "path": error.path}
    log.error("unexpected error", exc_info=original, extra=extra)
    return _with_code(error, "Unexpected error.", "INTERNAL_SERVER_ERROR", {"requestId": request_id})


def _with_code(error: GraphQLError, message: str, code: str, more: dict[str, Any] | None = None) -> GraphQLError:
    return GraphQLError(
        message=message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": code, **(more or {})},
    )
