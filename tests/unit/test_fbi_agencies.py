from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agencies.fbi_agencies import COLUMNS, decode_csv, level_for, parse_fbi_agencies
from agencies.models import AgencyLevel, AgencySource

HEADER = ",".join(COLUMNS)
GOOD = "AL0010000,JEFFERSON,33.5,-86.8,AL,Alabama,Birmingham  Police Department ,City,TRUE,2019-01-01"


def parse(*rows: str):  # type: ignore[no-untyped-def]
    return parse_fbi_agencies([HEADER, *rows])


@pytest.mark.parametrize(
    ("agency_type", "level"),
    [
        ("Tribal", AgencyLevel.TRIBAL),
        ("State Police", AgencyLevel.STATE),
        ("Other State Agency", AgencyLevel.STATE),
        ("City", AgencyLevel.LOCAL),
        ("County", AgencyLevel.LOCAL),
        ("University or College", AgencyLevel.LOCAL),
        ("Other", AgencyLevel.LOCAL),
        ("Unknown", AgencyLevel.LOCAL),
        (None, AgencyLevel.LOCAL),
    ],
)
def test_level_follows_agency_type(agency_type: str | None, level: AgencyLevel) -> None:
    assert level_for(agency_type) is level


def test_a_good_row_becomes_an_agency_with_tidy_name() -> None:
    parsed = parse(GOOD)
    assert parsed.problems == ()
    (agency,) = parsed.agencies
    assert agency.id == "AL0010000"
    assert agency.name == "Birmingham Police Department"
    assert agency.level is AgencyLevel.LOCAL
    assert agency.source is AgencySource.FBI_CDE
    assert agency.state == "AL"
    assert agency.coordinates is not None
    assert (agency.coordinates.latitude, agency.coordinates.longitude) == (33.5, -86.8)
    assert agency.nibrs is True
    assert agency.nibrs_start_date == date(2019, 1, 1)


def test_na_values_become_missing() -> None:
    parsed = parse("NB0010000,NA,NA,NA,NE,Nebraska,Decatur,Unknown,FALSE,NA")
    (agency,) = parsed.agencies
    assert agency.id == "NB0010000"
    assert agency.county is None
    assert agency.coordinates is None
    assert agency.nibrs is False
    assert agency.nibrs_start_date is None
    assert agency.agency_type == "Unknown"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("AL001,X,NA,NA,AL,Alabama,Name,City,TRUE,NA", "ORI 'AL001' is not 9"),
        ("AL0010001,X,NA,NA,AL,Alabama,,City,TRUE,NA", "agency name is empty"),
        ("AL0010001,X,NA,NA,ZZ,Nowhere,Name,City,TRUE,NA", "state 'ZZ'"),
        ("AL0010001,X,NA,NA,AL,Alabama,Name,City,TRUE", "expected 10 fields, found 9"),
        ("AL0010001,X,abc,1,AL,Alabama,Name,City,TRUE,NA", "are not numbers"),
        ("AL0010001,X,95,1,AL,Alabama,Name,City,TRUE,NA", "outside the globe"),
        ("AL0010001,X,33,NA,AL,Alabama,Name,City,TRUE,NA", "both be given"),
        ("AL0010001,X,NA,NA,AL,Alabama,Name,City,YES,NA", "is_nibrs 'YES'"),
        ("AL0010001,X,NA,NA,AL,Alabama,Name,City,TRUE,2019-13-01", "nibrs_start_date"),
    ],
)
def test_each_unusable_row_is_reported_with_line_and_reason(row: str, reason: str) -> None:
    parsed = parse(GOOD, row)
    assert [a.id for a in parsed.agencies] == ["AL0010000"]
    (problem,) = parsed.problems
    assert problem.line == 3
    assert reason in problem.reason


def test_a_repeated_ori_is_reported_against_its_first_line() -> None:
    parsed = parse(GOOD, GOOD.replace("Birmingham", "Other"))
    assert len(parsed.agencies) == 1
    assert parsed.problems[0].line == 3
    assert "repeats line 2" in parsed.problems[0].reason


def test_a_wrong_header_is_refused() -> None:
    with pytest.raises(ValueError, match="line 1"):
        parse_fbi_agencies(["ori,name", GOOD])


def test_columns_are_found_by_name_in_any_order_and_case() -> None:
    shuffled = list(reversed(COLUMNS))
    values = dict(zip(COLUMNS, GOOD.split(","), strict=True))
    row = ",".join(values[column] for column in shuffled)
    header = ",".join(column.upper() for column in shuffled) + ",extra_column"
    parsed = parse_fbi_agencies([header, row + ",ignored"])
    assert parsed.agencies == parse(GOOD).agencies
    assert parsed.problems == ()


def test_a_header_without_a_column_names_what_is_missing() -> None:
    with pytest.raises(ValueError, match="line 1: the header lacks state_abbr, agency_type"):
        parse_fbi_agencies([HEADER.replace("state_abbr,", "").replace(",agency_type", ""), GOOD])


def test_a_utf8_file_with_a_byte_order_mark_reads_like_one_without() -> None:
    text = f"{HEADER}\n{GOOD}\n"
    with_bom = decode_csv(b"\xef\xbb\xbf" + text.encode())
    assert with_bom == text
    assert parse_fbi_agencies(io.StringIO(with_bom, newline="")).agencies == parse(GOOD).agencies


def test_a_latin1_file_is_refused_at_the_line_where_it_stops_being_utf8() -> None:
    text = f"{HEADER}\n{GOOD}\n{GOOD.replace('AL0010000', 'AL0010001').replace('Birmingham', 'Peñasco')}\n"
    with pytest.raises(ValueError, match=r"line 3: byte 0xF1 is not UTF-8 .* save it as UTF-8"):
        decode_csv(text.encode("latin-1"))


def test_line_numbers_count_physical_lines_of_quoted_fields() -> None:
    text = f'{HEADER}\nAL0010002,X,NA,NA,AL,Alabama,"Two\nLines",City,TRUE,NA\nbad,"x\ny"\nworse\n'
    parsed = parse_fbi_agencies(io.StringIO(text, newline=""))
    assert parsed.agencies[0].name == "Two Lines"
    assert [problem.line for problem in parsed.problems] == [4, 6]


ori = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=9, max_size=9)
name = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=30).filter(lambda s: s.strip())
agency_type = st.sampled_from(["City", "County", "NA", "State Police", "Other State Agency", "Tribal", "Other"])


@given(rows=st.lists(st.tuples(ori, name, agency_type), max_size=30, unique_by=lambda row: row[0]))
def test_every_row_is_either_an_agency_or_a_problem(rows: list[tuple[str, str, str]]) -> None:
    lines = [f"{o},NA,NA,NA,WA,Washington,{n},{t},FALSE,NA" for o, n, t in rows]
    parsed = parse(*lines)
    assert parsed.rows == len(rows)
    assert parsed.problems == ()
    assert [a.id for a in parsed.agencies] == [o for o, _, _ in rows]
    assert [a.name for a in parsed.agencies] == [" ".join(n.split()) for _, n, _ in rows]
    assert [a.level for a in parsed.agencies] == [level_for(None if t == "NA" else t) for _, _, t in rows]
