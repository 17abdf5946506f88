"""Coarse checks on fields: no credential is UNAUTHENTICATED, a credential without the scope is FORBIDDEN, for
every request, whatever requests came before (strawberry keeps one permission instance per field)."""

from __future__ import annotations

import httpx

from agencies.principals import Role, Scope
from gateway.repositories import Repositories
from tests.support.access import CASES, error_code, gql, token_for


async def test_a_missing_scope_is_forbidden_even_after_an_anonymous_request(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    writer_only = await token_for(repos, "WASPD0000", Role.ANALYST, scopes=frozenset({Scope.CASES_WRITE}))
    reader = await token_for(repos, "WASPD0000", Role.ANALYST)

    assert error_code(await gql(client, CASES, {"first": 1})) == "UNAUTHENTICATED"
    assert error_code(await gql(client, CASES, {"first": 1}, token=writer_only)) == "FORBIDDEN"
    assert error_code(await gql(client, CASES, {"first": 1})) == "UNAUTHENTICATED"
    assert error_code(await gql(client, CASES, {"first": 1}, token=reader)) is None
