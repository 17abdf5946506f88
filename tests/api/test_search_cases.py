"""searchCases: full-text over titles and summaries, only among the cases the reader may see in full."""

from __future__ import annotations

import json

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import OPEN_CASE, case_input, error_code, gql, token_for
from tests.support.persons import share

SPD, KCSO, TULALIP = "WASPD0000", "WA0170000", "WADI06800"
SEARCH = """
query($text: String!, $first: Int, $after: String) {
  searchCases(text: $text, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id ownerAgencyId title } }
  }
}
"""


async def open_with(client: httpx.AsyncClient, token: str, number: str, title: str, summary: str) -> str:
    case = {**case_input(number), "title": title, "summary": summary}
    body = await gql(client, OPEN_CASE, {"case": case}, token=token)
    assert body.get("errors") is None, body
    return str(body["data"]["openCase"]["id"])


async def test_only_cases_the_reader_may_see_are_found_or_counted(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    kcso = await token_for(repos, KCSO, Role.ANALYST)
    tulalip = await token_for(repos, TULALIP, Role.ANALYST)
    own = await open_with(client, spd, "S1", "Motel ring on Aurora", "Synthetic: motel rooms rented nightly")
    await open_with(client, spd, "S2", "Labor case", "Synthetic: farm workers")
    await open_with(client, kcso, "K1", "Motel operation", "Synthetic: hidden from SPD")
    shared = await open_with(client, tulalip, "T1", "Casino motel", "Synthetic: shared by agreement")
    await share(client, await token_for(repos, TULALIP, Role.SUPERVISOR), SPD)
    assert error_code(await gql(client, SEARCH, {"text": "motel"}, token=spd)) == "PURPOSE_REQUIRED"
    body = await gql(client, SEARCH, {"text": "MOTEL"}, token=spd, purpose="ring analysis")
    page = body["data"]["searchCases"]
    assert page["totalCount"] == 2
    assert sorted(edge["node"]["id"] for edge in page["edges"]) == sorted([own, shared])
    assert "hidden from SPD" not in str(body)
    assert "Motel operation" not in str(body)
    walked, after = [], None
    while True:
        body = await gql(client, SEARCH, {"text": "motel", "first": 1, "after": after}, token=spd, purpose="p")
        walked += [edge["node"]["id"] for edge in body["data"]["searchCases"]["edges"]]
        if not body["data"]["searchCases"]["pageInfo"]["hasNextPage"]:
            break
        after = body["data"]["searchCases"]["pageInfo"]["endCursor"]
    assert sorted(walked) == sorted([own, shared])
    _, entries, _ = await repos.audit.snapshot()
    searched = [json.loads(entry.detail) for entry in entries if entry.kind == "read.searchCases"]
    # the refused read is not audited; the chains interleave
    assert sorted((read["text"], read["found"]) for read in searched) == [("MOTEL", 2), ("motel", 2), ("motel", 2)]


async def test_lucene_syntax_is_searched_as_plain_words_and_empty_text_is_refused(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    await open_with(client, spd, "S3", "Motel ring", "Synthetic")
    body = await gql(client, SEARCH, {"text": 'motel AND "ring" OR title:* (x'}, token=spd)
    assert body.get("errors") is None, body
    assert body["data"]["searchCases"]["totalCount"] == 1
    for text in ("", "   ", "*** ???"):
        assert error_code(await gql(client, SEARCH, {"text": text}, token=spd)) == "BAD_USER_INPUT"
