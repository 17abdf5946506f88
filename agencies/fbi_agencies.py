"""Reading the FBI Crime Data Explorer agency list (`fbi_cde_agencies.csv`) into agencies.

Every row becomes either an `Agency` or a `RowProblem` naming its line and the reason: nothing is
dropped silently. The file writes missing values as the literal `NA`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from agencies.models import ORI_PATTERN, Agency, AgencyLevel, AgencySource, Coordinates

COLUMNS = tuple(
    "ori county latitude longitude state_abbr state agency_name agency_type is_nibrs nibrs_start_date".split()
)
MISSING = "NA"
STATE_TYPES = frozenset({"State Police", "Other State Agency"})
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE "
    "NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI".split()
)


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass(frozen=True)
class ParsedAgencies:
    agencies: tuple[Agency, ...]
    problems: tuple[RowProblem, ...]

    @property
    def rows(self) -> int:
        return len(self.agencies) + len(self.problems)


class _UnusableRowError(ValueError):
    pass


def level_for(agency_type: str | None) -> AgencyLevel:
    """Tribal → TRIBAL; State Police and other state agencies → STATE; everything else → LOCAL."""
    if agency_type == "Tribal":
        return AgencyLevel.TRIBAL
    if agency_type in STATE_TYPES:
        return AgencyLevel.STATE
    return AgencyLevel.LOCAL


def decode_csv(data: bytes) -> str:
    """The file's text: UTF-8, with or without a byte-order mark. Anything else is refused at the line
    where it stops being UTF-8, since guessing an encoding would store misspelt names."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise ValueError(
            f"line {line}: byte 0x{byte:02X} is not UTF-8 (the file may be Latin-1 or Windows-1252); "
            "save it as UTF-8 and load it again"
        ) from None


def parse_fbi_agencies(lines: Iterable[str]) -> ParsedAgencies:
    """Columns are found by name, in any order and case; extra columns are ignored."""
    reader = csv.reader(lines)
    header = next(reader, None)
    positions = _positions(header)
    agencies: list[Agency] = []
    problems: list[RowProblem] = []
    first_line_of: dict[str, int] = {}
    next_line = reader.line_num + 1
    for fields in reader:
        line, next_line = next_line, reader.line_num + 1  # a quoted field may span lines: report its first
        try:
            agency = _agency_from(fields, positions, len(header or ()))
        except _UnusableRowError as problem:
            problems.append(RowProblem(line, str(problem)))
        else:
            if agency.id in first_line_of:
                problems.append(RowProblem(line, f"ORI {agency.id} repeats line {first_line_of[agency.id]}"))
            else:
                first_line_of[agency.id] = line
                agencies.append(agency)
    return ParsedAgencies(tuple(agencies), tuple(problems))


def _positions(header: list[str] | None) -> dict[str, int]:
    if header is None:
        raise ValueError(f"line 1: the file is empty; expected a header with {', '.join(COLUMNS)}")
    named = {column.strip().lstrip("\ufeff").casefold(): index for index, column in enumerate(header)}
    missing = [column for column in COLUMNS if column not in named]
    if missing:
        raise ValueError(f"line 1: the header lacks {', '.join(missing)} (it has {', '.join(header)})")
    return {column: named[column] for column in COLUMNS}


def _agency_from(fields: list[str], positions: dict[str, int], width: int) -> Agency:
    if len(fields) != width:
        raise _UnusableRowError(f"expected {width} fields, found {len(fields)}")
    row = {column: fields[index].strip() for column, index in positions.items()}
    ori = row["ori"]
    if not ORI_PATTERN.fullmatch(ori):
        raise _UnusableRowError(f"ORI {ori!r} is not 9 upper-case letters or digits")
    name = " ".join(row["agency_name"].split())
    if not name or name == MISSING:
        raise _UnusableRowError("agency name is empty")
    state = row["state_abbr"]
    if state not in US_STATES:
        raise _UnusableRowError(f"state {state!r} is not a U.S. state or territory code")
    agency_type = _optional(row["agency_type"])
    return Agency(
        id=ori,
        name=name,
        level=level_for(agency_type),
        source=AgencySource.FBI_CDE,
        state=state,
        county=_optional(" ".join(row["county"].split())),
        agency_type=agency_type,
        coordinates=_coordinates(row["latitude"], row["longitude"]),
        nibrs=_flag(row["is_nibrs"]),
        nibrs_start_date=_date(row["nibrs_start_date"]),
    )


def _optional(value: str) -> str | None:
    return None if value in ("", MISSING) else value


def _coordinates(latitude: str, longitude: str) -> Coordinates | None:
    if _optional(latitude) is None and _optional(longitude) is None:
        return None
    if _optional(latitude) is None or _optional(longitude) is None:
        raise _UnusableRowError("latitude and longitude must both be given or both be NA")
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        raise _UnusableRowError(f"coordinates {latitude!r}, {longitude!r} are not numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _UnusableRowError(f"coordinates {lat}, {lon} are outside the globe")
    return Coordinates(latitude=lat, longitude=lon)


def _flag(value: str) -> bool | None:
    if _optional(value) is None:
        return None
    if value not in ("TRUE", "FALSE"):
        raise _UnusableRowError(f"is_nibrs {value!r} is not TRUE, FALSE or NA")
    return value == "TRUE"


def _date(value: str) -> date | None:
    if _optional(value) is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _UnusableRowError(f"nibrs_start_date {value!r} is not a YYYY-MM-DD date") from None
