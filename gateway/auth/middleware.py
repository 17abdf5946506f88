"""ASGI middleware: request ids, authentication of the bearer credential, and the 429 for repeated failures."""

from __future__ import annotations

import itertools
import logging
import secrets

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agencies.audit import AuditEvent
from agencies.errors import Unauthenticated
from agencies.ports import AuditLog
from gateway.auth.authenticate import Authenticator
from gateway.auth.limiter import FailureLimiter
from gateway.auth.logins import LoginRecorder
from gateway.repositories import Repositories

log = logging.getLogger("sett.auth")

# Unique across processes and restarts without a random draw per request: a random prefix per process, then a count.
_REQUEST_ID_PREFIX = secrets.token_hex(8)
_request_numbers = itertools.count(1)
MAX_CLIENT_REQUEST_ID = 128


def new_request_id() -> str:
    return f"{_REQUEST_ID_PREFIX}-{next(_request_numbers):x}"


def client_request_id(sent: str | None) -> str | None:
    """The id a client gave its request (X-Request-Id), kept for the logs beside ours when it is short and
    printable ASCII; anything else is dropped rather than written into a log line."""
    if sent is None or not 0 < len(sent) <= MAX_CLIENT_REQUEST_ID or not (sent.isascii() and sent.isprintable()):
        return None
    return sent


class AuthenticationMiddleware:
    """Puts `principal` (or None when no credential is sent) and `request_id` on the request state, and
    audits logins (see `LoginRecorder`).

    A credential that fails is answered 401 at once, recorded in the audit log, and counted: after too
    many failures from one client, the client gets 429 until its block ends.
    """

    def __init__(self, app: ASGIApp, *, limiter: FailureLimiter) -> None:
        self.app = app
        self.limiter = limiter
        self.logins = LoginRecorder()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        request_id = new_request_id()  # never the client's: a log line must not be forged or merged with another
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["client_request_id"] = client_request_id(headers.get("x-request-id"))
        state["principal"] = None
        client = scope["client"][0] if scope.get("client") else "unknown"

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-Id"] = request_id
            await send(message)

        if self.limiter.blocked(client):
            response = _error(429, "too many failed authentications; try again later", "RATE_LIMITED")
            response.headers["Retry-After"] = str(self.limiter.retry_after(client))
            await response(scope, receive, send_with_id)
            return
        authorization = headers.get("authorization")
        if authorization is not None:
            repositories: Repositories = scope["app"].state.repositories
            authenticator: Authenticator = scope["app"].state.authenticator
            try:
                principal = await authenticator.principal(authorization)
            except Unauthenticated as failure:
                await self._failed(repositories.audit, client, str(failure), Request(scope).url.path)
                await _error(401, str(failure), "UNAUTHENTICATED")(scope, receive, send_with_id)
                return
            state["principal"] = principal
            if self.logins.due(principal):
                detail = {"client": client, "method": principal.method.value, "token": principal.token_id}
                await repositories.audit.append(
                    AuditEvent("auth.login", principal.subject, principal.agency_id, detail)
                )
        await self.app(scope, receive, send_with_id)

    async def _failed(self, audit: AuditLog, client: str, reason: str, path: str) -> None:
        blocked = self.limiter.fail(client)
        log.warning("authentication failed", extra={"client": client, "reason": reason, "blocked": blocked})
        detail = {"client": client, "reason": reason, "path": path, "blocked": blocked}
        await audit.append(AuditEvent("auth.failure", f"client:{client}", None, detail))


def _error(status: int, message: str, code: str) -> JSONResponse:
    return JSONResponse({"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}, status)
