"""The dashboard's session cookie and CSRF rules, on requests built by hand."""

from __future__ import annotations

from starlette.requests import Request

from gateway.dashboard.session import CSRF_COOKIE, SESSION_COOKIE, Site, same_origin, session_token

OWN = Site()
"""No public origin: each request's own."""


def request(headers: dict[str, str], scheme: str = "http") -> Request:
    raw = [(name.lower().encode(), value.encode()) for name, value in {"host": "127.0.0.1:8000", **headers}.items()]
    return Request({"type": "http", "method": "POST", "scheme": scheme, "path": "/dashboard/login", "headers": raw})


def test_the_session_token_is_read_from_its_cookie_only_when_it_looks_like_one() -> None:
    assert session_token(f"{CSRF_COOKIE}=x; {SESSION_COOKIE}=sett_abc") == "sett_abc"
    assert session_token(f"{CSRF_COOKIE}=x") is None
    assert session_token(None) is None
    assert session_token(f'{SESSION_COOKIE}="a b"') is None  # a space: not a token anyone pasted
    assert session_token(f"{SESSION_COOKIE}={'x' * 5000}") is None


def test_a_form_passes_only_with_the_cookies_csrf_value_from_this_origin() -> None:
    cookie = {"cookie": f"{CSRF_COOKIE}=secret-value"}
    assert same_origin(request(cookie), "secret-value", OWN)
    assert same_origin(
        request({**cookie, "origin": "http://127.0.0.1:8000", "sec-fetch-site": "same-origin"}), "secret-value", OWN
    )
    assert not same_origin(request(cookie), "another-value", OWN)
    assert not same_origin(request(cookie), None, OWN)
    assert not same_origin(request({}), "secret-value", OWN)  # no cookie: nothing to compare with
    assert not same_origin(request({**cookie, "origin": "https://attacker.example"}), "secret-value", OWN)
    assert not same_origin(request({**cookie, "origin": "null"}), "secret-value", OWN)
    assert not same_origin(request({**cookie, "sec-fetch-site": "cross-site"}), "secret-value", OWN)
    assert not same_origin(request({**cookie, "sec-fetch-site": "same-site"}), "secret-value", OWN)


def test_behind_a_proxy_the_form_must_come_from_the_public_origin() -> None:
    public = Site(public_origin="https://sett.example.gov")
    cookie = {"cookie": f"{CSRF_COOKIE}=secret-value"}
    assert same_origin(request({**cookie, "origin": "https://sett.example.gov"}), "secret-value", public)
    assert not same_origin(request({**cookie, "origin": "http://127.0.0.1:8000"}), "secret-value", public)
    assert not same_origin(request({**cookie, "origin": "http://sett.example.gov"}), "secret-value", public)
    assert not same_origin(request({**cookie, "origin": "https://sett.example.gov"}), "secret-value", OWN)


def test_cookies_are_secure_as_the_public_origin_says_or_in_production_or_over_https() -> None:
    assert Site(public_origin="https://sett.example.gov").secure(request({}))
    assert not Site(public_origin="http://sett.internal:8000").secure(request({}, "https"))
    assert Site(always_secure=True).secure(request({}))
    assert not OWN.secure(request({}))
    assert OWN.secure(request({}, "https"))
