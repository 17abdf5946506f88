"""When Neo4j goes away, every request answers SERVICE_UNAVAILABLE within a few seconds; when it returns, Sett
serves again by itself. This test owns its Neo4j, since it kills it."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from agencies.principals import Role
from gateway.repositories import Repositories
from graph.driver import create_driver
from graph.migrator import load_migrations, migrate
from graph.runtime import LocalNeo4j
from graph.runtime.processes import wait_until_gone
from tests.support.access import add_agencies, gql, repositories, token_for
from tests.support.servers import connection_to, live_gateway, owned_neo4j, settings_for_tests

SPD = "WASPD0000"
CASES = "{ cases(first: 1) { totalCount } }"
WITHIN = 20.0
"""A hang fails the test by this client timeout; a retry budget of 2 s answers long before it."""


@pytest.fixture
def neo4j(tmp_path: Path) -> Iterator[LocalNeo4j]:
    runtime = owned_neo4j(tmp_path / "neo4j")
    runtime.start()
    try:
        yield runtime
    finally:
        runtime.stop()


@pytest.fixture
async def tokens(neo4j: LocalNeo4j) -> AsyncIterator[tuple[str, str]]:
    connection = connection_to(neo4j)
    driver = create_driver(connection)
    try:
        await migrate(driver, connection.database, load_migrations())
        repos: Repositories = repositories(driver, connection.database)
        await add_agencies(repos, SPD)
        yield await token_for(repos, SPD, Role.ANALYST), await token_for(repos, SPD, Role.ANALYST)
    finally:
        await driver.close()


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) >= 1
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]


async def test_an_outage_answers_503_at_once_and_service_resumes_by_itself(
    neo4j: LocalNeo4j, tokens: tuple[str, str]
) -> None:
    used, fresh = tokens
    connection = connection_to(neo4j)
    settings = settings_for_tests(neo4j_retry_seconds=2.0)
    with live_gateway(settings, connection) as url:
        async with httpx.AsyncClient(base_url=url, timeout=WITHIN) as client:
            assert (await gql(client, CASES, token=used))["data"]["cases"]["totalCount"] == 0  # `used` is cached now

            pid = neo4j.status().pid
            assert pid is not None
            in_flight = asyncio.create_task(client.post("/graphql", json={"query": CASES}, headers=_bearer(used)))
            os.kill(pid, signal.SIGKILL)
            assert wait_until_gone(pid, 10)
            during = await in_flight
            assert during.status_code in (200, 503)  # it may have been answered before the kill landed
            if during.status_code == 503:
                assert_unavailable(during)

            assert_unavailable(await client.post("/graphql", json={"query": CASES}, headers=_bearer(used)))
            assert_unavailable(
                await client.post("/graphql", json={"query": "{ me { subject } }"}, headers=_bearer(fresh))
            )
            assert (await client.get("/readyz")).status_code == 503
            assert (await client.get("/healthz")).status_code == 200

            neo4j.start()
            await _until_ready(client)
            back = await gql(client, CASES, token=fresh)
            assert back.get("errors") is None, back
            assert back["data"]["cases"]["totalCount"] == 0


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _until_ready(client: httpx.AsyncClient, seconds: float = 60) -> None:
    for _ in range(int(seconds / 0.2)):
        if (await client.get("/readyz")).status_code == 200:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"the gateway was not ready {seconds} s after Neo4j returned")
