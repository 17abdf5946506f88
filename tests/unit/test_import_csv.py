"""The import format read from CSV: one sheet of cases and persons, as a spreadsheet or a records system writes it."""

from __future__ import annotations

import pytest

from cases.imports.csv_rows import COLUMNS
from cases.imports.reader import Encoding
from cases.imports.records import CaseRecord, Involvement, ParsedLine, PersonRecord, Rejected
from cases.models import CaseRole
from tests.support.imports import parse, rejects

HEADER = "record,sourceId,agencyCaseNumber,title,openedOn,summary,phones,emails,name,aliases,dateOfBirth,cases"
CASE_ROW = "case,C-1,MPD-1,Synthetic case,2025-01-15,,(612) 555-0147,,,,,"
PERSON_ROW = "person,P-1,,,,,,,Jordan Example,,1990-04-02,C-1:SUSPECT"


def parse_csv(*rows: str, header: str = HEADER, newline: str = "\n") -> list[ParsedLine]:
    return parse(newline.join((header, *rows, "")).encode(), Encoding.CSV)


def test_a_case_row_and_a_person_row_become_records() -> None:
    opened, on_case = parse_csv(CASE_ROW, PERSON_ROW)
    assert isinstance(opened, CaseRecord)
    assert (opened.line, opened.source_id, opened.draft.agency_case_number) == (2, "C-1", "MPD-1")
    assert [i.value for i in opened.identifiers] == ["+16125550147"]
    assert isinstance(on_case, PersonRecord)
    assert (on_case.line, on_case.cases) == (3, (Involvement("C-1", CaseRole.SUSPECT),))


def test_a_spreadsheet_export_with_bom_crlf_and_messy_values_is_read() -> None:
    rows = (
        'case,C-1,MPD-1,"Ads, a hotel",2025-01-15,"first line\r\nsecond line",(612) 555-0147 | 612.555.0148 |,'
        '"  JANE.DOE@EXAMPLE.ORG ",,,,',
        'person,P-1,,,,,,,"José  Núñez-García",J. Example|,1990-04-02,C-1:victim',
    )
    data = b"\xef\xbb\xbf" + "\r\n".join((HEADER, *rows, "")).encode()
    opened, named = parse(data, Encoding.CSV)
    assert isinstance(opened, CaseRecord)
    assert opened.draft.title == "Ads, a hotel"
    assert opened.draft.summary == "first line\nsecond line"
    assert [i.value for i in opened.identifiers] == ["+16125550147", "+16125550148", "jane.doe@example.org"]
    assert isinstance(named, PersonRecord)
    assert named.line == 4, "the case's quoted summary spans lines 2 and 3"
    assert (named.draft.name, named.draft.aliases) == ("José Núñez-García", ("J. Example",))
    assert named.cases == (Involvement("C-1", CaseRole.VICTIM),)
    assert [i.value for i in named.derived] == ["garcia jose nunez|1990-04-02", "example j|1990-04-02"]


def test_a_record_that_spans_lines_is_reported_at_its_first_line() -> None:
    parsed = parse_csv('case,C-1,MPD-1,,2025-01-15,"one\ntwo\nthree",,,,,,', CASE_ROW.replace("C-1,MPD-1", "C-2,N-2"))
    assert rejects(parsed) == [(2, "title", "is required")]
    assert parsed[1].line == 5


def test_columns_may_come_in_any_order_and_case_and_be_left_out() -> None:
    (parsed,) = parse_csv(
        "Synthetic case,2025-01-15,MPD-1,C-1,CASE", header="TITLE,openedon,agencyCaseNumber,SourceId,record"
    )
    assert isinstance(parsed, CaseRecord)


def test_a_column_the_format_does_not_have_rejects_the_header_and_ends_the_file() -> None:
    parsed = parse_csv(CASE_ROW + ",x,y", header=HEADER + ",titel,fax")
    known = ", ".join(COLUMNS)
    assert rejects(parsed) == [
        (1, "titel", f"is not a column of the import format; use {known}"),
        (1, "fax", f"is not a column of the import format; use {known}"),
    ]


