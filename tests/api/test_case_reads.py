"""case(id) and cases(...): what each agency sees, redactions, purpose and dissemination records."""

from __future__ import annotations

import base64
import json

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import CASE, CASES, OPEN_CASE, case_input, error_code, gql, token_for

SPD, KCSO, TULALIP = "WASPD0000", "WA0170000", "WADI06800"
AGREEMENT = """
mutation($a: SharingAgreementInput!) { createSharingAgreement(agreement: $a) { id revokedAt } }
"""
REVOKE = "mutation($id: ID!) { revokeSharingAgreement(id: $id) { id revokedAt } }"


async def open_case(client: httpx.AsyncClient, token: str, number: str, **kwargs: object) -> str:
    body = await gql(client, OPEN_CASE, {"case": case_input(number, **kwargs)}, token=token)  # type: ignore[arg-type]
    assert body.get("errors") is None, body
    return str(body["data"]["openCase"]["id"])


async def test_the_owner_sees_its_case_whole(client: httpx.AsyncClient, repos: Repositories) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    case_id = await open_case(client, analyst, "SPD-1")
    body = await gql(client, CASE, {"id": case_id}, token=analyst)
    assert body["data"]["case"] == {
        "id": case_id,
        "ownerAgencyId": SPD,
        "title": "Synthetic case SPD-1",
        "victimServicesNotes": "synthetic victim notes",
        "redacted": [],
    }


