"""Operation limits: an oversized request is refused before it runs, fast, with `LIMIT_EXCEEDED` and the limit."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from agencies.principals import Role
from gateway.limits import OperationLimits
from gateway.repositories import Repositories
from tests.support.access import gql, token_for

LIMITS = OperationLimits()
SPD = "WASPD0000"


def limit_of(body: dict[str, Any]) -> tuple[str, str]:
    (error,) = body["errors"]
    return error["extensions"]["code"], error["extensions"].get("limit", "")


async def test_the_attack_of_333333_aliases_is_refused_at_once_and_the_gateway_stays_up(
    client: httpx.AsyncClient,
) -> None:
    query = "{ " + " ".join(f"a{n}: __typename" for n in range(333_333)) + " }"
    started = time.perf_counter()
    response = await client.post("/graphql", json={"query": query})
    elapsed = time.perf_counter() - started
    assert response.status_code == 413
    extensions = response.json()["errors"][0]["extensions"]
    assert extensions == {"code": "LIMIT_EXCEEDED", "requestId": response.headers["x-request-id"]}
    assert elapsed < 5  # generous: the point is it is not the 45 s it took before
    assert (await client.get("/healthz")).status_code == 200


async def test_a_body_larger_than_the_limit_is_refused_also_without_a_content_length(
    client: httpx.AsyncClient,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ __typename }", "variables": {"pad": "'
        for _ in range(LIMITS.body_bytes // 4096 + 1):
            yield b"x" * 4096
        yield b'"}}'

    response = await client.post("/graphql", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert "larger than" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        ("{ " + " ".join(f'a{n}: agency(id: "WASPD0000") {{ name }}' for n in range(1_000)) + " }", "tokens"),
        ("{ " + " ".join(f"a{n}: __typename" for n in range(LIMITS.aliases + 1)) + " }", "aliases"),
        ("{ me { " + "agencyId " * 1_000 + "} }", "fields"),
        ("{ " + "me { " * 50 + "agencyId" + " }" * 50 + " }", "depth"),
        ("{ " + "__typename @include(if: true) " * (LIMITS.directives + 1) + "}", "directives"),
    ],
    ids=["1000 agency aliases", "aliases", "1000 duplicated fields", "depth 50", "directives"],
)
async def test_an_operation_past_a_limit_is_refused_with_the_limit_named(
    client: httpx.AsyncClient, query: str, limit: str
) -> None:
    body = await gql(client, query)
    assert limit_of(body) == ("LIMIT_EXCEEDED", limit)
    assert "data" not in body  # refused before execution


async def test_the_cost_counts_page_sizes_given_in_variables(client: httpx.AsyncClient, repos: Repositories) -> None:
    token = await token_for(repos, SPD, Role.ANALYST)
    query = "query($n: Int!) { a: cases(first: $n) { edges { node { id title summary } } } b: cases(first: $n) { totalCount } }"  # noqa: E501
    refused = await gql(client, query, {"n": 5_000}, token=token)
    assert limit_of(refused) == ("LIMIT_EXCEEDED", "cost")
    served = await gql(client, query, {"n": 20}, token=token)
    assert served.get("errors") is None, served
    assert served["data"]["b"]["totalCount"] == 0
