"""The import format read from JSON Lines: every kind of bad record is a reject with its line, field and reason,
and no good record around it is lost."""

from __future__ import annotations

import io
from datetime import date

import pytest

from cases.identifiers import IdentifierKind
from cases.imports.reader import Encoding, read_records
from cases.imports.records import CaseRecord, Involvement, PersonRecord, Rejected
from cases.models import CaseRole
from tests.support.imports import CASE, NOW, PERSON, jsonl, only_reject, parse, parse_jsonl, rejects


def case(**changes: object) -> dict[str, object]:
    return {**CASE, **changes}


def person(**changes: object) -> dict[str, object]:
    return {**PERSON, **changes}


def test_a_case_and_a_person_become_records_with_normalised_identifiers() -> None:
    parsed = parse_jsonl(
        case(identifiers=[{"kind": "PHONE", "value": "(612) 555-0147"}], pointOfContact={"name": "Det. Example"}),
        person(aliases=["J. Example"], identifiers=[{"kind": "email", "value": " Jordan@Example.ORG "}]),
    )
    opened, on_case = parsed
    assert isinstance(opened, CaseRecord)
    assert (opened.line, opened.source_id, opened.draft.title) == (1, "C-1", "Synthetic case")
    assert opened.draft.opened_on == date(2025, 1, 15)
    assert opened.draft.point_of_contact is not None
    assert [i.value for i in opened.identifiers] == ["+16125550147"]
    assert isinstance(on_case, PersonRecord)
    assert on_case.cases == (Involvement("C-1", CaseRole.SUSPECT),)
    assert [(i.kind, i.value) for i in on_case.identifiers] == [(IdentifierKind.EMAIL, "jordan@example.org")]
    assert [i.value for i in on_case.derived] == ["example jordan|1990-04-02", "example j|1990-04-02"]


def test_messy_input_is_read_as_the_api_reads_it() -> None:
    data = jsonl(
        case(identifiers=[{"kind": "PHONE", "value": "(612) 555-0147"}, {"kind": "PHONE", "value": "612.555.0147"}]),
        person(name="José  Núñez-García", identifiers=[{"kind": "EMAIL", "value": "  JOSE.NUNEZ@EXAMPLE.ORG "}]),
    )
    parsed = parse(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"), Encoding.JSON_LINES)
    opened, named = parsed
    assert isinstance(opened, CaseRecord)
    assert [i.value for i in opened.identifiers] == ["+16125550147"]
    assert isinstance(named, PersonRecord)
    assert named.draft.name == "José Núñez-García"
    assert [i.value for i in named.identifiers] == ["jose.nunez@example.org"]
    assert [i.value for i in named.derived] == ["garcia jose nunez|1990-04-02"]


def test_good_records_around_bad_ones_are_all_yielded_in_file_order() -> None:
    parsed = parse_jsonl(
        case(sourceId="C-1"),
        "{not json",
        case(sourceId="C-2", agencyCaseNumber="N-2"),
        "",
        case(sourceId="C-3", agencyCaseNumber="N-3", openedOn="2099-01-01"),
        person(sourceId="P-1", cases=[{"caseSourceId": "C-2", "role": "VICTIM"}]),
        person(sourceId="P-2", cases=[{"caseSourceId": "C-2", "role": "THIEF"}]),
        case(sourceId="C-4", agencyCaseNumber="N-4"),
    )
    kept = [(r.line, r.source_id) for r in parsed if not isinstance(r, Rejected)]
    assert kept == [(1, "C-1"), (3, "C-2"), (6, "P-1"), (8, "C-4")]
    assert [line for line, _, _ in rejects(parsed)] == [2, 5, 7]


def test_blank_lines_are_skipped_and_counted() -> None:
    parsed = parse_jsonl("", "   ", case())
    assert [r.line for r in parsed] == [3]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "is not JSON: Expecting property name enclosed in double quotes at character 2"),
        ('{"record": "case",}', "is not JSON: Expecting property name enclosed in double quotes at character 19"),
        ("[1, 2]", "holds a list, not a JSON object"),
        ('"case"', "holds text, not a JSON object"),
        ("42", "holds a number, not a JSON object"),
        ("null", "holds null, not a JSON object"),
        ("[" * 100_000, "is not JSON that can be read: a number too long or nesting too deep"),
        ("1" * 5000, "is not JSON that can be read: a number too long or nesting too deep"),
    ],
)
def test_a_line_that_is_not_a_json_object_is_rejected_whole(line: str, reason: str) -> None:
    assert rejects(parse_jsonl(line)) == [(1, None, reason)]