async def test_another_agency_cannot_tell_the_case_from_a_missing_one(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    owner = await token_for(repos, SPD, Role.ANALYST)
    other = await token_for(repos, KCSO, Role.ANALYST)
    case_id = await open_case(client, owner, "SPD-2")
    hidden = await gql(client, CASE, {"id": case_id}, token=other, purpose="investigation")
    missing = await gql(client, CASE, {"id": "00000000-0000-0000-0000-000000000000"}, token=other, purpose="x")
    assert error_code(hidden) == error_code(missing) == "NOT_FOUND"
    assert hidden["errors"][0]["message"].replace(case_id, "?") == missing["errors"][0]["message"].replace(
        "00000000-0000-0000-0000-000000000000", "?"
    )
    listed = await gql(client, CASES, {"first": 10}, token=other)
    assert listed["data"]["cases"]["totalCount"] == 0


async def test_an_agreement_shares_without_victim_fields_until_revoked(
    client: httpx.AsyncClient, repos: Repositories, graph: object
) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    owner = await token_for(repos, SPD, Role.ANALYST)
    grantee = await token_for(repos, KCSO, Role.ANALYST)
    shared_id = await open_case(client, owner, "SPD-3", labels=("HT-TASKFORCE",))
    await open_case(client, owner, "SPD-4", labels=("OTHER",))
    created = await gql(
        client,
        AGREEMENT,
        {"a": {"granteeId": KCSO, "coverage": "LABELLED_CASES", "labels": ["HT-TASKFORCE"], "purpose": "task force"}},
        token=supervisor,
    )
    assert created.get("errors") is None, created

    without_purpose = await gql(client, CASE, {"id": shared_id}, token=grantee)
    assert error_code(without_purpose) == "PURPOSE_REQUIRED"
    assert without_purpose["data"] is None

    seen = await gql(client, CASES, {"first": 10}, token=grantee, purpose="joint operation planning")
    nodes = [edge["node"] for edge in seen["data"]["cases"]["edges"]]
    assert nodes == [
        {
            "id": shared_id,
            "ownerAgencyId": SPD,
            "victimServicesNotes": None,
            "redacted": ["victimServicesNotes", "victims"],
        }
    ]
    assert seen["data"]["cases"]["totalCount"] == 1

    revoked = await gql(client, REVOKE, {"id": created["data"]["createSharingAgreement"]["id"]}, token=supervisor)
    assert revoked["data"]["revokeSharingAgreement"]["revokedAt"] is not None
    after = await gql(client, CASE, {"id": shared_id}, token=grantee, purpose="joint operation planning")
    assert error_code(after) == "NOT_FOUND"


async def test_every_disclosure_has_its_record_and_shows_in_the_access_report(
    client: httpx.AsyncClient, repos: Repositories, graph: object
) -> None:
    owner = await token_for(repos, SPD, Role.ANALYST)
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    partner = await token_for(repos, TULALIP, Role.ANALYST)
    case_id = await open_case(client, owner, "SPD-5")
    added = await gql(
        client,
        "mutation($id: ID!, $a: String!) { addCaseMember(id: $id, agencyId: $a) { teamAgencyIds } }",
        {"id": case_id, "a": TULALIP},
        token=owner,
    )
    assert added["data"]["addCaseMember"]["teamAgencyIds"] == [TULALIP]

    refused = await gql(client, CASE, {"id": case_id}, token=partner)
    assert error_code(refused) == "PURPOSE_REQUIRED"
    report = "{ accessReport { totalCount edges { node { id recipientAgencyId caseIds purpose subject } } } }"
    assert (await gql(client, report, token=supervisor))["data"]["accessReport"]["totalCount"] == 0

    for purpose in ("victim location follow-up", "joint interview"):
        read = await gql(client, CASE, {"id": case_id}, token=partner, purpose=purpose)
        assert read["data"]["case"]["victimServicesNotes"] == "synthetic victim notes"

    listed = await gql(client, report, token=supervisor)
    assert listed["data"]["accessReport"]["totalCount"] == 2
    assert [edge["node"]["purpose"] for edge in listed["data"]["accessReport"]["edges"]] == [
        "joint interview",
        "victim location follow-up",
    ]
    assert all(edge["node"]["caseIds"] == [case_id] for edge in listed["data"]["accessReport"]["edges"])
    assert all(edge["node"]["recipientAgencyId"] == TULALIP for edge in listed["data"]["accessReport"]["edges"])
    _, entries, _ = await repos.audit.snapshot()
    audited = {json.loads(entry.detail)["disclosure"] for entry in entries if entry.kind == "disclosure"}
    assert audited == {edge["node"]["id"] for edge in listed["data"]["accessReport"]["edges"]}
    own_read = await gql(client, CASE, {"id": case_id}, token=owner)
    assert own_read["data"]["case"]["id"] == case_id
    assert (await gql(client, report, token=supervisor))["data"]["accessReport"]["totalCount"] == 2
    partner_report = await gql(client, report, token=partner)
    assert error_code(partner_report) == "FORBIDDEN"


async def test_a_team_member_edits_only_with_a_purpose_and_never_labels_or_victim_notes(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    owner = await token_for(repos, SPD, Role.ANALYST)
    member = await token_for(repos, TULALIP, Role.ANALYST)
    case_id = await open_case(client, owner, "SPD-6", labels=("HT-TASKFORCE",))
    await gql(
        client,
        "mutation($id: ID!, $a: String!) { addCaseMember(id: $id, agencyId: $a) { id } }",
        {"id": case_id, "a": TULALIP},
        token=owner,
    )
    update = "mutation($id: ID!, $c: UpdateCaseInput!) { updateCase(id: $id, changes: $c) { title labels } }"

    no_purpose = await gql(client, update, {"id": case_id, "c": {"title": "Renamed"}}, token=member)
    relabel = await gql(
        client, update, {"id": case_id, "c": {"labels": ["OPEN-TO-ALL"]}}, token=member, purpose="task force"
    )
    renamed = await gql(client, update, {"id": case_id, "c": {"title": "Renamed"}}, token=member, purpose="task force")

    assert error_code(no_purpose) == "PURPOSE_REQUIRED"
    assert error_code(relabel) == "FORBIDDEN"
    assert renamed["data"]["updateCase"] == {"title": "Renamed", "labels": ["HT-TASKFORCE"]}
    closed = await gql(
        client,
        "mutation($id: ID!) { closeCase(id: $id) { status } }",
        {"id": case_id},
        token=member,
        purpose="task force",
    )
    assert error_code(closed) == "FORBIDDEN"


async def test_an_overlong_purpose_is_refused_before_anything_is_read(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    owner = await token_for(repos, SPD, Role.ANALYST)
    case_id = await open_case(client, owner, "SPD-7")
    body = await gql(client, CASE, {"id": case_id}, token=owner, purpose="x" * 501)
    assert error_code(body) == "BAD_USER_INPUT"
    assert "data" not in body  # refused as a request: nothing ran


async def read_as_team_member(
    client: httpx.AsyncClient, repos: Repositories, number: str, purpose: str
) -> tuple[str, httpx.Response]:
    """SPD opens a case with the Tulalip Tribes on its team, who read it stating `purpose` as UTF-8 bytes."""
    owner = await token_for(repos, SPD, Role.ANALYST)
    partner = await token_for(repos, TULALIP, Role.ANALYST)
    case_id = await open_case(client, owner, number)
    await gql(
        client,
        "mutation($id: ID!, $a: String!) { addCaseMember(id: $id, agencyId: $a) { teamAgencyIds } }",
        {"id": case_id, "a": TULALIP},
        token=owner,
    )
    headers = {b"Authorization": f"Bearer {partner}".encode(), b"X-Sett-Purpose": purpose.encode()}
    read = await client.post("/graphql", json={"query": CASE, "variables": {"id": case_id}}, headers=headers)
    return case_id, read


async def test_a_purpose_written_in_utf8_is_recorded_as_written(client: httpx.AsyncClient, repos: Repositories) -> None:
    purpose = "opération conjointe \u2013 vérification"  # an en dash
    case_id, read = await read_as_team_member(client, repos, "SPD-8", purpose)
    assert read.json()["data"]["case"]["id"] == case_id
    report = "{ accessReport { edges { node { purpose } } } }"
    listed = await gql(client, report, token=await token_for(repos, SPD, Role.SUPERVISOR))
    assert [edge["node"]["purpose"] for edge in listed["data"]["accessReport"]["edges"]] == [purpose]


async def test_a_purpose_that_would_show_reordered_is_refused_and_nothing_recorded(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    purpose = "audit \u202egnippam\u202c review"  # a right-to-left override: shows as "audit mapping review"
    _, read = await read_as_team_member(client, repos, "SPD-9", purpose)
    assert read.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "X-Sett-Purpose" in read.json()["errors"][0]["message"]
    report = "{ accessReport { totalCount } }"
    listed = await gql(client, report, token=await token_for(repos, SPD, Role.SUPERVISOR))
    assert listed["data"]["accessReport"]["totalCount"] == 0


async def test_a_write_under_a_purpose_that_is_not_text_is_refused_before_it_commits(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    owner = await token_for(repos, SPD, Role.ANALYST)
    headers = {b"Authorization": f"Bearer {owner}".encode(), b"X-Sett-Purpose": "intake\u2028review".encode()}
    body = {"query": OPEN_CASE, "variables": {"case": case_input("SPD-10")}}
    opened = (await client.post("/graphql", json=body, headers=headers)).json()
    assert opened["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", opened
    assert "line or paragraph separator" in opened["errors"][0]["message"]
    listed = await gql(client, CASES, {"first": 10}, token=owner)
    assert listed["data"]["cases"]["totalCount"] == 0


async def test_a_forged_access_report_cursor_is_bad_input(client: httpx.AsyncClient, repos: Repositories) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    report = "query($after: String) { accessReport(first: 5, after: $after) { totalCount } }"
    for forged in ("disclosure:not-a-date|x", "disclosure:2026-11-01T00:00:00|x", "disclosure:2026-11-01T00:00:00Z|"):
        cursor = base64.urlsafe_b64encode(forged.encode()).decode()
        body = await gql(client, report, {"after": cursor}, token=supervisor)
        assert error_code(body) == "BAD_USER_INPUT", (forged, body)
        assert body["errors"][0]["message"] == f"{cursor!r} is not a cursor of this list"


async def test_overlapping_agreements_of_one_grantor_list_every_case_once_page_by_page(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    owner = await token_for(repos, SPD, Role.ANALYST)
    grantee = await token_for(repos, KCSO, Role.ANALYST)
    opened = sorted([await open_case(client, owner, f"SPD-O{n}", labels=("HT",)) for n in range(5)])
    for terms in (
        {"coverage": "ALL_CASES", "purpose": "task force"},
        {"coverage": "ALL_CASES", "victimServices": True, "purpose": "victim services"},
        {"coverage": "NAMED_CASES", "caseIds": opened[:3], "purpose": "named"},
        {"coverage": "NAMED_CASES", "caseIds": opened[1:4], "purpose": "named again"},
    ):
        created = await gql(client, AGREEMENT, {"a": {"granteeId": KCSO, **terms}}, token=supervisor)
        assert created.get("errors") is None, created

    listed, after = [], None
    while True:
        page = await gql(client, CASES, {"first": 2, "after": after}, token=grantee, purpose="joint operation")
        assert page.get("errors") is None, page
        assert page["data"]["cases"]["totalCount"] == 5
        listed += [edge["node"]["id"] for edge in page["data"]["cases"]["edges"]]
        if not page["data"]["cases"]["pageInfo"]["hasNextPage"]:
            break
        after = page["data"]["cases"]["pageInfo"]["endCursor"]
    assert listed == opened
