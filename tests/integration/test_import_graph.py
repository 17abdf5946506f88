"""Importing into Neo4j: a second import changes nothing, an edited row replaces what the import wrote of it, and
what needs the graph to decide is rejected with its line and reason."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from neo4j import AsyncDriver

from agencies.audit import AuditEvent
from agencies.principals import Scope
from bench.import_data import records, write_csv
from cases import person_service, retention_service
from cases.errors import CaseForbidden, InvalidCase
from cases.identifiers import IdentifierKind
from cases.imports.reader import Encoding
from cases.models import CaseRole
from cases.ports import Holder
from cases.retention import years_after
from gateway.repositories import Repositories
from tests.support.graph import query
from tests.support.import_graph import KCSO, SPD, analyst, counts, dump, opened_in_sett, run_import
from tests.support.imports import CASE, PERSON, jsonl
from tests.support.retention import marked_on

EVENT = AuditEvent("test", "tester", SPD, {})


def generated(count: int) -> bytes:
    return "".join(json.dumps(row) + "\n" for row in records(count)).encode()


async def test_a_second_import_of_the_same_file_changes_nothing(repos: Repositories, graph: AsyncDriver) -> None:
    data = generated(200)
    first, rejects = await run_import(graph, data, batch_size=30)
    assert rejects == []
    assert (first.read, first.created, first.updated, first.unchanged, first.rejected) == (200, 200, 0, 0, 0)
    before, state = await counts(graph), await dump(graph)
    assert before[":Case"] == 100
    assert before[":Person"] == 100
    assert before["-[:INVOLVES]-"] == 100 + 24  # one in four persons (but the first) is on a second case

    second, rejects = await run_import(graph, data, batch_size=30)

    assert rejects == []
    assert (second.read, second.written, second.unchanged) == (200, 0, 200)
    assert await counts(graph) == before  # every label and type, the audit log included: nothing was written
    assert await dump(graph) == state
    csv_too, _ = await run_import(graph, _as_csv(data), Encoding.CSV, batch_size=200)
    assert (csv_too.written, csv_too.unchanged) == (0, 200)  # the same records in the other encoding


def _as_csv(data: bytes) -> bytes:
    with TemporaryDirectory() as folder:
        rows = (json.loads(line) for line in data.decode().splitlines())
        return write_csv(Path(folder) / "file.csv", rows).read_bytes()


async def test_each_batch_that_writes_has_one_audit_entry_of_counts_only(
    repos: Repositories, graph: AsyncDriver
) -> None:
    await run_import(graph, generated(40), batch_size=15)
    rows = await query(
        graph, "neo4j", "MATCH (e:AuditEntry {kind: 'import.batch'}) RETURN e.actor AS actor, e.detail AS d"
    )
    details = sorted((json.loads(row["d"]) for row in rows), key=lambda d: d["lines"])
    assert [d["lines"] for d in details] == [[1, 15], [16, 30], [31, 40]]
    assert [(d["created"], d["updated"], d["unchanged"], d["rejected"]) for d in details] == [
        (15, 0, 0, 0),
        (15, 0, 0, 0),
        (10, 0, 0, 0),
    ]
    assert {row["actor"] for row in rows} == {f"analyst@{SPD}"}
    assert set(details[0]) == {"import", "lines", "created", "updated", "unchanged", "rejected"}


PHONE_147 = {"kind": "PHONE", "value": "(612) 555-0147"}
CASE_1 = {**CASE, "sourceId": "C-1", "identifiers": [PHONE_147, {"kind": "EMAIL", "value": "desk@example.org"}]}
CASE_2 = {**CASE, "sourceId": "C-2", "agencyCaseNumber": "MPD-2025-0002"}
PERSON_1 = {
    **PERSON,
    "cases": [{"caseSourceId": "C-1", "role": "SUSPECT"}, {"caseSourceId": "C-2", "role": "WITNESS"}],
    "identifiers": [{"kind": "PHONE", "value": "(612) 555-0148"}, {"kind": "EMAIL", "value": "jordan@example.org"}],
}
CASE_IDENTIFIERS = """
MATCH (:Case {sourceId: $case})-[r:HAS_IDENTIFIER]->(i:Identifier)
RETURN i.kind + ' ' + i.value AS identifier ORDER BY identifier
"""
PERSON_IDENTIFIERS = """
MATCH (:Person {sourceId: 'P-1'})-[r:HAS_IDENTIFIER]->(i:Identifier)
RETURN i.kind + ' ' + i.value + CASE WHEN r.derived THEN ' (derived)' ELSE '' END AS identifier ORDER BY identifier
"""
PERSON_CASES = """
MATCH (c:Case)-[r:INVOLVES]->(:Person {sourceId: 'P-1'})
RETURN coalesce(c.sourceId, c.agencyCaseNumber) + ' ' + r.role AS link ORDER BY link
"""


async def test_an_edited_row_replaces_what_the_import_wrote_and_keeps_what_the_api_added(
    repos: Repositories, graph: AsyncDriver
) -> None:
    await run_import(graph, jsonl(CASE_1, CASE_2, PERSON_1))
    spd = analyst()
    [case_1] = await query(graph, "neo4j", "MATCH (c:Case {sourceId: 'C-1'}) RETURN c.id AS id")
    [person] = await query(graph, "neo4j", "MATCH (p:Person {sourceId: 'P-1'}) RETURN p.id AS id")
    await opened_in_sett(repos, "api-case", "MPD-API-1")
    await repos.persons.add_existing("api-case", person["id"], CaseRole.ASSOCIATE, SPD, EVENT)
    for holder, value in (
        (Holder("Case", case_1["id"]), "(612) 555-0199"),
        (Holder("Person", person["id"]), "(612) 555-0198"),
    ):
        await person_service.change_identifier(
            principal=spd,
            holder=holder,
            kind=IdentifierKind.PHONE,
            value=value,
            add=True,
            purpose=None,
            cases=repos.cases,
            persons=repos.persons,
            identifiers=repos.identifiers,
        )
    edited_case = {**CASE_1, "title": "Renamed in the records system", "identifiers": [PHONE_147]}
    edited_person = {
        **PERSON_1,
        "dateOfBirth": "1991-05-06",
        "cases": [{"caseSourceId": "C-1", "role": "SUSPECT"}],
        "identifiers": [{"kind": "PHONE", "value": "(612) 555-0148"}],
    }

    summary, rejects = await run_import(graph, jsonl(edited_case, CASE_2, edited_person))

    assert rejects == []
    assert (summary.updated, summary.unchanged, summary.created) == (2, 1, 0)
    [stored] = await query(graph, "neo4j", "MATCH (c:Case {sourceId: 'C-1'}) RETURN c.title AS title, c.id AS id")
    assert stored == {"title": "Renamed in the records system", "id": case_1["id"]}  # the same case, updated
    case_identifiers = [row["identifier"] for row in await query(graph, "neo4j", CASE_IDENTIFIERS, case="C-1")]
    assert case_identifiers == ["PHONE +16125550147", "PHONE +16125550199"]  # the e-mail went, the API's phone stays
    person_identifiers = [row["identifier"] for row in await query(graph, "neo4j", PERSON_IDENTIFIERS)]
    assert person_identifiers == [
        "PERSON example jordan|1991-05-06 (derived)",  # follows the new date of birth; the old one is gone
        "PHONE +16125550148",
        "PHONE +16125550198",
    ]
    links = [row["link"] for row in await query(graph, "neo4j", PERSON_CASES)]
    assert links == ["C-1 SUSPECT", "MPD-API-1 ASSOCIATE"]  # off C-2, which the row dropped; on the API's case still
    assert (await counts(graph))[":Person"] == 1


async def test_a_role_changed_in_the_file_is_refused_as_addperson_refuses_it(
    repos: Repositories, graph: AsyncDriver
) -> None:
    await run_import(graph, jsonl(CASE_1, CASE_2, PERSON_1))
    victim = {
        **PERSON_1,
        "cases": [{"caseSourceId": "C-1", "role": "VICTIM"}, {"caseSourceId": "C-2", "role": "WITNESS"}],
    }
    summary, rejects = await run_import(graph, jsonl(CASE_1, CASE_2, victim))
    assert (summary.written, summary.unchanged, summary.rejected) == (0, 2, 1)
    assert [(r.line, r.field, r.source_id) for r in rejects] == [(3, "cases[0].role", "P-1")]
    assert "already, as SUSPECT: a role stays as recorded" in rejects[0].reason
    assert [row["link"] for row in await query(graph, "neo4j", PERSON_CASES)] == ["C-1 SUSPECT", "C-2 WITNESS"]


async def test_what_the_graph_decides_is_rejected_with_line_and_reason_and_the_rest_is_written(
    repos: Repositories, graph: AsyncDriver
) -> None:
    await run_import(graph, jsonl({**CASE, "sourceId": "OLD-1", "agencyCaseNumber": "MPD-OLD-1"}))
    await opened_in_sett(repos, "api-case", "MPD-API-7")
    file = jsonl(
        {**CASE, "sourceId": "C-1", "agencyCaseNumber": "mpd-api-7"},  # 1: the API case's number, in other letters
        {**CASE, "sourceId": "C-2", "agencyCaseNumber": "MPD-OLD-1"},  # 2: the number of the case imported as OLD-1
        {**PERSON, "sourceId": "P-1", "cases": [{"caseSourceId": "C-1", "role": "SUSPECT"}]},  # 3: on rejected C-1
        {**PERSON, "sourceId": "P-2", "cases": [{"caseSourceId": "NOWHERE", "role": "SUSPECT"}]},  # 4
        {**PERSON, "sourceId": "P-3", "cases": [{"caseSourceId": "C-9", "role": "SUSPECT"}]},  # 5: C-9 comes later
        {**CASE, "sourceId": "C-9", "agencyCaseNumber": "MPD-9"},  # 6: written
        {**PERSON, "sourceId": "P-4", "cases": [{"caseSourceId": "OLD-1", "role": "WITNESS"}]},  # 7: written
        {**PERSON, "sourceId": "P-5", "cases": [{"caseSourceId": "C-9", "role": "VICTIM"}]},  # 8: written
    )
    summary, rejects = await run_import(graph, file, batch_size=3)
    assert [(r.line, r.field, r.source_id) for r in rejects] == [
        (1, "agencyCaseNumber", "C-1"),
        (2, "agencyCaseNumber", "C-2"),
        (3, "cases[0].caseSourceId", "P-1"),
        (4, "cases[0].caseSourceId", "P-2"),
        (5, "cases[0].caseSourceId", "P-3"),
    ]
    assert [r.reason for r in rejects] == [
        "case number mpd-api-7 is held by another of your agency's cases (a case opened in Sett)",
        "case number MPD-OLD-1 is held by another of your agency's cases (the case imported as OLD-1)",
        "case C-1 on line 1 was rejected, so no one can be put on it",
        "no case NOWHERE: it is neither earlier in the file nor imported before",
        "case C-9 is on line 6, after this person: list a case before the persons on it",
    ]
    assert (summary.read, summary.created, summary.rejected) == (8, 3, 5)
    persons = await query(graph, "neo4j", "MATCH (p:Person) RETURN p.sourceId AS s ORDER BY s")
    assert [row["s"] for row in persons] == ["P-4", "P-5"]

    again, rejects_again = await run_import(graph, file, batch_size=8)  # C-9 is stored now: P-3 is refused still
    assert [(r.line, r.reason) for r in rejects_again] == [(r.line, r.reason) for r in rejects]
    assert (again.written, again.unchanged) == (0, 3)


async def test_a_person_another_agencys_case_holds_out_of_reach_is_not_changed(
    repos: Repositories, graph: AsyncDriver
) -> None:
    await run_import(graph, jsonl(CASE_1, CASE_2, PERSON_1))
    [person] = await query(graph, "neo4j", "MATCH (p:Person {sourceId: 'P-1'}) RETURN p.id AS id")
    await opened_in_sett(repos, "kcso-case", "KC-1", owner=KCSO, title="King County's")
    await repos.cases.add_member("kcso-case", SPD, KCSO, EVENT)
    await repos.persons.add_existing("kcso-case", person["id"], CaseRole.WITNESS, SPD, EVENT)
    await repos.cases.remove_member("kcso-case", SPD, KCSO, EVENT)

    summary, rejects = await run_import(graph, jsonl(CASE_1, CASE_2, {**PERSON_1, "name": "Another Name"}))

    assert [(r.line, r.field, r.reason) for r in rejects] == [
        (3, None, "this person is on a case your agency may no longer write on; ask its owner")
    ]
    assert (summary.unchanged, summary.rejected) == (2, 1)
    assert (await query(graph, "neo4j", "MATCH (p:Person) RETURN p.name AS n"))[0]["n"] == "Jordan Example"


async def test_an_import_needs_cases_write_and_an_agency_in_the_directory(
    repos: Repositories, graph: AsyncDriver
) -> None:
    with pytest.raises(CaseForbidden, match="CASES_WRITE"):
        await run_import(graph, jsonl(CASE_1), principal=analyst(SPD, Scope.CASES_READ))
    with pytest.raises(CaseForbidden, match="CASES_READ"):  # as openCase: the rejects tell what the graph holds
        await run_import(graph, jsonl(CASE_1), principal=analyst(SPD, Scope.CASES_WRITE))
    with pytest.raises(InvalidCase, match="no agency 'XX0000000'"):
        await run_import(graph, jsonl(CASE_1), principal=analyst("XX0000000"))
    assert (await counts(graph)).get(":Case", 0) == 0


async def test_an_edited_row_leaves_an_intelligence_records_review_date_to_its_supervisors(
    repos: Repositories, graph: AsyncDriver
) -> None:
    await run_import(graph, jsonl(CASE))
    [case] = await query(graph, "neo4j", "MATCH (c:Case {sourceId: 'C-1'}) RETURN c.id AS id")
    marked = datetime.now(UTC).date() - timedelta(days=10)
    await marked_on(repos, case["id"], marked, owner=SPD)
    limit = years_after(marked, 5)

    summary, rejects = await run_import(graph, jsonl({**CASE, "title": "Retitled", "reviewDue": "2099-01-01"}))

    assert (summary.updated, rejects) == (1, [])
    [stored] = await query(
        graph, "neo4j", "MATCH (c:Case {id: $id}) RETURN c.title AS title, c.reviewDue AS due", id=case["id"]
    )
    assert (stored["title"], stored["due"].to_native()) == ("Retitled", limit)


async def test_freeing_a_number_another_row_wants_is_refused_so_that_every_run_leaves_one_graph(
    repos: Repositories, graph: AsyncDriver
) -> None:
    await run_import(graph, jsonl({**CASE, "sourceId": "A", "agencyCaseNumber": "N-1"}))
    swap = jsonl(
        {**CASE, "sourceId": "B", "agencyCaseNumber": "N-1"},  # wants A's number
        {**CASE, "sourceId": "A", "agencyCaseNumber": "M-1"},  # gives it up
    )
    graphs, reasons = [], []
    for batch_size in (1, 2, 1):  # batch ends anywhere, and a run again, as after a kill between batches
        summary, rejects = await run_import(graph, swap, batch_size=batch_size)
        assert summary.rejected == 2
        graphs.append(await dump(graph))
        reasons.append([(r.line, r.source_id, r.field) for r in rejects])
    assert graphs[0] == graphs[1] == graphs[2]
    assert reasons[0] == [(1, "B", "agencyCaseNumber"), (2, "A", "agencyCaseNumber")]
    assert reasons[0] == reasons[1] == reasons[2]
    numbers = "MATCH (c:Case) RETURN c.sourceId AS s, c.agencyCaseNumber AS n ORDER BY s"
    assert await query(graph, "neo4j", numbers) == [{"s": "A", "n": "N-1"}]
    await run_import(graph, jsonl({**CASE, "sourceId": "A", "agencyCaseNumber": "M-1"}))  # the renumbering alone
    summary, rejects = await run_import(graph, swap)
    assert (summary.created, summary.unchanged, rejects) == (1, 1, [])
    assert await query(graph, "neo4j", numbers) == [{"s": "A", "n": "M-1"}, {"s": "B", "n": "N-1"}]


async def test_a_closed_case_keeps_an_opening_day_before_its_closing_day(
    repos: Repositories, graph: AsyncDriver
) -> None:
    await run_import(graph, jsonl(CASE))
    [case] = await query(graph, "neo4j", "MATCH (c:Case {sourceId: 'C-1'}) RETURN c.id AS id")
    await repos.cases.close(case["id"], date(2025, 2, 1), SPD, EVENT)

    summary, rejects = await run_import(graph, jsonl({**CASE, "openedOn": "2025-05-01", "title": "Reopened?"}))

    assert summary.rejected == 1
    assert [(r.line, r.field, r.reason) for r in rejects] == [
        (1, "openedOn", "2025-05-01 is after the case was closed (2025-02-01)")
    ]
    [stored] = await query(graph, "neo4j", "MATCH (c:Case) RETURN c.openedOn AS opened, c.title AS title")
    assert (stored["opened"].to_native(), stored["title"]) == (date(2025, 1, 15), "Synthetic case")
    summary, rejects = await run_import(graph, jsonl({**CASE, "openedOn": "2025-01-20"}))
    assert (summary.updated, rejects) == (1, [])


async def test_an_import_does_not_bring_back_a_purged_intelligence_record(
    repos: Repositories, graph: AsyncDriver
) -> None:
    await run_import(graph, jsonl(CASE, PERSON))
    [case] = await query(graph, "neo4j", "MATCH (c:Case {sourceId: 'C-1'}) RETURN c.id AS id")
    today = datetime.now(UTC).date()
    await marked_on(repos, case["id"], today - timedelta(days=20), owner=SPD, review_due=today - timedelta(days=1))
    [purged] = await retention_service.purge_expired(by="tester", agency_id=SPD, retention=repos.retention)
    assert purged.case_id == case["id"]

    summary, rejects = await run_import(graph, jsonl(CASE, PERSON))

    assert (summary.created, summary.rejected) == (0, 2)
    assert [(r.line, r.field) for r in rejects] == [(1, "sourceId"), (2, "cases[0].caseSourceId")]
    assert rejects[0].reason.startswith(f"the intelligence record imported as C-1 was purged on {today.isoformat()}")
    assert await query(graph, "neo4j", "MATCH (n) WHERE n:Case OR n:Person RETURN count(n) AS n") == [{"n": 0}]
