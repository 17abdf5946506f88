"""What an import writes of a batch, given what the graph holds: the rules that need the graph, on given facts."""

from __future__ import annotations

import io
from collections.abc import Mapping

from cases.imports.plan import BatchFacts, FileContext, StoredPerson, fingerprint, plan_batch
from cases.imports.reader import Encoding, scan_records
from cases.imports.records import CaseRecord, ImportRecord, Rejected
from cases.imports.rejects import RejectFormat, RejectWriter, reject_format_of
from cases.models import CaseRole
from tests.support.imports import CASE, PERSON, jsonl, parse_jsonl

NONE = BatchFacts(cases={}, number_holders={}, persons={}, stored_cases=frozenset())


def records(*raw: dict[str, object]) -> list[ImportRecord]:
    parsed = parse_jsonl(*raw)
    assert not [r for r in parsed if isinstance(r, Rejected)], parsed
    return [r for r in parsed if not isinstance(r, Rejected)]


def context(records: list[ImportRecord], rejected: Mapping[str, int] | None = None) -> FileContext:
    lines = {r.source_id: r.line for r in records if isinstance(r, CaseRecord)}
    return FileContext(case_lines=lines, rejected_cases=rejected or {})


def case(source_id: str, number: str, **fields: object) -> dict[str, object]:
    return {**CASE, "sourceId": source_id, "agencyCaseNumber": number, **fields}


def person(source_id: str, *cases: tuple[str, str], **fields: object) -> dict[str, object]:
    links = [{"caseSourceId": case_id, "role": role} for case_id, role in cases]
    return {**PERSON, "sourceId": source_id, "cases": links, **fields}


def test_new_records_are_written_and_a_stored_record_with_the_same_fingerprint_is_unchanged() -> None:
    batch = records(case("C-1", "N-1"), person("P-1", ("C-1", "SUSPECT")), case("C-2", "N-2"))
    fresh = plan_batch(batch, NONE, context(batch))
    assert [(w.record.source_id, w.new) for w in fresh.cases] == [("C-1", True), ("C-2", True)]
    assert [(w.record.source_id, w.new) for w in fresh.persons] == [("P-1", True)]
    assert (fresh.created, fresh.updated, fresh.unchanged, fresh.rejected) == (3, 0, 0, ())

    stored = BatchFacts(
        cases={"C-1": fingerprint(batch[0]), "C-2": "an older row"},
        number_holders={},
        persons={"P-1": StoredPerson(fingerprint(batch[1]), may_change=True, roles={"C-1": CaseRole.SUSPECT})},
        stored_cases=frozenset({"C-1", "C-2"}),
    )
    again = plan_batch(batch, stored, context(batch))
    assert [(w.record.source_id, w.new) for w in again.cases] == [("C-2", False)]
    assert (again.persons, again.unchanged, again.created, again.updated) == ((), 2, 0, 1)


def test_the_fingerprint_covers_what_is_written_and_not_where_the_row_stands() -> None:
    first, moved, edited = (
        records(case("C-1", "N-1")),
        records(case("C-0", "N-0"), case("C-1", "N-1")),
        records(case("C-1", "N-1", title="Another title")),
    )
    assert fingerprint(first[0]) == fingerprint(moved[1])
    assert fingerprint(first[0]) != fingerprint(edited[0])
    labels = records(case("C-1", "N-1", labels=["b", "a"])), records(case("C-1", "N-1", labels=["a", "b"]))
    assert fingerprint(labels[0][0]) == fingerprint(labels[1][0])
    phone = records(person("P-1", ("C-1", "SUSPECT"), identifiers=[{"kind": "PHONE", "value": "612 555 0147"}]))
    other = records(person("P-1", ("C-1", "SUSPECT"), identifiers=[{"kind": "PHONE", "value": "612 555 0148"}]))
    role = records(person("P-1", ("C-1", "WITNESS"), identifiers=[{"kind": "PHONE", "value": "(612) 555-0147"}]))
    assert len({fingerprint(phone[0]), fingerprint(other[0]), fingerprint(role[0])}) == 3


def test_a_case_number_another_case_of_the_agency_holds_is_rejected_and_so_are_the_persons_on_it() -> None:
    batch = records(case("C-1", "N-1"), person("P-1", ("C-1", "SUSPECT")), case("C-2", "N-2"))
    facts = BatchFacts(cases={}, number_holders={"C-1": None, "C-2": "OLD-7"}, persons={}, stored_cases=frozenset())
    plan = plan_batch(batch, facts, context(batch))
    assert [(r.line, r.field, r.source_id) for r in plan.rejected] == [
        (1, "agencyCaseNumber", "C-1"),
        (2, "cases[0].caseSourceId", "P-1"),
        (3, "agencyCaseNumber", "C-2"),
    ]
    reasons = [r.reason for r in plan.rejected]
    assert reasons[0] == "case number N-1 is held by another of your agency's cases (a case opened in Sett)"
    assert reasons[1] == "case C-1 on line 1 was rejected, so no one can be put on it"
    assert reasons[2] == "case number N-2 is held by another of your agency's cases (the case imported as OLD-7)"
    assert plan.rejected_cases == {"C-1": 1, "C-2": 3}
    assert not plan.writes