def test_an_object_that_names_a_field_twice_is_rejected() -> None:
    line = '{"record": "case", "sourceId": "C-1", "title": "a", "title": "b"}'
    assert rejects(parse_jsonl(line)) == [(1, "title", "is given twice in one object")]


@pytest.mark.parametrize(
    ("record", "field", "reason"),
    [
        ({"sourceId": "C-1"}, "record", "is required: case or person"),
        ({"record": "incident", "sourceId": "C-1"}, "record", "'incident' is no kind of record; use case or person"),
        ({"record": 1, "sourceId": "C-1"}, "record", "1 is no kind of record; use case or person"),
        ({"record": "case"}, "sourceId", "is required"),
        (case(sourceId=None), "sourceId", "is required"),
        (case(sourceId="  "), "sourceId", "must not be blank"),
        (case(sourceId=True), "sourceId", "must be text, not true or false"),
        (case(sourceId=1.5), "sourceId", "must be text, not a number"),
        (case(sourceId="A|B"), "sourceId", "must not hold |, which separates list entries in CSV"),
        (case(sourceId="x" * 129), "sourceId", "has at most 128 characters, not 129"),
        (case(sourceId="C\n1"), "sourceId", "contains a control character (U+000A)"),
    ],
)
def test_a_record_without_a_kind_or_a_usable_source_id_is_rejected(
    record: dict[str, object], field: str, reason: str
) -> None:
    assert rejects(parse_jsonl(record)) == [(1, field, reason)]


def test_record_kind_is_read_in_any_case_and_a_numeric_source_id_as_text() -> None:
    (parsed,) = parse_jsonl(case(record="Case", sourceId=20240001))
    assert isinstance(parsed, CaseRecord)
    assert parsed.source_id == "20240001"


def test_a_source_id_used_twice_rejects_the_second_naming_the_first() -> None:
    parsed = parse_jsonl(case(), case(agencyCaseNumber="OTHER"), person(sourceId="C-1"))
    assert rejects(parsed) == [(2, "sourceId", "case C-1 is on line 1 already")]
    assert isinstance(parsed[2], PersonRecord), "a person may share a case's sourceId"
    assert only_reject(parsed).source_id == "C-1"


def test_the_first_record_with_a_source_id_keeps_it_even_when_rejected() -> None:
    parsed = parse_jsonl(case(title=""), case())
    assert rejects(parsed) == [(1, "title", "must not be blank"), (2, "sourceId", "case C-1 is on line 1 already")]


def test_a_case_number_used_twice_in_a_file_rejects_the_second() -> None:
    parsed = parse_jsonl(case(), case(sourceId="C-2", agencyCaseNumber="  mpd-2025-0001 "))
    reason = "case number mpd-2025-0001 is the case on line 1's already"
    assert rejects(parsed) == [(2, "agencyCaseNumber", reason)]


