"""lookupIdentifier: the input normalised, visible holders in full, pointers for the others, all recorded."""

from __future__ import annotations

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for
from tests.support.persons import add_identifier, add_person, open_case, share

SPD, KCSO, TULALIP = "WASPD0000", "WA0170000", "WADI06800"
LOOKUP = """
query($kind: IdentifierKind!, $value: String!) {
  lookupIdentifier(identifier: {kind: $kind, value: $value}) {
    totalCount
    edges { node {
      hops access linkedBy { kind value } case { id } pointer { ownerAgencyId matchedIdentifiers { value } }
    } }
  }
}
"""
REPORT = "{ accessReport { edges { node { kind recipientAgencyId caseIds matchedIdentifiers operation } } } }"


async def test_holders_are_shown_as_the_policy_allows(client: httpx.AsyncClient, repos: Repositories) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    kcso = await token_for(repos, KCSO, Role.ANALYST)
    tulalip = await token_for(repos, TULALIP, Role.ANALYST)
    own = await open_case(client, spd, "SPD-L1")
    await add_identifier(client, spd, "ONLINE_AD", "https://seattle.backpage.com/ads/98765?utm_source=x", case=own)
    hidden = await open_case(client, kcso, "KC-L1")
    await add_identifier(client, kcso, "ONLINE_AD", "backpage.com:98765", case=hidden)
    shared = await open_case(client, tulalip, "TUL-L1")
    suspect = (await add_person(client, tulalip, shared, name="Synthetic Suspect"))["person"]["id"]
    await add_identifier(client, tulalip, "ONLINE_AD", "www.backpage.com/ads/98765", person=suspect)
    await share(client, await token_for(repos, TULALIP, Role.SUPERVISOR), SPD)
    variables = {"kind": "ONLINE_AD", "value": "http://backpage.com/ads/98765?fbclid=abc"}
    refused = await gql(client, LOOKUP, variables, token=spd)
    assert error_code(refused) == "PURPOSE_REQUIRED"
    body = await gql(client, LOOKUP, variables, token=spd, purpose="ad follow-up")
    assert body.get("errors") is None, body
    found = [edge["node"] for edge in body["data"]["lookupIdentifier"]["edges"]]
    assert body["data"]["lookupIdentifier"]["totalCount"] == 3
    assert all(node["hops"] == 1 for node in found)
    assert all(node["linkedBy"] == [{"kind": "ONLINE_AD", "value": "backpage.com:98765"}] for node in found)
    assert sorted((node["access"], (node["case"] or {}).get("id")) for node in found) == sorted(
        [("FULL", own), ("FULL", shared), ("POINTER", None)]
    )
    pointer = next(node["pointer"] for node in found if node["pointer"])
    assert pointer == {"ownerAgencyId": KCSO, "matchedIdentifiers": [{"value": "backpage.com:98765"}]}
    assert hidden not in str(body)
    report = await gql(client, REPORT, token=await token_for(repos, KCSO, Role.SUPERVISOR))
    assert [edge["node"] for edge in report["data"]["accessReport"]["edges"]] == [
        {
            "kind": "POINTER",
            "recipientAgencyId": SPD,
            "caseIds": [hidden],
            "matchedIdentifiers": ["ONLINE_AD:backpage.com:98765"],
            "operation": "lookupIdentifier",
        }
    ]


async def test_an_unknown_identifier_answers_empty_and_a_bad_one_is_refused(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    empty = await gql(client, LOOKUP, {"kind": "PHONE", "value": "612-555-0199"}, token=spd)
    assert empty["data"]["lookupIdentifier"] == {"totalCount": 0, "edges": []}
    bad = await gql(client, LOOKUP, {"kind": "PHONE", "value": "12"}, token=spd)
    assert error_code(bad) == "BAD_USER_INPUT"
    assert "PHONE" in bad["errors"][0]["message"]