def test_a_person_on_a_case_rejected_in_an_earlier_batch_is_rejected() -> None:
    batch = records(person("P-1", ("C-9", "VICTIM")))
    plan = plan_batch(batch, NONE, FileContext(case_lines={"C-9": 0}, rejected_cases={"C-9": 4}))
    assert [r.reason for r in plan.rejected] == ["case C-9 on line 4 was rejected, so no one can be put on it"]


def test_a_persons_case_must_be_earlier_in_the_file_or_imported_before() -> None:
    batch = records(person("P-1", ("C-1", "SUSPECT")), person("P-2", ("OLD-1", "WITNESS"), ("GONE", "WITNESS")))
    facts = BatchFacts(cases={}, number_holders={}, persons={}, stored_cases=frozenset({"OLD-1"}))
    # C-1 is on line 3, after P-1: refused even when a killed run of this file has stored it already
    plan = plan_batch(batch, facts, FileContext(case_lines={"C-1": 3}, rejected_cases={}))
    assert [(r.line, r.field, r.reason) for r in plan.rejected] == [
        (1, "cases[0].caseSourceId", "case C-1 is on line 3, after this person: list a case before the persons on it"),
        (2, "cases[1].caseSourceId", "no case GONE: it is neither earlier in the file nor imported before"),
    ]
    stored_too = BatchFacts(cases={}, number_holders={}, persons={}, stored_cases=frozenset({"C-1", "OLD-1", "GONE"}))
    plan = plan_batch(batch, stored_too, FileContext(case_lines={"C-1": 3}, rejected_cases={}))
    assert [r.line for r in plan.rejected] == [1]
    assert [w.record.source_id for w in plan.persons] == ["P-2"]


def test_csv_rejects_name_a_persons_case_as_its_column_entry() -> None:
    batch = records(person("P-1", ("C-1", "SUSPECT"), ("C-2", "SUSPECT")))
    plan = plan_batch(batch, NONE, FileContext(case_lines={}, rejected_cases={"C-2": 9}, csv=True))
    assert [r.field for r in plan.rejected] == ["cases[0]"]


def test_a_role_stays_as_recorded_and_a_person_out_of_reach_is_not_changed() -> None:
    batch = records(case("C-1", "N-1"), person("P-1", ("C-1", "WITNESS")), person("P-2", ("C-1", "SUSPECT")))
    facts = BatchFacts(
        cases={},
        number_holders={},
        persons={
            "P-1": StoredPerson("old", may_change=True, roles={"C-1": CaseRole.VICTIM}),
            "P-2": StoredPerson("old", may_change=False, roles={}),
        },
        stored_cases=frozenset(),
    )
    plan = plan_batch(batch, facts, context(batch))
    assert [(r.line, r.field) for r in plan.rejected] == [(2, "cases[0].role"), (3, None)]
    assert plan.rejected[0].reason.startswith("the person is on case C-1 already, as VICTIM: a role stays as recorded")
    assert plan.rejected[1].reason == "this person is on a case your agency may no longer write on; ask its owner"
    assert [w.record.source_id for w in plan.cases] == ["C-1"]


def test_a_person_out_of_reach_whose_row_is_unchanged_is_not_rejected() -> None:
    batch = records(case("C-1", "N-1"), person("P-1", ("C-1", "SUSPECT")))
    out_of_reach = StoredPerson(fingerprint(batch[1]), may_change=False, roles={"C-1": CaseRole.SUSPECT})
    facts = BatchFacts(cases={}, number_holders={}, persons={"P-1": out_of_reach}, stored_cases=frozenset({"C-1"}))
    plan = plan_batch(batch, facts, context(batch))
    assert (plan.rejected, plan.persons, plan.unchanged) == ((), (), 1)


def test_the_scan_counts_the_records_and_finds_each_cases_first_line() -> None:
    data = jsonl(case("C-1", "N-1"), "not json", person("P-1", ("C-1", "SUSPECT")), case("C-1", "N-2"), CASE)
    scan = scan_records(io.BytesIO(data + b"\n\n"), Encoding.JSON_LINES)
    assert scan.records == 5
    assert scan.case_lines == {"C-1": 1}
    assert scan.case_numbers == {"n-1": "C-1", "n-2": "C-1", "mpd-2025-0001": "C-1"}
    csv_data = b"record,sourceId,agencyCaseNumber\ncase,C-7,N-7\nperson,P-1,\n"
    assert scan_records(io.BytesIO(csv_data), Encoding.CSV).case_lines == {"C-7": 2}


def test_the_reject_file_lists_line_source_field_and_reason_and_disarms_formulas() -> None:
    rejected = [Rejected(3, "openedOn", "is in the future", "=HYPERLINK(1)"), Rejected(7, None, "not JSON")]
    out = io.StringIO()
    RejectWriter(out, RejectFormat.CSV)(rejected)
    assert out.getvalue().splitlines() == [
        "line,sourceId,field,reason",
        "3,'=HYPERLINK(1),openedOn,is in the future",
        "7,,,not JSON",
    ]
    lines = io.StringIO()
    writer = RejectWriter(lines, RejectFormat.JSON_LINES)
    writer(rejected)
    assert lines.getvalue().splitlines()[0] == (
        '{"line": 3, "sourceId": "=HYPERLINK(1)", "field": "openedOn", "reason": "is in the future"}'
    )
    assert writer.count == 2
    assert (reject_format_of("x.rejects.jsonl"), reject_format_of("x.csv.rejects.csv")) == (
        RejectFormat.JSON_LINES,
        RejectFormat.CSV,
    )