LONG = "x" * 10_001
CASE_REFUSALS: list[tuple[dict[str, object], str, str]] = [
    ({"title": None}, "title", "is required"),
    ({"agencyCaseNumber": None}, "agencyCaseNumber", "is required"),
    ({"openedOn": None}, "openedOn", "is required"),
    ({"title": "   "}, "title", "must not be blank"),
    ({"title": "t" * 201}, "title", "has at most 200 characters, not 201"),
    ({"title": "bad\u202etitle"}, "title", "contains a character that reverses the order text is shown in (U+202E)"),
    ({"title": 7}, "title", "must be text, not a number"),
    ({"agencyCaseNumber": "n" * 65}, "agencyCaseNumber", "has at most 64 characters, not 65"),
    ({"summary": LONG}, "summary", "has at most 10000 characters, not 10001"),
    ({"summary": "a\x00b"}, "summary", "contains a control character (U+0000)"),
    ({"victimServicesNotes": LONG}, "victimServicesNotes", "has at most 10000 characters, not 10001"),
    ({"offenses": [f"o{n}" for n in range(21)]}, "offenses", "holds at most 20 entries, not 21"),
    ({"offenses": ["a", 2]}, "offenses[1]", "must be text, not a number"),
    ({"offenses": "sex trafficking"}, "offenses", "must be a list, not text"),
    ({"labels": ["l" * 65]}, "labels", "has at most 64 characters, not 65"),
    ({"labels": [""]}, "labels", "must not be blank"),
    ({"openedOn": "03/05/2024"}, "openedOn", "'03/05/2024' is not a date written YYYY-MM-DD, such as 2024-03-01"),
    ({"openedOn": "2024-02-30"}, "openedOn", "2024-02-30 is not a day of the calendar"),
    ({"openedOn": 20240105}, "openedOn", "must be text, not a number"),
    ({"reviewDue": "soon"}, "reviewDue", "'soon' is not a date written YYYY-MM-DD, such as 2024-03-01"),
    ({"openedOn": "2099-01-01"}, "openedOn", "openedOn 2099-01-01 is in the future"),
    ({"openedOn": "1899-12-31"}, "openedOn", "openedOn 1899-12-31 is before 1900"),
    ({"pointOfContact": {"phone": "555-0100"}}, "pointOfContact.name", "is required"),
    ({"pointOfContact": {"name": " "}}, "pointOfContact.name", "must not be blank"),
    ({"pointOfContact": {"name": "A", "email": 5}}, "pointOfContact.email", "must be text, not a number"),
    ({"pointOfContact": {"name": "A", "fax": "1"}}, "pointOfContact.fax", "is not a field of a point of contact"),
    ({"pointOfContact": "Det. Example"}, "pointOfContact", "must be an object, not text"),
    ({"titel": "typo"}, "titel", "is not a field of a case record"),
    ({"name": "a person's field"}, "name", "is not a field of a case record"),
]


@pytest.mark.parametrize(("changes", "field", "reason"), CASE_REFUSALS)
def test_each_refusal_of_open_case_rejects_the_case(changes: dict[str, object], field: str, reason: str) -> None:
    rejected = only_reject(parse_jsonl(case(**changes)))
    assert (rejected.line, rejected.field, rejected.reason, rejected.source_id) == (1, field, reason, "C-1")


IDENTIFIER_REFUSALS: list[tuple[object, str, str]] = [
    ([{"kind": "PHONE", "value": "555-01"}], "identifiers[0].value", "invalid PHONE identifier: it has too few digits"),
    (
        [{"kind": "EMAIL", "value": "a@b.org"}, {"kind": "EMAIL", "value": "no-at-sign"}],
        "identifiers[1].value",
        "invalid EMAIL identifier: an e-mail address has exactly one @",
    ),
    (
        [{"kind": "FAX", "value": "1"}],
        "identifiers[0].kind",
        "invalid FAX identifier: unknown kind; use one of PHONE, EMAIL, PERSON, ADDRESS, VEHICLE, ONLINE_AD, "
        "ONLINE_ACCOUNT",
    ),
    (
        [{"kind": "VEHICLE", "value": "ABC1234"}],
        "identifiers[0].value",
        "invalid VEHICLE identifier: give it as state:plate",
    ),
    ([{"kind": "PHONE"}], "identifiers[0].value", "is required"),
    ([{"kind": "PHONE", "value": 6125550147}], "identifiers[0].value", "must be text, not a number"),
    ([{"kind": "PHONE", "value": "1", "note": "x"}], "identifiers[0].note", "is not a field of an identifier"),
    (["(612) 555-0147"], "identifiers[0]", "must be an object, not text"),
    ({"kind": "PHONE", "value": "1"}, "identifiers", "must be a list, not an object"),
    ([{"kind": "PHONE", "value": "612-555-0147"}] * 101, "identifiers", "holds at most 100 entries, not 101"),
]


