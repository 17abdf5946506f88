"""addPerson: persons on cases, their derived PERSON identifier, who may add, and victims' identities."""

from __future__ import annotations

import httpx
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for
from tests.support.graph import query
from tests.support.persons import ADD_PERSON, CASE_PERSONS, add_person, open_case, share

SPD, KCSO = "WASPD0000", "WA0170000"


async def test_a_person_with_a_date_of_birth_gets_a_person_identifier(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    case_id = await open_case(client, analyst, "SPD-P1")
    added = await add_person(
        client, analyst, case_id, "SUSPECT", name="José  Núñez-García", aliases=["Pepe N"], dateOfBirth="1990-04-02"
    )
    assert added["role"] == "SUSPECT"
    person = added["person"]
    assert (person["ownerAgencyId"], person["name"], person["aliases"]) == (SPD, "José Núñez-García", ["Pepe N"])
    assert person["identifiers"] == [
        {"kind": "PERSON", "value": "garcia jose nunez|1990-04-02"},
        {"kind": "PERSON", "value": "n pepe|1990-04-02"},
    ]
    read = await gql(client, CASE_PERSONS, {"id": case_id}, token=analyst)
    shown = {key: person[key] for key in ("id", "name", "aliases", "dateOfBirth", "identifiers")}
    assert read["data"]["case"]["persons"] == [{"role": "SUSPECT", "person": shown}]


async def test_a_recorded_person_can_be_put_on_another_case_of_the_agency(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    first, second = await open_case(client, analyst, "SPD-P2"), await open_case(client, analyst, "SPD-P3")
    person_id = (await add_person(client, analyst, first, name="Synthetic Witness"))["person"]["id"]
    body = await gql(client, ADD_PERSON, {"case": second, "role": "WITNESS", "personId": person_id}, token=analyst)
    assert body.get("errors") is None, body
    assert body["data"]["addPerson"]["role"] == "WITNESS"
    rows = await query(graph, "neo4j", "MATCH (:Case)-[r:INVOLVES]->(p:Person) RETURN p.id AS id, r.role AS role")
    assert sorted((row["id"], row["role"]) for row in rows) == [(person_id, "SUSPECT"), (person_id, "WITNESS")]


async def test_only_the_owner_and_the_team_add_persons_and_another_agencys_person_is_not_found(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    owner = await token_for(repos, SPD, Role.ANALYST)
    other = await token_for(repos, KCSO, Role.ANALYST)
    case_id = await open_case(client, owner, "SPD-P4")
    person_id = (await add_person(client, owner, case_id, name="Synthetic Suspect"))["person"]["id"]
    refused = await gql(
        client, ADD_PERSON, {"case": case_id, "role": "SUSPECT", "person": {"name": "X"}}, token=other, purpose="p"
    )
    assert error_code(refused) == "NOT_FOUND"
    own_case = await open_case(client, other, "KC-P1")
    foreign_person = await gql(
        client, ADD_PERSON, {"case": own_case, "role": "SUSPECT", "personId": person_id}, token=other
    )
    assert error_code(foreign_person) == "NOT_FOUND"
    both = await gql(
        client,
        ADD_PERSON,
        {"case": own_case, "role": "SUSPECT", "personId": person_id, "person": {"name": "Y"}},
        token=other,
    )
    assert error_code(both) == "BAD_USER_INPUT"
    assert (await query(graph, "neo4j", "MATCH (p:Person) RETURN count(p) AS n"))[0]["n"] == 1


async def test_bad_person_input_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    case_id = await open_case(client, analyst, "SPD-P5")
    for person in (
        {"name": "   "},
        {"name": "Synthetic", "dateOfBirth": "2999-01-01"},
        {"name": "---", "dateOfBirth": "1990-01-01"},
    ):
        body = await gql(client, ADD_PERSON, {"case": case_id, "role": "SUSPECT", "person": person}, token=analyst)
        assert error_code(body) == "BAD_USER_INPUT", (person, body)
    assert (await query(graph, "neo4j", "MATCH (p:Person) RETURN count(p) AS n"))[0]["n"] == 0


async def test_a_victims_identity_reaches_a_partner_only_with_victim_services(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    owner = await token_for(repos, SPD, Role.ANALYST)
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    partner = await token_for(repos, KCSO, Role.ANALYST)
    case_id = await open_case(client, owner, "SPD-P6")
    await add_person(client, owner, case_id, "VICTIM", name="Synthetic Victim", dateOfBirth="2010-05-05")
    await add_person(client, owner, case_id, "SUSPECT", name="Synthetic Suspect")
    await share(client, supervisor, KCSO)
    seen = await gql(client, CASE_PERSONS, {"id": case_id}, token=partner, purpose="task force")
    assert seen["data"]["case"]["redacted"] == ["victimServicesNotes", "victims"]
    persons = seen["data"]["case"]["persons"]
    assert [(p["role"], p["person"] and p["person"]["name"]) for p in persons] == [
        ("VICTIM", None),
        ("SUSPECT", "Synthetic Suspect"),
    ]
    assert "Synthetic Victim" not in str(seen)
    assert "2010-05-05" not in str(seen)
    await share(client, supervisor, KCSO, victim_services=True)
    seen = await gql(client, CASE_PERSONS, {"id": case_id}, token=partner, purpose="victim services")
    assert seen["data"]["case"]["persons"][0]["person"]["name"] == "Synthetic Victim"


async def test_a_person_already_on_the_case_keeps_the_role_recorded(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    case_id = await open_case(client, analyst, "SPD-P7")
    person_id = (await add_person(client, analyst, case_id, "VICTIM", name="Synthetic Victim"))["person"]["id"]
    again = await gql(client, ADD_PERSON, {"case": case_id, "role": "WITNESS", "personId": person_id}, token=analyst)
    assert error_code(again) == "BAD_USER_INPUT"
    assert "VICTIM" in again["errors"][0]["message"]
    read = await gql(client, CASE_PERSONS, {"id": case_id}, token=analyst)
    assert [p["role"] for p in read["data"]["case"]["persons"]] == ["VICTIM"]
