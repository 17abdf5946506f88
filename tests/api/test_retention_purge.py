"""`sett retention review` and `sett retention purge` as the operator runs them, and what a purge leaves.

The world (all synthetic), SPD's unless said otherwise:
- EXPIRED: an intelligence record whose review date passed unvalidated. It holds phones P_GONE (nothing else has
  it) and P_SHARED (KEEP has it too) and P_KC (KCSO's case has it too); a victim who is on no other case, with
  e-mail E_GONE; and a suspect also on KEEP, with vehicle V_KEPT. KCSO reads it under an agreement.
- KEEP: an ordinary case holding P_SHARED; SOON: an intelligence record due in ten days; OLD: an ordinary case
  whose review date passed (only intelligence records are purged).
- KC: KCSO's own case holding P_KC.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from agencies.audit import AuditEvent
from agencies.principals import Role
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.access import error_code, gql, token_for
from tests.support.cli import sett, sett_env
from tests.support.graph import query
from tests.support.persons import add_identifier, add_person, open_case, share
from tests.support.retention import marked_on, validated_on

SPD, KCSO = "WASPD0000", "WA0170000"
P_GONE, P_SHARED, P_KC = "+12065550101", "+12065550102", "+12065550103"
E_GONE, V_KEPT = "synthetic.victim@example.org", "WA:SYN0042"
CASE = "query($id: ID!) { case(id: $id) { id } }"
CASES = "{ cases(first: 100) { totalCount edges { node { id } } } }"
SEARCH = "query($text: String!) { searchCases(text: $text) { totalCount edges { node { id } } } }"
LOOKUP = """query($value: String!) {
  lookupIdentifier(identifier: {kind: PHONE, value: $value}) {
    edges { node { access case { id } pointer { ownerAgencyId } } }
  }
}"""
LINKED = """query($id: ID!) {
  linkedCases(caseId: $id, maxHops: 3) { edges { node { hops access case { id } pointer { ownerAgencyId } } } }
}"""
PURGES = """{ purgeRecords { totalCount edges { node {
  id at by caseId markedOn lastValidatedOn reviewDue persons identifiers
} } } }"""
REPORT = "{ accessReport { edges { node { caseIds purgedCaseIds recipientAgencyId } } } }"
GRAPH = """
MATCH (n) WHERE n:Case OR n:Person OR n:Identifier OR n:Validation
RETURN labels(n)[0] AS kind, coalesce(n.agencyCaseNumber, n.name, n.value, n.id) AS name ORDER BY kind, name
"""


@dataclass(frozen=True)
class World:
    spd: str
    kcso: str
    expired: str
    keep: str
    soon: str
    old: str
    kc: str


async def world(client: httpx.AsyncClient, repos: Repositories) -> World:
    spd = await token_for(repos, SPD, Role.ANALYST)
    kcso = await token_for(repos, KCSO, Role.ANALYST)
    today = datetime.now(UTC).date()
    expired = await open_case(client, spd, "EXPIRED", labels=("HT",))
    await marked_on(repos, expired, today - timedelta(days=60), owner=SPD, review_due=today - timedelta(days=30))
    await validated_on(repos, expired, today - timedelta(days=30), owner=SPD, review_due=today - timedelta(days=1))
    for phone in (P_GONE, P_SHARED, P_KC):
        await add_identifier(client, spd, "PHONE", phone, case=expired)
    victim = (await add_person(client, spd, expired, "VICTIM", name="Synthetic Victim"))["person"]["id"]
    await add_identifier(client, spd, "EMAIL", E_GONE, person=victim)
    suspect = (await add_person(client, spd, expired, name="Synthetic Suspect"))["person"]["id"]
    await add_identifier(client, spd, "VEHICLE", V_KEPT, person=suspect)
    keep = await open_case(client, spd, "KEEP")
    await add_identifier(client, spd, "PHONE", P_SHARED, case=keep)
    added = await gql(
        client,
        "mutation($c: ID!, $p: ID!) { addPerson(caseId: $c, role: SUSPECT, personId: $p) { role } }",
        {"c": keep, "p": suspect},
        token=spd,
    )
    assert added.get("errors") is None, added
    soon = await open_case(client, spd, "SOON")
    await marked_on(repos, soon, today, owner=SPD, review_due=today + timedelta(days=10))
    old = await open_case(client, spd, "OLD")
    await query(repos.cases._driver, "neo4j", "MATCH (c:Case {id: $id}) SET c.reviewDue = date('2020-01-01')", id=old)
    kc = await open_case(client, kcso, "KC")
    await add_identifier(client, kcso, "PHONE", P_KC, case=kc)
    await share(client, await token_for(repos, SPD, Role.SUPERVISOR), KCSO)
    read = await gql(client, CASE, {"id": expired}, token=kcso, purpose="joint investigation")
    assert read.get("errors") is None, read
    return World(spd, kcso, expired, keep, soon, old, kc)


async def link_path(client: httpx.AsyncClient, token: str) -> Any:
    """The path SPD sees from P_SHARED to P_KC: through EXPIRED, the only case holding both."""
    body = await gql(
        client,
        """query($a: IdentifierInput!, $b: IdentifierInput!) {
             linkPath(from: {identifier: $a}, to: {identifier: $b}) { case { id } pointer { ownerAgencyId } } }""",
        {"a": {"kind": "PHONE", "value": P_SHARED}, "b": {"kind": "PHONE", "value": P_KC}},
        token=token,
        purpose="joint investigation",
    )
    assert body.get("errors") is None, body
    return body["data"]["linkPath"]


def ids(body: dict[str, Any], field: str) -> list[str | None]:
    assert body.get("errors") is None, body
    return [(edge["node"].get("case") or edge["node"]).get("id") for edge in body["data"][field]["edges"]]


async def test_the_purge_removes_exactly_what_expired_and_leaves_its_record(
    client: httpx.AsyncClient, repos: Repositories, neo4j_connection: Neo4jConnection
) -> None:
    w = await world(client, repos)
    env = sett_env(neo4j_connection)
    before = await query(repos.cases._driver, "neo4j", GRAPH)
    [validation] = await query(repos.cases._driver, "neo4j", "MATCH (v:Validation) RETURN v.id AS id")

    review = sett("retention", "review", "--agency", SPD, env=env)
    assert review.returncode == 0, review.stderr
    assert w.expired in review.stdout
    assert w.soon in review.stdout
    assert w.old not in review.stdout
    assert "2 intelligence records due for review within 30 days" in review.stdout
    dry = sett("retention", "purge", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert f"would purge case {w.expired} of {SPD}" in dry.stdout
    assert "would purge 1 intelligence record" in dry.stdout
    assert await query(repos.cases._driver, "neo4j", GRAPH) == before

    done = sett("retention", "purge", env=env)

    assert done.returncode == 0, done.stderr
    assert "purged 1 intelligence record" in done.stdout
    after = await query(repos.cases._driver, "neo4j", GRAPH)
    gone = [row for row in before if row not in after]
    assert sorted((row["kind"], row["name"]) for row in gone) == [
        ("Case", "EXPIRED"),
        ("Identifier", P_GONE),
        ("Identifier", E_GONE),
        ("Person", "Synthetic Victim"),
        ("Validation", validation["id"]),
    ]
    assert [row for row in after if row not in before] == []
    assert {"kind": "Person", "name": "Synthetic Suspect"} in after
    for kept in (P_SHARED, P_KC, V_KEPT):
        assert {"kind": "Identifier", "name": kept} in after

    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    purges = await gql(client, PURGES, token=supervisor)
    assert purges.get("errors") is None, purges
    [record] = [edge["node"] for edge in purges["data"]["purgeRecords"]["edges"]]
    today = datetime.now(UTC).date()
    assert {key: value for key, value in record.items() if key not in ("id", "at")} == {
        "by": f"cli:{getpass.getuser()}",
        "caseId": w.expired,
        "markedOn": (today - timedelta(days=60)).isoformat(),
        "lastValidatedOn": (today - timedelta(days=30)).isoformat(),
        "reviewDue": (today - timedelta(days=1)).isoformat(),
        "persons": 1,
        "identifiers": 2,
    }
    stored = await query(repos.cases._driver, "neo4j", "MATCH (p:Purge) RETURN keys(p) AS keys")
    assert sorted(stored[0]["keys"]) == sorted(
        [
            "id",
            "at",
            "by",
            "ownerAgencyId",
            "caseId",
            "markedOn",
            "lastValidatedOn",
            "reviewDue",
            "persons",
            "identifiers",
        ]
    )  # no title, number, summary, suspicion or person: nothing of the content
    report = await gql(client, REPORT, token=supervisor)
    assert [edge["node"] for edge in report["data"]["accessReport"]["edges"]] == [
        {"caseIds": [w.expired], "purgedCaseIds": [w.expired], "recipientAgencyId": KCSO}
    ]
    _, entries, _ = await repos.audit.snapshot()
    purged = [
        (entry.actor, entry.agency_id, json.loads(entry.detail)) for entry in entries if entry.kind == "retention.purge"
    ]
    assert purged == [(f"cli:{getpass.getuser()}", SPD, {"case": w.expired, "purge": record["id"]})]

    again = sett("retention", "purge", env=env)
    assert again.returncode == 0, again.stderr
    assert "purged 0 intelligence records" in again.stdout


async def test_a_purged_case_is_gone_from_every_read_path(
    client: httpx.AsyncClient, repos: Repositories, neo4j_connection: Neo4jConnection
) -> None:
    w = await world(client, repos)
    why = "joint investigation"
    assert ids(await gql(client, LINKED, {"id": w.keep}, token=w.spd, purpose=why), "linkedCases") == [
        w.expired,
        None,  # KCSO's case, as a pointer, reached through EXPIRED's P_KC
    ]
    assert w.expired in ids(await gql(client, LOOKUP, {"value": P_KC}, token=w.kcso, purpose=why), "lookupIdentifier")
    assert w.expired in str(await link_path(client, w.spd))

    assert sett("retention", "purge", env=sett_env(neo4j_connection)).returncode == 0

    for token in (w.spd, w.kcso):
        assert error_code(await gql(client, CASE, {"id": w.expired}, token=token, purpose=why)) == "NOT_FOUND"
        assert w.expired not in ids(await gql(client, CASES, token=token, purpose=why), "cases")
        found = await gql(client, SEARCH, {"text": "EXPIRED"}, token=token, purpose=why)
        assert ids(found, "searchCases") == []
    assert ids(await gql(client, LINKED, {"id": w.keep}, token=w.spd, purpose=why), "linkedCases") == []
    assert ids(await gql(client, LOOKUP, {"value": P_KC}, token=w.kcso, purpose=why), "lookupIdentifier") == [w.kc]
    assert ids(await gql(client, LOOKUP, {"value": P_GONE}, token=w.spd, purpose=why), "lookupIdentifier") == []
    assert ids(await gql(client, LOOKUP, {"value": P_SHARED}, token=w.spd, purpose=why), "lookupIdentifier") == [w.keep]
    assert await link_path(client, w.spd) in (None, [])
    assert set(ids(await gql(client, CASES, token=w.spd), "cases")) == {w.keep, w.soon, w.old}


async def test_a_record_validated_after_it_was_listed_is_not_purged(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    w = await world(client, repos)
    today = datetime.now(UTC)
    await query(
        repos.cases._driver,
        "neo4j",
        "MATCH (c:Case {id: $id}) SET c.reviewDue = $d",
        id=w.expired,
        d=(today + timedelta(days=100)).date(),
    )  # as a validation committed after the list was read
    event = AuditEvent("retention.purge", "tester", SPD, {})
    assert await repos.retention.purge(w.expired, today.date(), today, "tester", event) is None
    assert not error_code(await gql(client, CASE, {"id": w.expired}, token=w.spd))
