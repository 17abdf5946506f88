"""Signing in to the dashboard: the token a coordinator pastes is kept in an HttpOnly, SameSite=Strict cookie that
is a credential only under /dashboard (see `gateway.auth.middleware`), verified on every request like a bearer
token (same failure limits, same audit).

CSRF: every page is a read (GET); the only POSTs, sign-in and sign-out, carry a double-submit token (a random value
in a SameSite=Strict cookie and in the form, compared in constant time) and must come from the dashboard's own
origin (`SETT_PUBLIC_URL`, or the request's own) when the browser says where they come from (Origin,
Sec-Fetch-Site).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

DASHBOARD_PATH = "/dashboard"
SESSION_COOKIE = "sett_dashboard"
CSRF_COOKIE = "sett_dashboard_csrf"
SESSION_SECONDS = 8 * 3600
MAX_TOKEN = 4096


def _cookies(header: str | None) -> dict[str, str]:
    if not header:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def session_token(cookie_header: str | None) -> str | None:
    token = _cookies(cookie_header).get(SESSION_COOKIE)
    return token if token and plausible(token) else None


def plausible(token: str) -> bool:
    """One token as a person pastes it: printable ASCII without spaces, of a sane length."""
    return 0 < len(token) <= MAX_TOKEN and token.isascii() and token.isprintable() and " " not in token


@dataclass(frozen=True)
class Site:
    """Where browsers reach the dashboard: the origin its forms must come from, and whether its cookies are
    Secure. Behind a proxy that terminates TLS the gateway sees plain HTTP (and maybe another host), so the
    request's own scheme and host say nothing of what the browser sees: `SETT_PUBLIC_URL` does."""

    public_origin: str | None = None
    """`SETT_PUBLIC_URL` as an origin (`gateway.settings.public_origin`); None: each request's own."""
    always_secure: bool = False
    """Without a public origin, mark the cookies Secure whatever the request's scheme (production)."""

    def origin(self, request: Request) -> str:
        return self.public_origin or f"{request.url.scheme}://{request.url.netloc}"

    def secure(self, request: Request) -> bool:
        if self.public_origin is not None:
            return self.public_origin.startswith("https://")
        return self.always_secure or request.url.scheme == "https"


def _set(response: Response, request: Request, site: Site, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=SESSION_SECONDS,
        path=DASHBOARD_PATH,
        httponly=True,
        samesite="strict",
        secure=site.secure(request),
    )


def csrf_for(request: Request, response: Response, site: Site) -> str:
    """The CSRF value of this browser (set as a cookie when it has none yet), for the forms of the page."""
    value = _cookies(request.headers.get("cookie")).get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    _set(response, request, site, CSRF_COOKIE, value)
    return value


def same_origin(request: Request, form_csrf: str | None, site: Site) -> bool:
    """The form's CSRF value matches the cookie's, and the browser does not say the POST came from elsewhere
    than the site's origin."""
    if request.headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is not None and origin != site.origin(request):  # "null" is refused too
        return False
    cookie = _cookies(request.headers.get("cookie")).get(CSRF_COOKIE)
    return bool(cookie and form_csrf and hmac.compare_digest(cookie, form_csrf))


def signed_in(request: Request, token: str, site: Site) -> Response:
    response = RedirectResponse(DASHBOARD_PATH, status_code=303)
    _set(response, request, site, SESSION_COOKIE, token)
    return response


BLOCKED = "blocked"
"""The reason `signed_out` is given for a token refused for too many failures (see `gateway.auth.limiter`)."""


def signed_out(reason: str | None = None) -> Response:
    """Back to the sign-in form, the session cookie removed; `reason` says why (an expired or revoked token, or
    BLOCKED), and the form says it again."""
    target = f"{DASHBOARD_PATH}?signed_out={BLOCKED if reason == BLOCKED else 1}" if reason else DASHBOARD_PATH
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=DASHBOARD_PATH, httponly=True, samesite="strict")
    return response
