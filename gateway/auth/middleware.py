"""ASGI middleware: request ids, authentication of the bearer credential, and the 429 for repeated failures."""

from __future__ import annotations

import itertools
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agencies.audit import AuditEvent
from agencies.errors import Unauthenticated
from agencies.ports import AuditLog
from gateway.auth.authenticate import Authenticator
from gateway.auth.client_address import Address, Network, client_address, parse_address
from gateway.auth.jwks import IdentityProviderUnavailable
from gateway.auth.limiter import FailureLimiter, Verdict, address_key, credential_key, retry_after
from gateway.auth.logins import LoginRecorder
from gateway.dashboard.session import BLOCKED, DASHBOARD_PATH, session_token, signed_out
from gateway.errors import request_error, unavailable
from gateway.media import JSON, response_media_type
from gateway.repositories import Repositories
from graph.driver import UNAVAILABLE

log = logging.getLogger("sett.auth")

# Unique across processes and restarts without a random draw per request: a random prefix per process, then a count.
_REQUEST_ID_PREFIX = secrets.token_hex(8)
_request_numbers = itertools.count(1)
MAX_CLIENT_REQUEST_ID = 128
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
"""Probes and scrapes: never authenticated here, so never refused for failures (nor counted)."""


def new_request_id() -> str:
    return f"{_REQUEST_ID_PREFIX}-{next(_request_numbers):x}"


def client_request_id(sent: str | None) -> str | None:
    """The id a client gave its request (X-Request-Id), kept for the logs beside ours when it is short and
    printable ASCII; anything else is dropped rather than written into a log line."""
    if sent is None or not 0 < len(sent) <= MAX_CLIENT_REQUEST_ID or not (sent.isascii() and sent.isprintable()):
        return None
    return sent


