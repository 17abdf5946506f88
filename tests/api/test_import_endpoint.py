"""`POST /import`: an agency's system pushes a file; the same import as `sett import`, under the caller's token."""

from __future__ import annotations

from typing import Any

import httpx
from neo4j import AsyncDriver

from agencies.principals import Role, Scope
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.access import CASE, CASES, error_code, gql, token_for
from tests.support.graph import query
from tests.support.imports import CASE as CASE_RECORD
from tests.support.imports import PERSON, jsonl
from tests.support.persons import CASE_PERSONS, open_case, share
from tests.support.servers import live_gateway, settings_for_tests

SPD, KCSO = "WASPD0000", "WA0170000"
FILE = jsonl(
    {**CASE_RECORD, "identifiers": [{"kind": "PHONE", "value": "(612) 555-0147"}]},
    {**CASE_RECORD, "sourceId": "C-2"},  # the number of C-1: rejected
    PERSON,
    {**PERSON, "sourceId": "P-2", "cases": [{"caseSourceId": "NOWHERE", "role": "WITNESS"}]},
)
JSONL = {"Content-Type": "application/jsonl"}


async def post(client: httpx.AsyncClient, data: bytes, token: str | None, **headers: str) -> httpx.Response:
    sent = {**JSONL, **headers} if "Content-Type" not in headers else headers
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    return await client.post("/import", content=data, headers=sent)


def code(response: httpx.Response) -> str:
    body: dict[str, Any] = response.json()
    return str(body["errors"][0]["extensions"]["code"])


async def test_an_analyst_imports_and_gets_the_summary_and_every_reject(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)

    answer = await post(client, FILE, analyst)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert {key: body["summary"][key] for key in ("rows", "written", "created", "unchanged", "rejected")} == {
        "rows": 4,
        "written": 2,
        "created": 2,
        "unchanged": 0,
        "rejected": 2,
    }
    assert [(r["line"], r["sourceId"], r["field"]) for r in body["rejects"]] == [
        (2, "C-2", "agencyCaseNumber"),
        (4, "P-2", "cases[0].caseSourceId"),
    ]
    assert body["rejects"][0]["reason"] == "case number MPD-2025-0001 is the case on line 1's already"
    assert body["rejects"][1]["reason"] == "no case NOWHERE: it is neither earlier in the file nor imported before"
    again = await post(client, FILE, analyst)
    assert again.json()["summary"]["unchanged"] == 2
    entries = await query(graph, "neo4j", "MATCH (e:AuditEntry {kind: 'import.batch'}) RETURN e.actor AS actor")
    assert [row["actor"] for row in entries] == [f"analyst@{SPD}"]  # the second import wrote nothing


async def test_csv_is_taken_by_its_content_type_or_by_format(client: httpx.AsyncClient, repos: Repositories) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    data = b"record,sourceId,agencyCaseNumber,title,openedOn\ncase,C-1,MPD-1,Synthetic case,2025-01-15\n"
    by_type = await post(client, data, analyst, **{"Content-Type": "text/csv; charset=utf-8"})
    assert (by_type.status_code, by_type.json()["summary"]["created"]) == (200, 1)
    by_name = await post(client, data, analyst, **{"Content-Type": "application/octet-stream"})
    assert (by_name.status_code, code(by_name)) == (415, "BAD_REQUEST")
    named = await client.post(
        "/import?format=csv", content=data, headers={"Authorization": f"Bearer {analyst}", "Content-Type": "x/y"}
    )
    assert named.json()["summary"]["unchanged"] == 1


async def test_an_import_needs_a_token_with_cases_write_and_cases_read(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    reader = await token_for(repos, SPD, Role.ANALYST, scopes=frozenset({Scope.CASES_READ}))
    writer = await token_for(repos, SPD, Role.ANALYST, scopes=frozenset({Scope.CASES_WRITE}))
    liaison = await token_for(repos, SPD, Role.LIAISON)
    anonymous = await post(client, FILE, None)
    assert (anonymous.status_code, code(anonymous)) == (401, "UNAUTHENTICATED")
    for token in (reader, writer, liaison):
        refused = await post(client, FILE, token)
        assert (refused.status_code, code(refused)) == (403, "FORBIDDEN")
        assert refused.json()["errors"][0]["extensions"]["requestId"] == refused.headers["X-Request-Id"]
    bad = await post(client, FILE, "sett_not-a-token")
    assert (bad.status_code, code(bad)) == (401, "UNAUTHENTICATED")
    assert (await query(graph, "neo4j", "MATCH (c:Case) RETURN count(c) AS n")) == [{"n": 0}]
    assert (await client.get("/import")).status_code == 405


async def test_a_file_over_the_import_limit_is_refused_with_the_limit_named(
    repos: Repositories, neo4j_connection: Neo4jConnection, graph: AsyncDriver
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    settings = settings_for_tests(import_max_bytes=2048)
    with live_gateway(settings, neo4j_connection) as url:
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            fits = await post(http, FILE, analyst)
            too_big = await post(http, FILE + b"\n" * 2048, analyst)
    assert fits.status_code == 200
    assert too_big.status_code == 413
    extensions = too_big.json()["errors"][0]["extensions"]
    assert (extensions["code"], extensions["limit"], extensions["maximum"]) == ("LIMIT_EXCEEDED", "importBytes", 2048)
    assert "SETT_IMPORT_MAX_BYTES" in too_big.json()["errors"][0]["message"]
    assert (await query(graph, "neo4j", "MATCH (c:Case) RETURN count(c) AS n")) == [{"n": 1}]  # the one that fit


async def test_imported_cases_are_shown_and_hidden_exactly_like_cases_opened_in_sett(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    partner = await token_for(repos, KCSO, Role.ANALYST)
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    assert (await post(client, FILE, analyst)).status_code == 200
    [imported] = await query(graph, "neo4j", "MATCH (c:Case {sourceId: 'C-1'}) RETURN c.id AS id")
    case_id = imported["id"]
    opened = await open_case(client, analyst, "SPD-OPENED-1")
    own = await gql(client, CASES, {"first": 10}, token=analyst)
    assert sorted(edge["node"]["id"] for edge in own["data"]["cases"]["edges"]) == sorted([case_id, opened])
    persons = await gql(client, CASE_PERSONS, {"id": case_id}, token=analyst)
    assert persons["data"]["case"]["identifiers"] == [{"kind": "PHONE", "value": "+16125550147"}]
    [on_case] = persons["data"]["case"]["persons"]
    assert (on_case["role"], on_case["person"]["name"]) == ("SUSPECT", "Jordan Example")

    hidden = await gql(client, CASES, {"first": 10}, token=partner, purpose="deconfliction")
    assert hidden["data"]["cases"]["totalCount"] == 0
    for one in (case_id, opened):
        assert error_code(await gql(client, CASE, {"id": one}, token=partner, purpose="deconfliction")) == "NOT_FOUND"

    await share(client, supervisor, KCSO)
    shared = await gql(client, CASES, {"first": 10}, token=partner, purpose="deconfliction")
    nodes = {edge["node"]["id"]: edge["node"] for edge in shared["data"]["cases"]["edges"]}
    assert sorted(nodes) == sorted([case_id, opened])
    assert {(node["ownerAgencyId"], tuple(node["redacted"])) for node in nodes.values()} == {
        (SPD, ("victimServicesNotes", "victims"))  # one shape for both: the same redactions
    }
