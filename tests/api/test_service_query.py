from __future__ import annotations

import httpx

from gateway import __version__


async def test_the_service_query_names_the_gateway_and_its_version(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ service { name version } }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"service": {"name": "sett", "version": __version__}}}


async def test_an_unknown_field_is_a_graphql_error_not_a_crash(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ nothing }"})
    body = response.json()
    assert body.get("data") is None
    assert "Cannot query field 'nothing'" in body["errors"][0]["message"]