@pytest.mark.parametrize(("identifiers", "field", "reason"), IDENTIFIER_REFUSALS)
def test_an_identifier_that_add_identifier_refuses_rejects_its_record(
    identifiers: object, field: str, reason: str
) -> None:
    assert rejects(parse_jsonl(case(identifiers=identifiers))) == [(1, field, reason)]
    assert rejects(parse_jsonl(person(identifiers=identifiers))) == [(1, field, reason)]


def test_the_same_identifier_written_twice_is_held_once() -> None:
    (parsed,) = parse_jsonl(
        case(identifiers=[{"kind": "PHONE", "value": v} for v in ("6125550147", "+1 612 555 0147")])
    )
    assert isinstance(parsed, CaseRecord)
    assert len(parsed.identifiers) == 1


PERSON_REFUSALS: list[tuple[dict[str, object], str, str]] = [
    ({"name": None}, "name", "is required"),
    ({"name": " - "}, "name", "needs at least one letter or digit"),
    ({"name": "n" * 201}, "name", "has at most 200 characters, not 201"),
    ({"aliases": [f"A{n}" for n in range(21)]}, "aliases", "holds at most 20 entries, not 21"),
    ({"aliases": ["ok", ""]}, "aliases", "must not be blank"),
    ({"dateOfBirth": "1990-13-01"}, "dateOfBirth", "1990-13-01 is not a day of the calendar"),
    (
        {"dateOfBirth": "2025-07-01"},
        "dateOfBirth",
        "invalid PERSON identifier: the date of birth is in the future",
    ),
    ({"cases": None}, "cases", "is required"),
    ({"cases": []}, "cases", "needs at least one case the person is on"),
    ({"cases": "C-1"}, "cases", "must be a list, not text"),
    ({"cases": [{"caseSourceId": "C-1"}]}, "cases[0].role", "is required"),
    ({"cases": [{"role": "VICTIM"}]}, "cases[0].caseSourceId", "is required"),
    (
        {"cases": [{"caseSourceId": "C-1", "role": "perpetrator"}]},
        "cases[0].role",
        "'perpetrator' is no role; use one of SUSPECT, VICTIM, WITNESS, ASSOCIATE, ARRESTEE, DEFENDANT",
    ),
    (
        {"cases": [{"caseSourceId": "C-1", "role": "VICTIM"}, {"caseSourceId": "C-1", "role": "WITNESS"}]},
        "cases[1].caseSourceId",
        "case C-1 is cases[0] already",
    ),
    (
        {"cases": [{"caseSourceId": "C-1", "role": "VICTIM", "since": "x"}]},
        "cases[0].since",
        "is not a field of a case of a person",
    ),
    ({"title": "a case's field"}, "title", "is not a field of a person record"),
]


@pytest.mark.parametrize(("changes", "field", "reason"), PERSON_REFUSALS)
def test_each_refusal_of_add_person_rejects_the_person(changes: dict[str, object], field: str, reason: str) -> None:
    rejected = only_reject(parse_jsonl(person(**changes)))
    assert (rejected.line, rejected.field, rejected.reason, rejected.source_id) == (1, field, reason, "P-1")


def test_a_role_is_read_in_any_case_and_a_person_may_be_on_several_cases() -> None:
    (parsed,) = parse_jsonl(
        person(cases=[{"caseSourceId": "C-1", "role": " victim "}, {"caseSourceId": 7, "role": "Witness"}])
    )
    assert isinstance(parsed, PersonRecord)
    assert parsed.cases == (Involvement("C-1", CaseRole.VICTIM), Involvement("7", CaseRole.WITNESS))


