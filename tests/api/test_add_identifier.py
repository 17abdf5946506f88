"""addIdentifier: normalised before it is stored, one node per (kind, value), refused with a reason."""

from __future__ import annotations

import httpx
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for
from tests.support.graph import query
from tests.support.persons import ADD_IDENTIFIER, CASE_PERSONS, add_identifier, add_person, open_case

SPD, KCSO = "WASPD0000", "WA0170000"


async def test_messy_input_is_stored_normalised_and_shared_by_one_node(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    kcso = await token_for(repos, KCSO, Role.ANALYST)
    spd_case, kcso_case = await open_case(client, spd, "SPD-I1"), await open_case(client, kcso, "KC-I1")
    first = await add_identifier(client, spd, "PHONE", "(612) 555-0147", case=spd_case)
    again = await add_identifier(client, spd, "PHONE", "+1 612.555.0147", case=spd_case)
    other = await add_identifier(client, kcso, "PHONE", "612-555-0147 ext 2", case=kcso_case)
    assert first == {"kind": "PHONE", "value": "+16125550147", "display": "+1 612-555-0147"}
    assert again["value"] == other["value"] == "+16125550147"
    rows = await query(
        graph, "neo4j", "MATCH (i:Identifier {kind: 'PHONE'}) RETURN i.value AS value, COUNT { (i)<--() } AS holders"
    )
    assert rows == [{"value": "+16125550147", "holders": 2}]
    read = await gql(client, CASE_PERSONS, {"id": spd_case}, token=spd)
    assert read["data"]["case"]["identifiers"] == [{"kind": "PHONE", "value": "+16125550147"}]


async def test_a_persons_identifiers_are_on_the_person(client: httpx.AsyncClient, repos: Repositories) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    case_id = await open_case(client, spd, "SPD-I2")
    person_id = (await add_person(client, spd, case_id, name="Synthetic Suspect"))["person"]["id"]
    added = await add_identifier(client, spd, "EMAIL", "  Synthetic.Suspect@Example.ORG ", person=person_id)
    assert added["value"] == "synthetic.suspect@example.org"
    read = await gql(client, CASE_PERSONS, {"id": case_id}, token=spd)
    case = read["data"]["case"]
    assert case["identifiers"] == []
    assert case["persons"][0]["person"]["identifiers"] == [{"kind": "EMAIL", "value": "synthetic.suspect@example.org"}]


async def test_input_that_cannot_be_normalised_is_refused_with_the_reason(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    case_id = await open_case(client, spd, "SPD-I3")
    for kind, value, reason in [
        ("PHONE", "555-01", "too few digits"),
        ("EMAIL", "not-an-address", "exactly one @"),
        ("VEHICLE", "Atlantis:ABC123", "US state"),
        ("ONLINE_AD", "ftp://example.org/ad/1", "web address"),
    ]:
        body = await gql(client, ADD_IDENTIFIER, {"case": case_id, "kind": kind, "value": value}, token=spd)
        assert error_code(body) == "BAD_USER_INPUT", body
        assert reason in body["errors"][0]["message"]
        assert kind in body["errors"][0]["message"]
    assert (await query(graph, "neo4j", "MATCH (i:Identifier) RETURN count(i) AS n"))[0]["n"] == 0


async def test_only_the_owner_team_or_recording_agency_attaches(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    kcso = await token_for(repos, KCSO, Role.ANALYST)
    case_id = await open_case(client, spd, "SPD-I4")
    person_id = (await add_person(client, spd, case_id, name="Synthetic Suspect"))["person"]["id"]
    for holder in ({"case": case_id}, {"person": person_id}):
        body = await gql(client, ADD_IDENTIFIER, {**holder, "kind": "PHONE", "value": "6125550147"}, token=kcso)
        assert error_code(body) == "NOT_FOUND", body
    neither = await gql(client, ADD_IDENTIFIER, {"kind": "PHONE", "value": "6125550147"}, token=spd)
    assert error_code(neither) == "BAD_USER_INPUT"
    assert (await query(graph, "neo4j", "MATCH (i:Identifier) RETURN count(i) AS n"))[0]["n"] == 0


async def test_how_one_agency_wrote_an_identifier_never_reaches_another(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    kcso = await token_for(repos, KCSO, Role.ANALYST)
    spd_case, kcso_case = await open_case(client, spd, "SPD-I5"), await open_case(client, kcso, "KC-I5")
    await add_person(client, spd, spd_case, "VICTIM", name="María  Pérez-López", dateOfBirth="2009-02-03")
    await add_person(client, kcso, kcso_case, name="MARIA PEREZ LOPEZ", dateOfBirth="2009-02-03")
    displays = "query($id: ID!) { case(id: $id) { persons { person { identifiers { kind value display } } } } }"
    read = await gql(client, displays, {"id": kcso_case}, token=kcso)
    assert read["data"]["case"]["persons"][0]["person"]["identifiers"] == [
        {"kind": "PERSON", "value": "lopez maria perez|2009-02-03", "display": "lopez maria perez|2009-02-03"}
    ]
    assert "María" not in str(read)
