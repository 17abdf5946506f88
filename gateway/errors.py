"""Errors in GraphQL answers: expected ones carry a stable `extensions.code`; anything else is masked and logged."""

from __future__ import annotations

import logging
from typing import Any

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from agencies.errors import AgencyError
from cases.errors import CaseError

log = logging.getLogger("sett.errors")
EXPECTED = (AgencyError, CaseError)


class SettErrors(MaskErrors):
    """Gives every error a code: domain errors keep their message; unexpected ones become a generic
    message with the request id, and are logged in full under that id."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._process(error) for error in errors]

    def _process(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, EXPECTED):
            return _with_code(error, str(original), original.code)
        if original is None or isinstance(original, GraphQLError):
            code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
            return _with_code(error, error.message, code)
        request_id = _request_id(self.execution_context.context)
        log.error("unexpected error", exc_info=original, extra={"request_id": request_id, "path": error.path})
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


def _request_id(context: Any) -> str | None:
    request = getattr(context, "request", None)
    return getattr(getattr(request, "state", None), "request_id", None)