def test_a_person_on_a_case_rejected_earlier_is_rejected_naming_its_line() -> None:
    parsed = parse_jsonl(
        case(),
        case(sourceId="C-2", agencyCaseNumber="N-2", title=""),
        person(cases=[{"caseSourceId": "C-1", "role": "VICTIM"}, {"caseSourceId": "C-2", "role": "VICTIM"}]),
    )
    reason = "case C-2 on line 2 was rejected, so no one can be put on it"
    assert rejects(parsed)[1:] == [(3, "cases[1].caseSourceId", reason)]


def test_a_person_on_a_case_not_in_the_file_is_left_to_the_importer() -> None:
    (parsed,) = parse_jsonl(person(cases=[{"caseSourceId": "IMPORTED-LAST-MONTH", "role": "SUSPECT"}]))
    assert isinstance(parsed, PersonRecord)


def test_a_person_without_a_date_of_birth_derives_no_person_identifier() -> None:
    (parsed,) = parse_jsonl(person(dateOfBirth=None))
    assert isinstance(parsed, PersonRecord)
    assert parsed.derived == ()


def test_null_is_the_same_as_a_field_left_out() -> None:
    (parsed,) = parse_jsonl(case(summary=None, offenses=None, reviewDue=None, pointOfContact=None, identifiers=None))
    assert isinstance(parsed, CaseRecord)
    assert parsed.draft.summary == ""


def test_a_line_over_the_cap_is_rejected_without_being_held_and_the_next_is_read() -> None:
    data = jsonl(case(summary="x" * 500), case(sourceId="C-2", agencyCaseNumber="N-2"))
    parsed = parse(data, Encoding.JSON_LINES, max_record_bytes=300)
    assert rejects(parsed) == [(1, None, "the record is longer than 300 bytes, the most one record may take")]
    assert [(r.line, r.source_id) for r in parsed if isinstance(r, CaseRecord)] == [(2, "C-2")]


def test_a_line_that_is_not_utf8_is_rejected_and_the_next_is_read() -> None:
    data = jsonl(case(title="Caf\u00e9")).replace("é".encode(), b"\xe9") + jsonl(
        case(sourceId="C-2", agencyCaseNumber="N")
    )
    parsed = parse(data, Encoding.JSON_LINES)
    reason = "0xE9 at byte 89 is not UTF-8 (the file may be Windows-1252 or Latin-1); save the file as UTF-8"
    assert rejects(parsed) == [(1, None, reason)]
    assert isinstance(parsed[1], CaseRecord)


def test_a_last_line_without_a_line_break_is_read() -> None:
    parsed = parse(jsonl(case()).rstrip(b"\n"), Encoding.JSON_LINES)
    assert [type(r) for r in parsed] == [CaseRecord]


PYDANTIC_WORDS = ("Input should", "Value error", "validation error", "pydantic", "Tuple", "type=")


def test_no_reason_carries_pydantic_text() -> None:
    records = [case(**changes) for changes, _, _ in CASE_REFUSALS]
    records += [person(**changes) for changes, _, _ in PERSON_REFUSALS]
    records += [case(identifiers=identifiers) for identifiers, _, _ in IDENTIFIER_REFUSALS]
    records += [case(labels=[5]), case(offenses=[{"a": 1}]), person(aliases=[None]), case(pointOfContact=[])]
    reasons = [reason for _, _, reason in rejects(parse(b"".join(jsonl(r) for r in records), Encoding.JSON_LINES))]
    assert len(reasons) >= len(records) - 1, "all but the first are rejected, if only as duplicates"
    assert not [reason for reason in reasons if any(word in reason for word in PYDANTIC_WORDS)]


def test_records_are_yielded_as_they_are_read() -> None:
    stream = io.BytesIO(b"".join(jsonl(case(sourceId=f"C-{n}", agencyCaseNumber=f"N-{n}")) for n in range(5000)))
    records = read_records(stream, Encoding.JSON_LINES, clock=lambda: NOW)
    first = next(records)
    assert isinstance(first, CaseRecord)
    assert stream.tell() < 1000, "one line read, not the file"
    assert sum(1 for _ in records) == 4999
