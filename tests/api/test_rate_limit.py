"""Failed authentications are counted per client address and per credential, in Neo4j for every replica:
a blocked address still serves valid credentials, the health endpoints are never blocked, a credential that
failed too often is refused from anywhere, and X-Forwarded-For counts only from a trusted proxy."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.logs import JsonFormatter
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.access import token_for
from tests.support.graph import query
from tests.support.servers import live_gateway, settings_for_tests

ME = "{ me { subject } }"
SPD = "WASPD0000"
FAILURES = "MATCH (e:AuditEntry {kind: 'auth.failure'}) RETURN e.detail AS detail ORDER BY e.at"
ADDRESS_KEYS = "MATCH (f:AuthFailures) WHERE f.key STARTS WITH 'address:' RETURN f.key AS key ORDER BY key"


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    retry_after: str | None

    @property
    def code(self) -> str | None:
        errors = self.body.get("errors") or []
        return errors[0]["extensions"]["code"] if errors else None


def bad_token() -> str:
    return "sett_" + secrets.token_urlsafe(32)


async def ask(http: httpx.AsyncClient, token: str, forwarded_for: str | None = None) -> Answer:
    headers = {"Authorization": f"Bearer {token}"}
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    response = await http.post("/graphql", json={"query": ME}, headers=headers)
    return Answer(response.status_code, response.json(), response.headers.get("retry-after"))


def limits(**overrides: object) -> dict[str, object]:
    return {
        "auth_address_failure_limit": 10_000,
        "auth_address_window_seconds": 600,
        "auth_address_block_seconds": 600,
        "auth_credential_failure_limit": 10_000,
        "auth_credential_window_seconds": 900,
        "auth_credential_block_seconds": 900,
        **overrides,
    }


def assert_rate_limited(answer: Answer, block_seconds: int) -> None:
    assert (answer.status, answer.code) == (429, "RATE_LIMITED")
    assert "data" not in answer.body  # refused before anything ran
    assert answer.retry_after is not None
    assert 1 <= int(answer.retry_after) <= block_seconds


async def test_a_blocked_address_still_serves_a_valid_token_and_refuses_the_rest(
    repos: Repositories, neo4j_connection: Neo4jConnection, graph: AsyncDriver, caplog: pytest.LogCaptureFixture
) -> None:
    good = await token_for(repos, SPD, Role.ANALYST, subject="analyst-behind-nat")
    stale = [bad_token() for _ in range(4)]
    settings = settings_for_tests(**limits(auth_address_failure_limit=3))
    with live_gateway(settings, neo4j_connection) as url:
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            answers = [await ask(http, token) for token in stale[:3]]
            served = await ask(http, good)
            refused = await ask(http, stale[3])
    assert [(a.status, a.code) for a in answers] == [(401, "UNAUTHENTICATED")] * 2 + [(429, "RATE_LIMITED")]
    assert (served.status, served.body["data"]) == (200, {"me": {"subject": "analyst-behind-nat"}})
    assert_rate_limited(refused, 600)
    assert "unknown" not in refused.body["errors"][0]["message"]  # nothing said of why the credential failed
    audited = [row["detail"] for row in await query(graph, "neo4j", FAILURES)]
    assert len(audited) == 3  # the failure answered by the block is logged, not audited
    stored = await query(graph, "neo4j", "MATCH (f:AuthFailures) RETURN f.key AS key")
    logged = [JsonFormatter().format(record) for record in caplog.records if record.name == "sett.auth"]
    assert len(logged) == 4
    for secret in stale:
        assert all(secret[5:20] not in line for line in logged)
        assert all(secret[5:20] not in row["key"] for row in stored)
        assert all(secret[5:20] not in detail for detail in audited)


async def test_the_health_endpoints_answer_while_the_address_is_blocked(
    repos: Repositories, neo4j_connection: Neo4jConnection
) -> None:
    settings = settings_for_tests(**limits(auth_address_failure_limit=2))
    with live_gateway(settings, neo4j_connection) as url:
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            for _ in range(2):
                await ask(http, bad_token())
            assert (await ask(http, bad_token())).status == 429
            for path in ("/healthz", "/readyz"):
                plain = await http.get(path)
                with_stale_token = await http.get(path, headers={"Authorization": f"Bearer {bad_token()}"})
                assert (plain.status_code, with_stale_token.status_code) == (200, 200), path


async def test_a_credential_that_failed_too_often_is_refused_from_a_fresh_address_and_another_gateway(
    repos: Repositories, neo4j_connection: Neo4jConnection
) -> None:
    stale = bad_token()
    settings = settings_for_tests(**limits(auth_credential_failure_limit=3), trusted_proxies=["127.0.0.1"])
    with live_gateway(settings, neo4j_connection) as one, live_gateway(settings, neo4j_connection) as other:
        async with httpx.AsyncClient(base_url=one, timeout=10) as http:
            answers = [await ask(http, stale, f"203.0.113.{n}") for n in range(1, 4)]
            from_elsewhere = await ask(http, stale, "198.51.100.50")
            another_from_there = await ask(http, bad_token(), "198.51.100.50")
        async with httpx.AsyncClient(base_url=other, timeout=10) as http:
            on_another_gateway = await ask(http, stale, "198.51.100.60")
            again_there = await ask(http, stale, "198.51.100.61")
    assert [a.status for a in answers] == [401, 401, 429]
    assert_rate_limited(from_elsewhere, 900)
    assert (another_from_there.status, another_from_there.code) == (401, "UNAUTHENTICATED")
    assert_rate_limited(on_another_gateway, 900)
    assert_rate_limited(again_there, 900)


async def test_rotating_forwarded_for_from_a_peer_that_is_no_trusted_proxy_does_not_escape_the_block(
    repos: Repositories, neo4j_connection: Neo4jConnection, graph: AsyncDriver
) -> None:
    settings = settings_for_tests(**limits(auth_address_failure_limit=3), trusted_proxies=[])
    with live_gateway(settings, neo4j_connection) as url:
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            answers = [await ask(http, bad_token(), f"203.0.113.{n}") for n in range(1, 6)]
    assert [a.status for a in answers] == [401, 401, 429, 429, 429]
    assert [row["key"] for row in await query(graph, "neo4j", ADDRESS_KEYS)] == ["address:127.0.0.1"]


async def test_from_a_trusted_proxy_the_forwarded_address_is_the_one_counted(
    repos: Repositories, neo4j_connection: Neo4jConnection, graph: AsyncDriver
) -> None:
    settings = settings_for_tests(**limits(auth_address_failure_limit=3), trusted_proxies=["127.0.0.0/8"])
    with live_gateway(settings, neo4j_connection) as url:
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            # the client writes what it likes on the left; the proxy appends the address it saw
            answers = [await ask(http, bad_token(), f"10.9.9.{n}, 203.0.113.7") for n in range(1, 5)]
            neighbour = await ask(http, bad_token(), "203.0.113.8")
            the_proxy_itself = await ask(http, bad_token())
    assert [a.status for a in answers] == [401, 401, 429, 429]
    assert (neighbour.status, the_proxy_itself.status) == (401, 401)
    keys = [row["key"] for row in await query(graph, "neo4j", ADDRESS_KEYS)]
    assert keys == ["address:127.0.0.1", "address:203.0.113.7", "address:203.0.113.8"]
    first = json.loads((await query(graph, "neo4j", FAILURES))[0]["detail"])
    assert (first["client"], first["via"]) == ("203.0.113.7", "127.0.0.1")


async def test_two_gateways_share_the_counts(
    repos: Repositories, neo4j_connection: Neo4jConnection, graph: AsyncDriver
) -> None:
    good = await token_for(repos, SPD, Role.ANALYST)
    settings = settings_for_tests(**limits(auth_address_failure_limit=4))
    with live_gateway(settings, neo4j_connection) as one, live_gateway(settings, neo4j_connection) as other:
        async with httpx.AsyncClient(base_url=one) as first, httpx.AsyncClient(base_url=other) as second:
            statuses = [(await ask(http, bad_token())).status for http in (first, second, first, second)]
            after = [await ask(http, bad_token()) for http in (first, second)]
            served = [(await ask(http, good)).status for http in (first, second)]
    assert statuses == [401, 401, 401, 429]
    for answer in after:
        assert_rate_limited(answer, 600)
    assert served == [200, 200]
    rows = await query(graph, "neo4j", "MATCH (f:AuthFailures {key: 'address:127.0.0.1'}) RETURN f.count AS n")
    assert len(rows) == 1


async def test_a_blocked_dashboard_cookie_is_dropped_and_signing_out_still_works(
    repos: Repositories, neo4j_connection: Neo4jConnection, graph: AsyncDriver
) -> None:
    cookie = {"Cookie": f"sett_dashboard={bad_token()}"}
    settings = settings_for_tests(**limits(auth_credential_failure_limit=2))
    with live_gateway(settings, neo4j_connection) as url:
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            answers = [await http.get("/dashboard", headers=cookie) for _ in range(3)]
            logout = await http.post("/dashboard/logout", headers=cookie, data={"csrf": "x"})
            form = await http.get("/dashboard?signed_out=blocked")
    assert [a.headers.get("location") for a in answers] == [
        "/dashboard?signed_out=1",  # failed
        "/dashboard?signed_out=blocked",  # failed, and now blocked
        "/dashboard?signed_out=blocked",  # blocked: refused unchecked
    ]
    for answer in [*answers, logout]:
        assert answer.status_code == 303
        (dropped,) = [h for h in answer.headers.get_list("set-cookie") if h.startswith("sett_dashboard=")]
        assert "Max-Age=0" in dropped
    assert logout.headers["location"] == "/dashboard?signed_out=blocked"
    assert "Too many failed sign-ins" in form.text
