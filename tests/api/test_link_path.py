"""linkPath: the shortest chain of shared identifiers, only through cases seen in full, a pointer at most last.

As SPD's analyst sees it (all synthetic):
- SPD-1 holds phone P1 and e-mail E1; SPD-2 holds E1 and vehicle V1: P1 -> SPD-1 -> E1 -> SPD-2 -> V1.
- KC-1 (KCSO, hidden) holds V1 and phone P9, and a suspect with ad A1: the chain to P9 ends in a pointer.
- HSI-1 (HSI, shared with SPD) holds P9 and phone P7: P7 is reachable only through KC-1, so never.
"""

from __future__ import annotations

from typing import Any

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for
from tests.support.persons import add_identifier, add_person, open_case, share

SPD, KCSO, HSI = "WASPD0000", "WA0170000", "USHSI0000"
P1, P7, P9, E1, V1 = "+16125550101", "+16125550107", "+16125550109", "one@example.org", "WA:SYN0001"
PATH = """
query($from: PathEndInput!, $to: PathEndInput!, $max: Int) {
  linkPath(from: $from, to: $to, maxCases: $max) {
    identifier { kind value }
    case { id ownerAgencyId }
    pointer { ownerAgencyId matchedIdentifiers { value } }
  }
}
"""

REPORT = "{ accessReport { edges { node { kind recipientAgencyId caseIds matchedIdentifiers purpose operation } } } }"


def phone(value: str) -> dict[str, Any]:
    return {"identifier": {"kind": "PHONE", "value": value}}


async def world(client: httpx.AsyncClient, repos: Repositories) -> dict[str, str]:
    spd = await token_for(repos, SPD, Role.ANALYST)
    kcso = await token_for(repos, KCSO, Role.ANALYST)
    hsi = await token_for(repos, HSI, Role.ANALYST)
    one, two = await open_case(client, spd, "SPD-1"), await open_case(client, spd, "SPD-2")
    await add_identifier(client, spd, "PHONE", P1, case=one)
    suspect = (await add_person(client, spd, one, name="Synthetic Suspect"))["person"]["id"]
    await add_identifier(client, spd, "EMAIL", E1, person=suspect)
    await add_identifier(client, spd, "EMAIL", E1, case=two)
    await add_identifier(client, spd, "VEHICLE", V1, case=two)
    hidden = await open_case(client, kcso, "KC-1")
    await add_identifier(client, kcso, "VEHICLE", V1, case=hidden)
    await add_identifier(client, kcso, "PHONE", P9, case=hidden)
    shared = await open_case(client, hsi, "HSI-1")
    await add_identifier(client, hsi, "PHONE", P9, case=shared)
    await add_identifier(client, hsi, "PHONE", P7, case=shared)
    await share(client, await token_for(repos, HSI, Role.SUPERVISOR), SPD)
    return {"reader": spd, "one": one, "two": two, "hidden": hidden, "suspect": suspect}


async def test_the_shortest_chain_through_visible_cases(client: httpx.AsyncClient, repos: Repositories) -> None:
    w = await world(client, repos)
    body = await gql(
        client,
        PATH,
        {"from": phone("(612) 555-0101"), "to": {"identifier": {"kind": "VEHICLE", "value": "WA:SYN 0001"}}},
        token=w["reader"],
    )
    assert body.get("errors") is None, body
    assert body["data"]["linkPath"] == [
        {"identifier": {"kind": "PHONE", "value": P1}, "case": None, "pointer": None},
        {"identifier": None, "case": {"id": w["one"], "ownerAgencyId": SPD}, "pointer": None},
        {"identifier": {"kind": "EMAIL", "value": E1}, "case": None, "pointer": None},
        {"identifier": None, "case": {"id": w["two"], "ownerAgencyId": SPD}, "pointer": None},
        {"identifier": {"kind": "VEHICLE", "value": V1}, "case": None, "pointer": None},
    ]
    from_person = await gql(client, PATH, {"from": {"personId": w["suspect"]}, "to": phone(P1)}, token=w["reader"])
    assert [step["identifier"] or step["case"] for step in from_person["data"]["linkPath"]] == [
        {"kind": "EMAIL", "value": E1},
        {"id": w["one"], "ownerAgencyId": SPD},
        {"kind": "PHONE", "value": P1},
    ]


async def test_a_hidden_case_ends_the_chain_as_a_pointer_and_nothing_lies_beyond(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    w = await world(client, repos)
    refused = await gql(client, PATH, {"from": phone(P1), "to": phone(P9)}, token=w["reader"])
    assert error_code(refused) == "PURPOSE_REQUIRED"  # the pointer tells that another agency's case exists
    body = await gql(client, PATH, {"from": phone(P1), "to": phone(P9)}, token=w["reader"], purpose="ring analysis")
    steps = body["data"]["linkPath"]
    matched = [{"value": P9}, {"value": V1}]  # the hidden case holds both: the one it was reached by, the target
    assert steps[-2:] == [
        {"identifier": None, "case": None, "pointer": {"ownerAgencyId": KCSO, "matchedIdentifiers": matched}},
        {"identifier": {"kind": "PHONE", "value": P9}, "case": None, "pointer": None},
    ]
    assert w["hidden"] not in str(body)
    report = await gql(client, REPORT, token=await token_for(repos, KCSO, Role.SUPERVISOR))
    assert [edge["node"] for edge in report["data"]["accessReport"]["edges"]] == [
        {
            "kind": "POINTER",
            "recipientAgencyId": SPD,
            "caseIds": [w["hidden"]],
            "matchedIdentifiers": [f"PHONE:{P9}", f"VEHICLE:{V1}"],
            "purpose": "ring analysis",
            "operation": "linkPath",
        }
    ]
    beyond = await gql(client, PATH, {"from": phone(P1), "to": phone(P7)}, token=w["reader"], purpose="p")
    assert beyond.get("errors") is None, beyond
    assert beyond["data"]["linkPath"] is None
    too_short = await gql(client, PATH, {"from": phone(P1), "to": phone(P9), "max": 2}, token=w["reader"], purpose="p")
    assert too_short["data"]["linkPath"] is None


async def test_the_same_identifier_at_both_ends_tells_nothing_about_the_graph(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    w = await world(client, repos)
    for value in (P9, "+16125550199"):  # held only by hidden and shared cases; held by nobody
        body = await gql(client, PATH, {"from": phone(value), "to": phone(value)}, token=w["reader"])
        assert body["data"]["linkPath"] == [
            {"identifier": {"kind": "PHONE", "value": value}, "case": None, "pointer": None}
        ]


async def test_ends_are_checked(client: httpx.AsyncClient, repos: Repositories) -> None:
    w = await world(client, repos)
    other = await token_for(repos, KCSO, Role.ANALYST)
    hidden_person = await gql(client, PATH, {"from": {"personId": w["suspect"]}, "to": phone(P1)}, token=other)
    assert hidden_person["data"]["linkPath"] is None
    for ends in ({"from": {}, "to": phone(P1)}, {"from": phone("12"), "to": phone(P1)}):
        assert error_code(await gql(client, PATH, ends, token=w["reader"])) == "BAD_USER_INPUT"
    assert (
        error_code(await gql(client, PATH, {"from": phone(P1), "to": phone(P9), "max": 5}, token=w["reader"]))
        == "BAD_USER_INPUT"
    )
