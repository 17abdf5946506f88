"""Criminal-intelligence records (28 CFR Part 23) over the API: marking, the five-year cap, validation, due lists.

A record marked in the past is set up through the service with a clock of that day; everything else goes
through GraphQL over HTTP against the real gateway and Neo4j.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from agencies.principals import Role
from cases.retention import years_after
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for
from tests.support.graph import query
from tests.support.persons import open_case
from tests.support.retention import SUSPICION, marked_on

SPD, KCSO, HSI = "WASPD0000", "WA0170000", "USHSI0000"
RECORD = {
    "reasonableSuspicion": SUSPICION,
    "submittingAgencyId": SPD,
    "controlOfficial": "Synthetic Sergeant",
    "sensitivity": "SENSITIVE",
    "confidence": "PROBABLE",
}
FIELDS = """id reviewDue intelligence {
  reasonableSuspicion submittingAgencyId controlOfficial sensitivity confidence
  markedOn lastValidatedOn lastValidatedBy retentionLimit
}"""
OPEN = f"mutation($case: OpenCaseInput!) {{ openCase(case: $case) {{ {FIELDS} }} }}"
MARK = f"""mutation($id: ID!, $record: IntelligenceRecordInput!, $due: Date) {{
  markIntelligenceRecord(caseId: $id, record: $record, reviewDue: $due) {{ {FIELDS} }}
}}"""
VALIDATE = f"""mutation($id: ID!, $why: String!, $due: Date) {{
  validateRecord(id: $id, rationale: $why, reviewDue: $due) {{ {FIELDS} }}
}}"""
UPDATE = "mutation($id: ID!, $due: Date) { updateCase(id: $id, changes: {reviewDue: $due}) { reviewDue } }"
DUE = """query($within: Int, $first: Int, $after: String) {
  retentionDue(within: $within, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id reviewDue } }
  }
}"""


def today() -> date:
    return datetime.now(UTC).date()


def case_input(number: str, **extra: Any) -> dict[str, Any]:
    return {"agencyCaseNumber": number, "title": f"Synthetic case {number}", "openedOn": "2026-01-15", **extra}


async def marked_long_ago(repos: Repositories, case_id: str, day: date, review_due: date | None = None) -> None:
    await marked_on(repos, case_id, day, owner=SPD, review_due=review_due)


def data(body: dict[str, Any], field: str) -> Any:
    assert body.get("errors") is None, body
    return body["data"][field]


async def test_a_record_without_suspicion_or_labels_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    blank = await gql(
        client, OPEN, {"case": case_input("I-1", intelligence={**RECORD, "reasonableSuspicion": " "})}, token=analyst
    )
    assert error_code(blank) == "BAD_USER_INPUT"
    assert "reasonableSuspicion: must not be blank" in blank["errors"][0]["message"]
    unlabelled = {key: value for key, value in RECORD.items() if key not in ("sensitivity", "confidence")}
    missing = await gql(client, OPEN, {"case": case_input("I-2", intelligence=unlabelled)}, token=analyst)
    assert error_code(missing) == "BAD_USER_INPUT"
    assert "needs sensitivity, confidence" in missing["errors"][0]["message"]
    case = await open_case(client, analyst, "I-3")
    for record in ({**RECORD, "controlOfficial": None}, {**RECORD, "submittingAgencyId": "nope"}):
        body = await gql(client, MARK, {"id": case, "record": record}, token=analyst)
        assert error_code(body) == "BAD_USER_INPUT", body
    stored = await query(repos.cases._driver, "neo4j", "MATCH (c:Case) RETURN c.intelligence AS i, c.reviewDue AS d")
    assert stored == [{"i": None, "d": None}]


async def test_the_review_date_defaults_to_five_years_and_cannot_go_further(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    limit = years_after(today(), 5)
    opened = data(await gql(client, OPEN, {"case": case_input("I-1", intelligence=RECORD)}, token=analyst), "openCase")
    assert opened["reviewDue"] == opened["intelligence"]["retentionLimit"] == limit.isoformat()
    assert opened["intelligence"] | {"markedOn": None} == {
        **RECORD,
        "markedOn": None,
        "lastValidatedOn": None,
        "lastValidatedBy": None,
        "retentionLimit": limit.isoformat(),
    }
    late = (limit + timedelta(days=1)).isoformat()
    too_far = await gql(client, OPEN, {"case": case_input("I-2", intelligence=RECORD, reviewDue=late)}, token=analyst)
    assert error_code(too_far) == "BAD_USER_INPUT"
    assert f"the latest allowed is {limit.isoformat()}" in too_far["errors"][0]["message"]
    moved = await gql(client, UPDATE, {"id": opened["id"], "due": late}, token=analyst)
    assert error_code(moved) == "BAD_USER_INPUT"
    past = await gql(
        client, UPDATE, {"id": opened["id"], "due": (today() - timedelta(days=1)).isoformat()}, token=analyst
    )
    assert error_code(past) == "BAD_USER_INPUT"
    sooner = (today() + timedelta(days=90)).isoformat()
    assert data(await gql(client, UPDATE, {"id": opened["id"], "due": sooner}, token=analyst), "updateCase") == {
        "reviewDue": sooner
    }
    plain = await open_case(client, analyst, "PLAIN-1")  # a case that is no intelligence record keeps any date
    assert data(await gql(client, UPDATE, {"id": plain, "due": "2040-01-01"}, token=analyst), "updateCase")


async def test_re_marking_an_old_record_keeps_its_limit(client: httpx.AsyncClient, repos: Repositories) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    case = await open_case(client, analyst, "I-1")
    marked = today() - timedelta(days=400)
    await marked_long_ago(repos, case, marked)
    limit = years_after(marked, 5)
    again = await gql(client, MARK, {"id": case, "record": {**RECORD, "confidence": "CONFIRMED"}}, token=analyst)
    shown = data(again, "markIntelligenceRecord")
    assert shown["intelligence"]["confidence"] == "CONFIRMED"
    assert shown["intelligence"]["markedOn"] == marked.isoformat()
    assert shown["reviewDue"] == shown["intelligence"]["retentionLimit"] == limit.isoformat()
    beyond = (limit + timedelta(days=1)).isoformat()
    refused = await gql(client, MARK, {"id": case, "record": RECORD, "due": beyond}, token=analyst)
    assert error_code(refused) == "BAD_USER_INPUT"
    assert f"the latest allowed is {limit.isoformat()}" in refused["errors"][0]["message"]


async def test_only_the_owner_marks_and_only_the_owner_moves_a_records_review_date(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    case = await open_case(client, analyst, "I-1")
    member = await gql(
        client,
        'mutation($id: ID!) { addCaseMember(id: $id, agencyId: "WA0170000") { id } }',
        {"id": case},
        token=analyst,
    )
    assert member.get("errors") is None, member
    partner = await token_for(repos, KCSO, Role.ANALYST)
    refused = await gql(client, MARK, {"id": case, "record": RECORD}, token=partner, purpose="task force")
    assert error_code(refused) == "FORBIDDEN"
    data(await gql(client, MARK, {"id": case, "record": RECORD}, token=analyst), "markIntelligenceRecord")
    sooner = (today() + timedelta(days=3)).isoformat()
    moved = await gql(client, UPDATE, {"id": case, "due": sooner}, token=partner, purpose="task force")
    assert error_code(moved) == "FORBIDDEN"
    assert "owner agency" in moved["errors"][0]["message"]


async def test_a_supervisor_validation_is_recorded_and_extends_the_review_date(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR, subject="sergeant@spd")
    case = await open_case(client, analyst, "I-1")
    team = await gql(
        client,
        'mutation($id: ID!) { addCaseMember(id: $id, agencyId: "USHSI0000") { id } }',
        {"id": case},
        token=analyst,
    )
    assert team.get("errors") is None, team
    marked = today() - timedelta(days=4 * 365)
    await marked_long_ago(repos, case, marked, review_due=marked + timedelta(days=4 * 365 + 30))
    why = "Still active: two new ads this quarter."
    for token, code in (
        (analyst, "FORBIDDEN"),
        (await token_for(repos, KCSO, Role.SUPERVISOR), "NOT_FOUND"),
        (await token_for(repos, HSI, Role.SUPERVISOR), "FORBIDDEN"),  # on the case team: sees it, validates nothing
    ):
        body = await gql(client, VALIDATE, {"id": case, "why": why}, token=token)
        assert error_code(body) == code, body
    blank = await gql(client, VALIDATE, {"id": case, "why": "  "}, token=supervisor)
    assert error_code(blank) == "BAD_USER_INPUT"
    validated = data(await gql(client, VALIDATE, {"id": case, "why": why}, token=supervisor), "validateRecord")
    limit = years_after(today(), 5)
    assert validated["reviewDue"] == validated["intelligence"]["retentionLimit"] == limit.isoformat()
    assert years_after(marked, 5) < limit  # the validation moved the limit on
    assert validated["intelligence"]["lastValidatedOn"] == today().isoformat()
    assert validated["intelligence"]["lastValidatedBy"] == "sergeant@spd"
    stored = await query(
        repos.cases._driver,
        "neo4j",
        "MATCH (:Case {id: $id})-[:VALIDATED]->(v:Validation) RETURN v.reviewer AS by, v.on AS on, v.rationale AS why",
        id=case,
    )
    assert [{**row, "on": row["on"].iso_format()} for row in stored] == [
        {"by": "sergeant@spd", "on": today().isoformat(), "why": why}
    ]
    _, entries, _ = await repos.audit.snapshot()
    validations = [json.loads(entry.detail) for entry in entries if entry.kind == "retention.validate"]
    assert validations == [{"case": case, "reviewDue": limit.isoformat()}]
    plain = await open_case(client, analyst, "PLAIN-1")
    not_marked = await gql(client, VALIDATE, {"id": plain, "why": why}, token=supervisor)
    assert error_code(not_marked) == "BAD_USER_INPUT"
    assert "not a criminal-intelligence record" in not_marked["errors"][0]["message"]


async def test_a_record_past_its_review_date_is_purged_not_validated_late(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    case = await open_case(client, analyst, "I-1")
    marked = today() - timedelta(days=30)
    await marked_long_ago(repos, case, marked, review_due=today() - timedelta(days=1))
    late = await gql(client, VALIDATE, {"id": case, "why": "forgot"}, token=supervisor)
    assert error_code(late) == "BAD_USER_INPUT"
    assert "has it purged" in late["errors"][0]["message"]
    sooner = (today() + timedelta(days=30)).isoformat()
    moved = await gql(client, UPDATE, {"id": case, "due": sooner}, token=analyst)
    assert error_code(moved) == "BAD_USER_INPUT"
    assert "no longer moved" in moved["errors"][0]["message"]
    for due in (None, sooner):
        again = await gql(client, MARK, {"id": case, "record": RECORD, "due": due}, token=analyst)
        assert error_code(again) == "BAD_USER_INPUT", again
    [stored] = await query(repos.cases._driver, "neo4j", "MATCH (c:Case) RETURN c.reviewDue AS due")
    assert stored["due"].to_native() == today() - timedelta(days=1)


async def test_supervisors_list_their_own_agencys_records_due_soonest_first(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    soon, later, overdue, far = [await open_case(client, analyst, f"I-{n}") for n in range(4)]
    await marked_long_ago(repos, soon, today(), review_due=today() + timedelta(days=10))
    await marked_long_ago(repos, later, today(), review_due=today() + timedelta(days=20))
    await marked_long_ago(repos, overdue, today() - timedelta(days=9), review_due=today() - timedelta(days=2))
    await marked_long_ago(repos, far, today(), review_due=today() + timedelta(days=200))
    kcso = await open_case(client, await token_for(repos, KCSO, Role.ANALYST), "KC-1")
    await query(
        repos.cases._driver,
        "neo4j",
        "MATCH (c:Case {id: $id}) SET c.intelligence = true, c.reviewDue = $d",
        id=kcso,
        d=today(),
    )
    refused = await gql(client, DUE, {}, token=analyst)
    assert error_code(refused) == "FORBIDDEN"
    listed = data(await gql(client, DUE, {}, token=supervisor), "retentionDue")
    assert [edge["node"]["id"] for edge in listed["edges"]] == [overdue, soon, later]
    assert listed["totalCount"] == 3
    first = data(await gql(client, DUE, {"first": 2}, token=supervisor), "retentionDue")
    rest = data(await gql(client, DUE, {"after": first["pageInfo"]["endCursor"]}, token=supervisor), "retentionDue")
    assert [edge["node"]["id"] for edge in first["edges"] + rest["edges"]] == [overdue, soon, later]
    wide = data(await gql(client, DUE, {"within": 365}, token=supervisor), "retentionDue")
    assert [edge["node"]["id"] for edge in wide["edges"]] == [overdue, soon, later, far]
    for variables in ({"within": -1}, {"within": 5000}, {"after": "bm9uZQ=="}):
        assert error_code(await gql(client, DUE, variables, token=supervisor)) == "BAD_USER_INPUT", variables
