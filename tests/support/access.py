"""Setting up agencies, tokens and cases for access tests, and speaking GraphQL over HTTP."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from neo4j import AsyncDriver

from agencies import service
from agencies.models import Agency, AgencyLevel, AgencySource
from agencies.principals import Role, Scope
from gateway.cli.operator import operator
from gateway.repositories import Repositories

AGENCY_IDS = ("WASPD0000", "WA0170000", "WADI06800", "USHSI0000", "USOVC0000")


def repositories(driver: AsyncDriver, database: str = "neo4j") -> Repositories:
    return Repositories.on(driver, database)


async def add_agencies(repos: Repositories, *ids: str) -> None:
    await repos.agencies.upsert_many(
        [
            Agency(id=agency_id, name=f"Agency {agency_id}", level=AgencyLevel.LOCAL, source=AgencySource.FBI_CDE)
            for agency_id in ids or AGENCY_IDS
        ]
    )


async def token_for(
    repos: Repositories,
    agency_id: str,
    *roles: Role,
    scopes: frozenset[Scope] | None = None,
    lifetime: timedelta = timedelta(days=1),
    subject: str | None = None,
) -> str:
    issued = await service.issue_token(
        principal=operator(),
        agency_id=agency_id,
        subject=subject or f"{roles[0].lower()}@{agency_id}",
        roles=frozenset(roles),
        scopes=scopes,
        description="test",
        lifetime=lifetime,
        tokens=repos.tokens,
        agencies=repos.agencies,
    )
    return issued.secret


async def gql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    purpose: str | None = None,
) -> dict[str, Any]:
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if purpose is not None:
        headers["X-Sett-Purpose"] = purpose
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
    body: dict[str, Any] = response.json()
    body["status"] = response.status_code
    return body


def error_code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


OPEN_CASE = """
mutation($case: OpenCaseInput!) {
  openCase(case: $case) { id ownerAgencyId title labels victimServicesNotes redacted teamAgencyIds status }
}
"""
CASE = "query($id: ID!) { case(id: $id) { id ownerAgencyId title victimServicesNotes redacted } }"
CASES = """
query($first: Int, $after: String, $filter: CaseFilterInput) {
  cases(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id ownerAgencyId victimServicesNotes redacted } }
  }
}
"""


def case_input(
    number: str, *, labels: tuple[str, ...] = (), notes: str | None = "synthetic victim notes"
) -> dict[str, Any]:
    return {
        "agencyCaseNumber": number,
        "title": f"Synthetic case {number}",
        "openedOn": "2026-01-15",
        "labels": list(labels),
        "victimServicesNotes": notes,
        "offenses": ["18 USC 1591"],
    }