def test_a_column_named_twice_rejects_the_header() -> None:
    assert rejects(parse_csv(CASE_ROW + ",x", header=HEADER + ",Title")) == [
        (1, "Title", "names columns 4 and 13; name each once")
    ]


def test_a_header_without_record_or_source_id_is_rejected() -> None:
    assert rejects(parse_csv("Synthetic", header="title")) == [
        (1, "record", "the header needs this column"),
        (1, "sourceId", "the header needs this column"),
    ]


def test_a_row_with_more_or_fewer_fields_than_the_header_is_rejected() -> None:
    parsed = parse_csv(CASE_ROW + ",extra", "person,P-1", PERSON_ROW)
    assert rejects(parsed) == [
        (2, None, "has 13 fields where the header (line 1) has 12"),
        (3, None, "has 2 fields where the header (line 1) has 12"),
    ]
    assert [r.source_id for r in parsed] == ["C-1", "P-1", "P-1"]
    assert isinstance(parsed[2], PersonRecord)


def test_unnamed_trailing_columns_are_allowed_while_empty() -> None:
    parsed = parse_csv(CASE_ROW + ",,", PERSON_ROW + ",,x", header=HEADER + ",,")
    assert isinstance(parsed[0], CaseRecord)
    assert rejects(parsed) == [(3, None, "field 14 holds a value, but its column has no name in the header")]


def test_blank_lines_and_rows_of_empty_fields_are_skipped() -> None:
    parsed = parse_csv("", ",,,,,,,,,,,", " , ,,,,,,,,,,", CASE_ROW)
    assert [(type(r), r.line) for r in parsed] == [(CaseRecord, 5)]


def test_a_header_alone_or_an_empty_file_yields_nothing() -> None:
    assert parse_csv() == []
    assert parse(b"", Encoding.CSV) == []
    assert parse(b"\xef\xbb\xbf\r\n\r\n", Encoding.CSV) == []


def test_a_field_of_the_other_kind_is_rejected_by_its_column() -> None:
    row = "person,P-1,,A title,,,,,Jordan Example,,,C-1:SUSPECT"
    assert rejects(parse_csv(row)) == [(2, "title", "is not a field of a person record")]


def test_a_bad_identifier_is_named_by_its_column_and_entry() -> None:
    row = "case,C-1,MPD-1,Synthetic case,2025-01-15,,612-555-0147|555-01,jane@example.org,,,,"
    assert rejects(parse_csv(row)) == [(2, "phones[1]", "invalid PHONE identifier: it has too few digits")]


def test_a_person_case_entry_is_named_by_its_position() -> None:
    parsed = parse_csv(
        "person,P-1,,,,,,,Jordan Example,,,C-1:SUSPECT|C-2",
        "person,P-2,,,,,,,Jordan Example,,,C-1:SUSPECT|C-2:perpetrator",
        "person,P-3,,,,,,,Jordan Example,,,C-1:SUSPECT|C-1:VICTIM",
        "person,P-4,,,,,,,Jordan Example,,,CASE:2024:7:witness",
    )
    assert rejects(parsed) == [
        (2, "cases[1]", "write each case as caseSourceId:ROLE, such as C-1:SUSPECT"),
        (
            3,
            "cases[1]",
            "'perpetrator' is no role; use one of SUSPECT, VICTIM, WITNESS, ASSOCIATE, ARRESTEE, DEFENDANT",
        ),
        (4, "cases[1]", "case C-1 is cases[0] already"),
    ]
    assert isinstance(parsed[3], PersonRecord)
    assert parsed[3].cases == (Involvement("CASE:2024:7", CaseRole.WITNESS),)


def test_a_point_of_contact_is_read_from_its_columns() -> None:
    header = (
        "record,sourceId,agencyCaseNumber,title,openedOn,pointOfContact.name,pointOfContact.phone,pointOfContact.email"
    )
    parsed = parse_csv(
        "case,C-1,MPD-1,Synthetic case,2025-01-15,Det. Example,(612) 555-0100,det@example.org",
        "case,C-2,MPD-2,Synthetic case,2025-01-15,,(612) 555-0100,",
        header=header,
    )
    assert isinstance(parsed[0], CaseRecord)
    assert parsed[0].draft.point_of_contact is not None
    assert parsed[0].draft.point_of_contact.email == "det@example.org"
    assert rejects(parsed) == [(3, "pointOfContact.name", "is required")]