class AuthenticationMiddleware:
    """Puts `principal` (or None when no credential is sent), `request_id` and `client` (the client's address,
    see `client_address`) on the request state, and audits logins (see `LoginRecorder`).

    A credential that fails is answered 401, counted against its client address and itself, and audited; once
    either is blocked, failures are answered 429 with `Retry-After` (see `gateway/auth/limiter.py` for what is
    counted, and why a valid credential is served even from a blocked address). The order, per request:

    1. `/healthz`, `/readyz` and `/metrics` pass untouched: no authentication, no limit, no database lookup.
    2. A credential this process knows to be blocked is answered 429 without being checked.
    3. The credential is checked. Valid: served, whatever its address.
    4. Invalid: the failure is counted (in Neo4j, shared by every replica), and answered 429 if the address or
       the credential is blocked now, else 401.
    """

    def __init__(self, app: ASGIApp, *, trusted_proxies: Sequence[Network] = ()) -> None:
        self.app = app
        self.trusted_proxies = tuple(trusted_proxies)
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
        peer = scope["client"][0] if scope.get("client") else None
        address = client_address(peer, headers.getlist("x-forwarded-for"), self.trusted_proxies)
        client = str(address) if address is not None else "unknown"
        state["client"] = client
        via = peer if peer is not None and address != parse_address(peer) else None  # forwarded by a trusted proxy

        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)["X-Request-Id"] = request_id
            await send(message)

        try:
            await self._serve(scope, receive, send_with_id, address, via)
        except (*UNAVAILABLE, IdentityProviderUnavailable) as error:
            log.warning("database unavailable", extra={"request_id": request_id, "error": type(error).__name__})
            if started:
                return  # the answer is on its way and cannot change now; the client sees a cut-off response
            media_type = response_media_type(headers.get("accept")) or JSON
            await unavailable(request_id, media_type)(scope, receive, send_with_id)
        except Exception:
            log.exception("unexpected error", extra={"request_id": request_id, "path": scope.get("path")})
            if started:
                raise
            await _error(500, "Unexpected error.", "INTERNAL_SERVER_ERROR", scope)(scope, receive, send_with_id)

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, address: Address | None, via: str | None
    ) -> None:
        """Authenticates the credential, if any, and passes the request on."""
        state = scope["state"]
        client = state["client"]
        authorization, from_cookie = _credential(scope)
        if authorization is None or scope.get("path") in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        limiter: FailureLimiter = scope["app"].state.limiter
        credential = authorization.partition(" ")[2].strip() or None
        blocked_until = limiter.credential_blocked_until(credential) if credential else 0.0
        if blocked_until:
            key = credential_key(credential) if credential else None
            log.info("blocked credential refused", extra={"client": client, "credential": _short(key)})
            refusal = signed_out(BLOCKED) if from_cookie else _rate_limited(limiter, blocked_until, scope)
            await refusal(scope, receive, send)
            return
        repositories: Repositories = scope["app"].state.repositories
        authenticator: Authenticator = scope["app"].state.authenticator
        try:
            principal = await authenticator.principal(authorization)
        except Unauthenticated as failure:
            where = _Failure(address=address, via=via, credential=credential, reason=str(failure))
            verdict = await self._failed(limiter, repositories.audit, where, scope["path"])
            # A dashboard cookie that fails is dropped, with the sign-in form to follow, blocked or not: a 429 would
            # keep the browser sending it, and sign-out (a POST that carries it) would never get through.
            response = (
                signed_out(BLOCKED if verdict.blocked_until else str(failure))
                if from_cookie
                else _rate_limited(limiter, verdict.blocked_until, scope)
                if verdict.blocked_until
                else _error(401, str(failure), "UNAUTHENTICATED", scope)
            )
            await response(scope, receive, send)
            return
        state["principal"] = principal
        if self.logins.due(principal):
            detail = {"client": client, "method": principal.method.value, "token": principal.token_id}
            await repositories.audit.append(AuditEvent("auth.login", principal.subject, principal.agency_id, detail))
        await self.app(scope, receive, send)

    async def _failed(self, limiter: FailureLimiter, audit: AuditLog, failure: _Failure, path: str) -> Verdict:
        credential = credential_key(failure.credential) if failure.credential else None
        verdict = await limiter.failed(address=address_key(failure.address), credential=credential)
        client = str(failure.address) if failure.address is not None else "unknown"
        detail: dict[str, object] = {
            "client": client,
            "reason": failure.reason,
            "path": path,
            "credential": _short(credential),
            "blocked": bool(verdict.blocked_until),
        }
        if failure.via is not None:
            detail["via"] = failure.via
        if verdict.started:
            detail["blocks"] = [key.partition(":")[0] for key in verdict.started]
        log.warning("authentication failed", extra=detail)
        if verdict.counted:
            await audit.append(AuditEvent("auth.failure", f"client:{client}", None, detail))
        return verdict


def _credential(scope: Scope) -> tuple[str | None, bool]:
    """The Authorization header; on the dashboard's paths without one, the dashboard's session cookie as a bearer
    credential (and True). Nowhere else is the cookie a credential, so no other route can be driven by a browser
    that merely carries it."""
    headers = Headers(scope=scope)
    authorization = headers.get("authorization")
    if authorization is not None or not str(scope.get("path", "")).startswith(DASHBOARD_PATH):
        return authorization, False
    token = session_token(headers.get("cookie"))
    return (f"Bearer {token}", True) if token else (None, False)


@dataclass(frozen=True)
class _Failure:
    address: Address | None
    via: str | None
    """The peer, when it is a trusted proxy that forwarded the request."""
    credential: str | None
    reason: str


def _short(key: str | None) -> str | None:
    """What the logs and the audit log say of a credential: the start of its hash, enough to tell two apart."""
    return key.partition(":")[2][:12] if key else None


def _rate_limited(limiter: FailureLimiter, blocked_until: float, scope: Scope) -> Response:
    response = _error(429, "too many failed authentications; try again later", "RATE_LIMITED", scope)
    response.headers["Retry-After"] = str(retry_after(blocked_until, limiter.now()))
    return response


def _error(status: int, message: str, code: str, scope: Scope) -> Response:
    """A refusal before the request reaches its route, in the media type the client prefers (JSON when it
    accepts neither), with the request id."""
    media_type = response_media_type(Headers(scope=scope).get("accept")) or JSON
    return request_error(status, message, request_id=scope["state"]["request_id"], code=code, media_type=media_type)
