"""Computed indicators follow the operational graph: a new multi-agency case moves the count and the indicator."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import gql, token_for
from tests.support.persons import open_case
from tests.support.strategy import UNRELATED, build_strategy, data, indicator_input

COUNTS = "{ computedIndicators { count value asOf definition } }"
CREATE = "mutation($i: CreateIndicatorInput!) { createIndicator(indicator: $i) { id } }"
ADD_MEMBER = "mutation($id: ID!, $a: String!) { addCaseMember(id: $id, agencyId: $a) { teamAgencyIds } }"
INDICATOR = """
query($id: ID!) { strategy(id: $id) { goals { objectives { indicators {
  id kind computed latest { value source reportingAgencyId } progress { achieved status }
} } } } }
"""
SPD, HSI = "WASPD0000", "USHSI0000"


async def counts(client: httpx.AsyncClient, token: str) -> dict[str, int]:
    found = data(await gql(client, COUNTS, token=token), "computedIndicators")
    assert all(value["definition"] for value in found)
    for value in found:  # each value carries its as-of time: now
        assert abs((datetime.fromisoformat(value["asOf"]) - datetime.now(UTC)).total_seconds()) < 120
    return {value["count"]: value["value"] for value in found}


async def test_adding_a_multi_agency_case_moves_the_computed_indicator(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    built = await build_strategy(client, repos)
    year = datetime.now(UTC).year
    computed = {
        "kind": "COMPUTED",
        "computed": "MULTI_AGENCY_CASES",
        "title": "Multi-agency cases",
        "unit": "cases",
        "baseline": "0",
        "target": "4",
        "startDate": f"{year}-01-01",
        "targetDate": f"{year}-12-31",
    }
    indicator_id = data(
        await gql(client, CREATE, {"i": indicator_input(built.objective_id, **computed)}, token=built.national),
        "createIndicator",
    )["id"]
    reader = await token_for(repos, UNRELATED, Role.COORDINATOR)
    assert (await counts(client, reader))["MULTI_AGENCY_CASES"] == 0

    analyst = await token_for(repos, SPD, Role.ANALYST)
    alone = await open_case(client, analyst, "SPD-ALONE")
    assert (await counts(client, reader))["MULTI_AGENCY_CASES"] == 0  # one agency's case is not multi-agency
    joint = await open_case(client, analyst, "SPD-JOINT")
    assert data(await gql(client, ADD_MEMBER, {"id": joint, "a": HSI}, token=analyst), "addCaseMember")
    assert alone != joint

    assert (await counts(client, reader))["MULTI_AGENCY_CASES"] == 1
    found = data(await gql(client, INDICATOR, {"id": built.strategy_id}, token=reader), "strategy")
    indicator = next(i for i in found["goals"][0]["objectives"][0]["indicators"] if i["id"] == indicator_id)
    assert indicator["latest"]["value"] == "1"
    assert indicator["latest"]["reportingAgencyId"] == "SETT"
    assert "case team spans agencies" in indicator["latest"]["source"]
    assert indicator["progress"]["achieved"] == 0.25


async def test_a_cross_agency_read_counts_as_a_disclosure_and_never_shows_who(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    owner = await token_for(repos, SPD, Role.ANALYST)
    case_id = await open_case(client, owner, "SPD-SHARED")
    data(await gql(client, ADD_MEMBER, {"id": case_id, "a": HSI}, token=owner), "addCaseMember")
    reader = await token_for(repos, UNRELATED, Role.NATIONAL_COORDINATOR)
    before = (await counts(client, reader))["CROSS_AGENCY_DISCLOSURES"]
    partner = await token_for(repos, HSI, Role.ANALYST)
    read = await gql(
        client, "query($id: ID!) { case(id: $id) { id } }", {"id": case_id}, token=partner, purpose="joint op"
    )
    assert data(read, "case") == {"id": case_id}
    assert (await counts(client, reader))["CROSS_AGENCY_DISCLOSURES"] == before + 1
    answer = await gql(client, COUNTS, token=reader)
    assert case_id not in str(answer)
    assert "SPD-SHARED" not in str(answer)


async def test_counts_are_given_per_whole_day_and_a_time_without_an_offset_is_utc(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    reader = await token_for(repos, UNRELATED, Role.COORDINATOR)
    query = "query($t: DateTime!) { computedIndicators(asOf: $t) { count value asOf } }"
    for asked in ("2026-03-04T17:04:05.678901+00:00", "2026-03-04T17:04:05.678902Z", "2026-03-04T17:04:05"):
        found = data(await gql(client, query, {"t": asked}, token=reader), "computedIndicators")
        assert {datetime.fromisoformat(value["asOf"]) for value in found} == {datetime(2026, 3, 4, tzinfo=UTC)}


async def test_multi_agency_cases_are_counted_from_the_current_teams_as_the_definition_says(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    reader = await token_for(repos, UNRELATED, Role.COORDINATOR)
    joint = await open_case(client, analyst, "SPD-JOINT")
    data(await gql(client, ADD_MEMBER, {"id": joint, "a": HSI}, token=analyst), "addCaseMember")
    assert (await counts(client, reader))["MULTI_AGENCY_CASES"] == 1
    remove = "mutation($id: ID!, $a: String!) { removeCaseMember(id: $id, agencyId: $a) { teamAgencyIds } }"
    assert data(await gql(client, remove, {"id": joint, "a": HSI}, token=analyst), "removeCaseMember")
    assert (await counts(client, reader))["MULTI_AGENCY_CASES"] == 0  # no day counts it any more
    found = data(await gql(client, COUNTS, token=reader), "computedIndicators")
    definition = next(v["definition"] for v in found if v["count"] == "MULTI_AGENCY_CASES")
    assert "teams as they are now" in definition
    assert "taken off a team counts on no day" in definition
