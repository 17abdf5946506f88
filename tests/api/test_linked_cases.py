"""linkedCases: cases reached through shared identifiers, in full or as pointers, and pointers end paths.

The world, as SPD's analyst sees it (phones and an e-mail are synthetic):
- SPD-A (SPD's own) holds phone P1 and, through a suspect, e-mail E1.
- KC-B (KCSO, not shared with SPD) holds P1 and phone P2: a pointer at hop 1.
- HSI-C (HSI, shared with SPD) holds P2 only: reachable only through KC-B, so never reached.
- SPD-D (SPD's own) holds E1 through a person, and vehicle V1: full at hop 1.
- TUL-F (Tulalip, shared with SPD) holds V1: full at hop 2, a disclosure that needs a purpose.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for
from tests.support.persons import add_identifier, add_person, open_case, share

SPD, KCSO, TULALIP, HSI = "WASPD0000", "WA0170000", "WADI06800", "USHSI0000"
P1, P2, E1, V1 = "+16125550147", "+16125550148", "synthetic.one@example.org", "WA:SYN0001"
LINKED = """
query($id: ID!, $hops: Int, $first: Int, $after: String) {
  linkedCases(caseId: $id, maxHops: $hops, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node {
      hops access linkedBy { kind value }
      case { id ownerAgencyId title }
      pointer { ownerAgencyId pointOfContact { name phone } matchedIdentifiers { kind value } }
    } }
  }
}
"""
REPORT = "{ accessReport { edges { node { kind recipientAgencyId caseIds matchedIdentifiers purpose operation } } } }"


@dataclass(frozen=True)
class World:
    reader: str
    a: str
    b: str
    c: str
    d: str
    f: str


async def world(client: httpx.AsyncClient, repos: Repositories) -> World:
    spd = await token_for(repos, SPD, Role.ANALYST)
    kcso = await token_for(repos, KCSO, Role.ANALYST)
    hsi = await token_for(repos, HSI, Role.ANALYST)
    tulalip = await token_for(repos, TULALIP, Role.ANALYST)
    a = await open_case(client, spd, "SPD-A")
    await add_identifier(client, spd, "PHONE", "(612) 555-0147", case=a)
    suspect = (await add_person(client, spd, a, name="Synthetic Suspect"))["person"]["id"]
    await add_identifier(client, spd, "EMAIL", E1.upper(), person=suspect)
    b = await open_case(client, kcso, "KC-B")
    await add_identifier(client, kcso, "PHONE", "612.555.0147", case=b)
    await add_identifier(client, kcso, "PHONE", "612 555 0148", case=b)
    c = await open_case(client, hsi, "HSI-C")
    await add_identifier(client, hsi, "PHONE", P2, case=c)
    await share(client, await token_for(repos, HSI, Role.SUPERVISOR), SPD)
    d = await open_case(client, spd, "SPD-D")
    associate = (await add_person(client, spd, d, "ASSOCIATE", name="Synthetic Associate"))["person"]["id"]
    await add_identifier(client, spd, "EMAIL", E1, person=associate)
    await add_identifier(client, spd, "VEHICLE", "WA:SYN-0001", case=d)
    f = await open_case(client, tulalip, "TUL-F")
    await add_identifier(client, tulalip, "VEHICLE", "Washington:SYN 0001", case=f)
    await share(client, await token_for(repos, TULALIP, Role.SUPERVISOR), SPD)
    return World(spd, a, b, c, d, f)


def nodes(body: dict[str, Any]) -> list[dict[str, Any]]:
    assert body.get("errors") is None, body
    return [edge["node"] for edge in body["data"]["linkedCases"]["edges"]]


async def test_one_hop_shows_own_cases_in_full_and_hidden_ones_as_bare_pointers(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    w = await world(client, repos)
    refused = await gql(client, LINKED, {"id": w.a, "hops": 1}, token=w.reader)
    assert error_code(refused) == "PURPOSE_REQUIRED"  # a pointer tells another agency's case exists
    body = await gql(client, LINKED, {"id": w.a, "hops": 1}, token=w.reader, purpose="ring analysis")
    found = sorted(nodes(body), key=lambda node: str(node["access"]))
    assert found == [
        {
            "hops": 1,
            "access": "FULL",
            "linkedBy": [{"kind": "EMAIL", "value": E1}],
            "case": {"id": w.d, "ownerAgencyId": SPD, "title": "Synthetic case SPD-D"},
            "pointer": None,
        },
        {
            "hops": 1,
            "access": "POINTER",
            "linkedBy": [{"kind": "PHONE", "value": P1}],
            "case": None,
            "pointer": {
                "ownerAgencyId": KCSO,
                "pointOfContact": None,
                "matchedIdentifiers": [{"kind": "PHONE", "value": P1}],
            },
        },
    ]
    assert body["data"]["linkedCases"]["totalCount"] == 2
    for secret in (w.b, w.c, P2, "KC-B"):
        assert secret not in str(body)
    again = await gql(client, LINKED, {"id": w.a, "hops": 1}, token=w.reader, purpose="ring analysis")
    cursors = [{edge["cursor"] for edge in answer["data"]["linkedCases"]["edges"]} for answer in (body, again)]
    assert not cursors[0] & cursors[1]  # sealed afresh: nobody can tell that two pointers are one case


async def test_a_pointer_ends_the_path_and_shared_cases_further_on_need_a_purpose(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    w = await world(client, repos)
    refused = await gql(client, LINKED, {"id": w.a, "hops": 3}, token=w.reader)
    assert error_code(refused) == "PURPOSE_REQUIRED"
    body = await gql(client, LINKED, {"id": w.a, "hops": 3}, token=w.reader, purpose="joint investigation")
    found = nodes(body)
    assert sorted((node["hops"], node["access"], (node["case"] or {}).get("id")) for node in found) == [
        (1, "FULL", w.d),
        (1, "POINTER", None),
        (2, "FULL", w.f),
    ]
    far = next(node for node in found if node["hops"] == 2)
    assert far["linkedBy"] == [{"kind": "VEHICLE", "value": V1}]
    for secret in (w.b, w.c, P2):
        assert secret not in str(body)


async def test_pointers_and_disclosures_are_recorded_for_the_owners(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    w = await world(client, repos)
    await gql(client, LINKED, {"id": w.a, "hops": 2}, token=w.reader, purpose="joint investigation")
    kcso_report = await gql(client, REPORT, token=await token_for(repos, KCSO, Role.SUPERVISOR))
    assert [edge["node"] for edge in kcso_report["data"]["accessReport"]["edges"]] == [
        {
            "kind": "POINTER",
            "recipientAgencyId": SPD,
            "caseIds": [w.b],
            "matchedIdentifiers": [f"PHONE:{P1}"],
            "purpose": "joint investigation",
            "operation": "linkedCases",
        }
    ]
    tulalip_report = await gql(client, REPORT, token=await token_for(repos, TULALIP, Role.SUPERVISOR))
    assert [edge["node"]["kind"] for edge in tulalip_report["data"]["accessReport"]["edges"]] == ["CASE"]
    assert tulalip_report["data"]["accessReport"]["edges"][0]["node"]["caseIds"] == [w.f]
    _, entries, _ = await repos.audit.snapshot()
    reads = [json.loads(entry.detail) for entry in entries if entry.kind == "read.linkedCases"]
    assert reads == [{"case": w.a, "maxHops": 2, "found": 3}]
    assert [entry.actor for entry in entries if entry.kind == "read.linkedCases"] == [f"analyst@{SPD}"]


async def test_pages_walk_the_whole_answer_once_in_order(client: httpx.AsyncClient, repos: Repositories) -> None:
    w = await world(client, repos)
    whole = nodes(await gql(client, LINKED, {"id": w.a, "hops": 3}, token=w.reader, purpose="p"))
    walked, after = [], None
    while True:
        body = await gql(
            client, LINKED, {"id": w.a, "hops": 3, "first": 1, "after": after}, token=w.reader, purpose="p"
        )
        walked += nodes(body)
        info = body["data"]["linkedCases"]["pageInfo"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert walked == whole
    assert [node["hops"] for node in walked] == sorted(node["hops"] for node in walked)


async def test_a_case_the_reader_may_not_see_links_nothing_and_bad_arguments_are_refused(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    w = await world(client, repos)
    hidden = await gql(client, LINKED, {"id": w.b, "hops": 1}, token=w.reader, purpose="p")
    missing = await gql(client, LINKED, {"id": "00000000-0000-0000-0000-000000000000"}, token=w.reader, purpose="p")
    assert error_code(hidden) == error_code(missing) == "NOT_FOUND"
    for variables in ({"hops": 4}, {"hops": 0}, {"first": 0}, {"after": "bm90LWEtY3Vyc29y"}):
        body = await gql(client, LINKED, {"id": w.a, **variables}, token=w.reader)
        assert error_code(body) == "BAD_USER_INPUT", (variables, body)
