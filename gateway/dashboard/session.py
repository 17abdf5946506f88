"""Signing in to the dashboard: the token a coordinator pastes is kept in an HttpOnly, SameSite=Strict cookie that
is a credential only under /dashboard (see `gateway.auth.middleware`), verified on every request like a bearer
token (same failure limits, same audit).

CSRF: every page is a read (GET); the only POSTs, sign-in and sign-out, carry a double-submit token (a random value
in a SameSite=Strict cookie and in the form, compared in constant time) and must come from the dashboard's own
origin when the browser says where they come from (Origin, Sec-Fetch-Site).
"""

from __future__ import annotations

import hmac
import secrets
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


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _set(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=DASHBOARD_PATH,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


def csrf_for(request: Request, response: Response) -> str:
    """The CSRF value of this browser (set as a cookie when it has none yet), for the forms of the page."""
    value = _cookies(request.headers.get("cookie")).get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    _set(response, request, CSRF_COOKIE, value, SESSION_SECONDS)
    return value


def same_origin(request: Request, form_csrf: str | None) -> bool:
    """The form's CSRF value matches the cookie's, and the browser does not say the POST came from elsewhere."""
    if request.headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":  # "null" is refused too
        return False
    cookie = _cookies(request.headers.get("cookie")).get(CSRF_COOKIE)
    return bool(cookie and form_csrf and hmac.compare_digest(cookie, form_csrf))


def signed_in(request: Request, token: str) -> Response:
    response = RedirectResponse(DASHBOARD_PATH, status_code=303)
    _set(response, request, SESSION_COOKIE, token, SESSION_SECONDS)
    return response


def signed_out(reason: str | None = None) -> Response:
    """Back to the sign-in form, the session cookie removed; `reason` says why (an expired or revoked token)."""
    target = f"{DASHBOARD_PATH}?signed_out=1" if reason else DASHBOARD_PATH
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=DASHBOARD_PATH, httponly=True, samesite="strict")
    return response