def test_lists_are_separated_by_bars_and_empty_entries_skipped() -> None:
    header = "record,sourceId,agencyCaseNumber,title,openedOn,offenses,labels"
    (parsed,) = parse_csv(
        "case,C-1,MPD-1,Synthetic case,2025-01-15,labor trafficking||sex trafficking|,a|b|a", header=header
    )
    assert isinstance(parsed, CaseRecord)
    assert parsed.draft.offenses == ("labor trafficking", "sex trafficking")
    assert parsed.draft.labels == frozenset({"a", "b"})


def test_a_quote_inside_an_unquoted_field_is_text_as_csv_reads_it() -> None:
    parsed = parse_csv("case,C-1,MPD-1,Seen 5'10\" tall,2025-01-15,,,,,,,", PERSON_ROW)
    assert isinstance(parsed[0], CaseRecord)
    assert parsed[0].draft.title == "Seen 5'10\" tall"
    assert isinstance(parsed[1], PersonRecord), "the next row is its own record"


def test_a_quoted_field_never_closed_is_one_reject_from_its_line() -> None:
    parsed = parse_csv(CASE_ROW, 'case,C-2,MPD-2,"Unclosed,2025-01-15,,,,,,,', PERSON_ROW)
    assert isinstance(parsed[0], CaseRecord)
    assert rejects(parsed) == [(3, None, "a quoted field that starts in this record is never closed")]
    assert len(parsed) == 2


def test_a_record_over_the_cap_is_rejected_whole_and_the_next_is_read() -> None:
    long_summary = '"' + "line\n" * 100 + '"'
    data = "\n".join((HEADER, f"case,C-1,MPD-1,Synthetic,2025-01-15,{long_summary},,,,,,", PERSON_ROW, "")).encode()
    parsed = parse(data, Encoding.CSV, max_record_bytes=300)
    assert rejects(parsed) == [(2, None, "the record is longer than 300 bytes, the most one record may take")]
    assert [(type(r), r.line) for r in parsed[1:]] == [(PersonRecord, 103)]


def test_a_single_line_over_the_cap_is_rejected_and_the_next_is_read() -> None:
    data = "\n".join((HEADER, CASE_ROW.replace("Synthetic case", "x" * 1000), PERSON_ROW, "")).encode()
    parsed = parse(data, Encoding.CSV, max_record_bytes=300)
    assert [(r.line, type(r)) for r in parsed] == [(2, Rejected), (3, PersonRecord)]


def test_a_row_saved_as_windows_1252_is_rejected_with_where() -> None:
    data = "\n".join((HEADER, CASE_ROW.replace("Synthetic case", "Café"), PERSON_ROW, "")).encode("cp1252")
    parsed = parse(data, Encoding.CSV)
    reason = "0xE9 at byte 19 is not UTF-8 (the file may be Windows-1252 or Latin-1); save the file as UTF-8"
    assert rejects(parsed) == [(2, None, reason)]
    assert isinstance(parsed[1], PersonRecord)


def test_a_line_of_a_multiline_record_that_is_not_utf8_is_named() -> None:
    row = 'case,C-1,MPD-1,Synthetic case,2025-01-15,"ok\nCaf\xe9",,,,,,'
    parsed = parse(f"{HEADER}\n{row}\n".encode("latin-1"), Encoding.CSV)
    (reason,) = [reason for _, _, reason in rejects(parsed)]
    assert reason.startswith("0xE9 at line 3, byte 4 is not UTF-8")


def test_a_carriage_return_outside_quotes_is_rejected() -> None:
    parsed = parse_csv(CASE_ROW.replace(",Synthetic case,", ",Synthetic\rcase,"), PERSON_ROW)
    assert rejects(parsed) == [
        (2, None, "a carriage return (CR) outside quotes breaks the row; end lines with LF or CR LF")
    ]
    assert isinstance(parsed[1], PersonRecord)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_last_row_without_a_line_break_is_read(newline: str) -> None:
    data = newline.join((HEADER, CASE_ROW)).encode()
    assert [type(r) for r in parse(data, Encoding.CSV)] == [CaseRecord]
