"""Each HTTP request timed, counted in the metrics and logged in one line under its request id.

`ObservingMiddleware` wraps the whole app, authentication included, so that a request refused for its
credential is counted as well, and its time is the time the client waited. The GraphQL endpoint tells it what
it learnt of a request (`observe_operation`, `observe_outcome`) through the request's state. A request whose
operation is not known (it never reached the endpoint, or its document did not parse or passed a limit, and
`operationName` named none) has an `unknown` operation.

The log line (logger `sett.access`, INFO; DEBUG for probes and scrapes) names the request id that the answer
carries as `X-Request-Id` and every error carries as `extensions.requestId`, with the client's own id if it
sent one, the method, the route, the status, the time taken and, for GraphQL, the operation and its outcome.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLFormattedError, get_operation_ast
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.limits import LIMIT_CODE
from gateway.metrics import ANONYMOUS, BODY_LIMIT, ERROR, OPERATION_NAME, OTHER, RAN, UNAUTHENTICATED, UNKNOWN, Metrics

log = logging.getLogger("sett.access")
GRAPHQL = "/graphql"
ROUTES = frozenset({GRAPHQL, "/import", "/healthz", "/readyz", "/metrics"})
PREFIXES = ("/graphiql/assets/",)
QUIET = frozenset({"/healthz", "/readyz", "/metrics"})
"""Probes and scrapes, logged at DEBUG: they come every few seconds and say nothing of the clients."""
_SEEN = "graphql_seen"


@dataclass
class Seen:
    """What the GraphQL endpoint learnt of one request."""

    known: bool = False
    """Whether the operation is known: its document was parsed and within the limits, or `operationName` named it."""
    operation: str | None = None
    outcome: str | None = None
    limit: str | None = None
    codes: list[str] = field(default_factory=list)
    """The `extensions.code` of each error answered."""


def _seen(request: Request) -> Seen:
    state = request.scope.setdefault("state", {})
    seen = state.get(_SEEN)
    if not isinstance(seen, Seen):
        seen = state[_SEEN] = Seen()
    return seen


def observe_operation(request: Request, document: DocumentNode | None, requested: str | None) -> None:
    """The request's operation: the one `operationName` names, or the document's only one (None if unnamed).
    `document` is None when it did not parse or passed a limit: then only `operationName` tells."""
    seen = _seen(request)
    operation = get_operation_ast(document, requested) if document is not None else None
    seen.known = document is not None or requested is not None
    seen.operation = operation.name.value if operation is not None and operation.name is not None else requested


def observe_outcome(
    request: Request, outcome: str, errors: Sequence[GraphQLError] = (), *, code: str | None = None
) -> None:
    """How the endpoint answered; `errors` (or the `code` of a refusal) tell which limit was passed, if any."""
    seen = _seen(request)
    seen.outcome = outcome
    for error in errors:
        extensions = error.extensions or {}
        if extensions.get("code") == LIMIT_CODE:
            seen.limit = str(extensions.get("limit", BODY_LIMIT))
    if code is not None:
        seen.codes.append(code)
    if code == LIMIT_CODE:
        seen.limit = BODY_LIMIT


def observe_errors(request: Request, errors: Sequence[GraphQLFormattedError]) -> None:
    """The errors answered, as the client sees them."""
    _seen(request).codes.extend(str((error.get("extensions") or {}).get("code")) for error in errors)


def route_of(path: str) -> str:
    if path in ROUTES:
        return path
    for prefix in PREFIXES:
        if path.startswith(prefix):
            return prefix
    return "other"


class ObservingMiddleware:
    """Logs every request; counts it too unless the metrics are off (`metrics` None)."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics | None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state: dict[str, Any] = scope.setdefault("state", {})
        status = 500  # unless a response starts: an exception that escaped is answered 500 further out
        observed = False

        async def send_status(message: Message) -> None:
            nonlocal status, observed
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body", False) and not observed:
                observed = True  # before the answer is complete: a client that has it finds it counted and logged
                self._observed(scope, state, status, time.perf_counter() - started)
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            if not observed:
                self._observed(scope, state, status, time.perf_counter() - started)

    def _observed(self, scope: Scope, state: dict[str, Any], status: int, seconds: float) -> None:
        path = route_of(scope["path"])
        if self.metrics is not None:
            self.metrics.http_request(path=path, status=status)
        entry: dict[str, Any] = {
            "request_id": state.get("request_id"),
            "client_request_id": state.get("client_request_id"),
            "client": state.get("client"),
            "method": scope["method"],
            "path": path,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
        }
        graphql = _graphql_outcome(path, status, state.get(_SEEN))
        if graphql is not None:
            seen, outcome = graphql
            operation = self._operation(seen, ran=outcome in RAN)
            if self.metrics is not None:
                self.metrics.graphql_request(
                    operation=operation, outcome=outcome, seconds=seconds, limit=seen.limit, codes=seen.codes
                )
            named = seen.operation is not None and OPERATION_NAME.fullmatch(seen.operation)
            entry.update(operation=seen.operation if named else operation, outcome=outcome, limit=seen.limit)
        log.log(logging.DEBUG if path in QUIET else logging.INFO, "request", extra=entry)

    def _operation(self, seen: Seen, *, ran: bool) -> str:
        if not seen.known:
            return UNKNOWN
        if self.metrics is None:
            return ANONYMOUS if seen.operation is None else OTHER
        return self.metrics.operations.label(seen.operation, ran=ran)


def _graphql_outcome(path: str, status: int, seen: Seen | None) -> tuple[Seen, str] | None:
    """What a request to `/graphql` counts as; None for what is not a GraphQL request (the GraphiQL page)."""
    if seen is not None and seen.outcome is not None:
        return seen, seen.outcome
    if path != GRAPHQL:
        return None
    if status in (401, 429):
        return seen or Seen(), UNAUTHENTICATED
    if status >= 500:
        return seen or Seen(), ERROR
    return None
