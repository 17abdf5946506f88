"""With a broker, tokens are authenticated from the gateway's cache, and a revocation made anywhere — through
this gateway's API or by the CLI in another process — refuses the token on its very next request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.access import error_code, gql, token_for
from tests.support.cli import sett, sett_env
from tests.support.graph import query
from tests.support.servers import live_gateway, owned_redis, settings_for_tests, stop_redis

ME = "{ me { agencyId } }"
SPD = "WASPD0000"


@pytest.fixture
async def cached(brokered_gateway_url: str, graph: AsyncDriver) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=brokered_gateway_url, timeout=10) as http:
        yield http


async def token_id_of(graph: AsyncDriver, subject: str) -> str:
    rows = await query(graph, "neo4j", "MATCH (t:Token {subject: $subject}) RETURN t.id AS id", subject=subject)
    return str(rows[0]["id"])


async def test_a_cached_token_needs_no_database_lookup(
    cached: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    token = await token_for(repos, SPD, Role.ANALYST)
    assert (await gql(cached, ME, token=token))["data"]["me"]["agencyId"] == SPD
    await query(graph, "neo4j", "MATCH (t:Token) SET t.hash = 'moved'")  # a lookup by hash would now fail
    assert (await gql(cached, ME, token=token))["data"]["me"]["agencyId"] == SPD


async def test_revoking_through_the_api_refuses_the_next_request(
    cached: httpx.AsyncClient, repos: Repositories
) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    analyst = await token_for(repos, SPD, Role.ANALYST, subject="cached-analyst@WASPD0000")
    assert (await gql(cached, ME, token=analyst))["status"] == 200
    token_id = next(t.id for t in await repos.tokens.list(SPD) if t.subject == "cached-analyst@WASPD0000")

    revoked = await gql(
        cached, "mutation($id: ID!) { revokeToken(id: $id) { id } }", {"id": token_id}, token=supervisor
    )
    assert revoked["data"]["revokeToken"]["id"] == token_id
    refused = await gql(cached, ME, token=analyst)
    assert (refused["status"], error_code(refused)) == (401, "UNAUTHENTICATED")


async def test_revoking_from_the_cli_in_another_process_refuses_the_next_request(
    cached: httpx.AsyncClient,
    repos: Repositories,
    graph: AsyncDriver,
    neo4j_connection: Neo4jConnection,
    redis_url: str,
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST, subject="cli-revoked@WASPD0000")
    for _ in range(3):
        assert (await gql(cached, ME, token=analyst))["status"] == 200
    token_id = await token_id_of(graph, "cli-revoked@WASPD0000")

    result = await asyncio.to_thread(
        sett, "token", "revoke", token_id, env=sett_env(neo4j_connection, SETT_BROKER_URL=redis_url)
    )
    assert result.returncode == 0, result.stderr
    refused = await gql(cached, ME, token=analyst)
    assert (refused["status"], error_code(refused)) == (401, "UNAUTHENTICATED")


async def test_without_a_broker_a_cli_revocation_is_seen_because_nothing_is_cached(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST, subject="uncached@WASPD0000")
    assert (await gql(client, ME, token=analyst))["status"] == 200
    token_id = await token_id_of(graph, "uncached@WASPD0000")

    result = await asyncio.to_thread(sett, "token", "revoke", token_id, env=sett_env(neo4j_connection))
    assert result.returncode == 0, result.stderr
    assert "SETT_BROKER_URL is not set here, so no gateway was told" in result.stderr
    assert (await gql(client, ME, token=analyst))["status"] == 401


async def test_when_the_broker_goes_away_the_cache_is_no_longer_trusted(
    repos: Repositories, graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    token = await token_for(repos, SPD, Role.ANALYST)
    with owned_redis() as redis_url, live_gateway(settings_for_tests(broker_url=redis_url), neo4j_connection) as url:
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            assert (await gql(http, ME, token=token))["status"] == 200
            await query(graph, "neo4j", "MATCH (t:Token) SET t.hash = 'moved'")
            assert (await gql(http, ME, token=token))["status"] == 200  # from the cache
            stop_redis(redis_url)
            deadline = asyncio.get_running_loop().time() + 10
            while (await gql(http, ME, token=token))["status"] == 200:  # until the silence is noticed
                assert asyncio.get_running_loop().time() < deadline, "the cache was still trusted after 10 s"
                await asyncio.sleep(0.1)
            assert (await gql(http, ME, token=token))["status"] == 401
