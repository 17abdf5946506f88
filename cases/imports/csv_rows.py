"""CSV: a header naming the columns, then one row per record, cases and persons in one sheet.

A row fills the columns of its kind and leaves the others empty. Lists are entries separated by `|`; a person's
cases are `caseSourceId:ROLE` entries; identifiers have a column per kind. Each row becomes the record the JSON
Lines form would hold, with its fields renamed back to the columns for rejects. A quoted field may hold line
breaks: the record's line is the one it starts on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cases.identifiers import IdentifierKind
from cases.imports.lines import MAX_RECORD_BYTES, Pieces, decoded, too_long
from cases.imports.objects import CASE_FIELDS, LIST_SEPARATOR, PERSON_FIELDS
from cases.imports.records import RawRecord, Rejected

CONTACT_COLUMNS = {"pointOfContact.name": "name", "pointOfContact.phone": "phone", "pointOfContact.email": "email"}
IDENTIFIER_COLUMNS = {
    "phones": IdentifierKind.PHONE,
    "emails": IdentifierKind.EMAIL,
    "addresses": IdentifierKind.ADDRESS,
    "vehicles": IdentifierKind.VEHICLE,
    "onlineAds": IdentifierKind.ONLINE_AD,
    "onlineAccounts": IdentifierKind.ONLINE_ACCOUNT,
}
LIST_COLUMNS = frozenset({"offenses", "labels", "aliases"})
_SPREAD = {"pointOfContact": tuple(CONTACT_COLUMNS), "identifiers": tuple(IDENTIFIER_COLUMNS)}
COLUMNS = tuple(
    dict.fromkeys(column for name in (*CASE_FIELDS, *PERSON_FIELDS) for column in _SPREAD.get(name, (name,)))
)
"""The JSON Lines fields as columns: the contact and the identifiers spread over several."""
REQUIRED_COLUMNS = ("record", "sourceId")
_BY_FOLDED_NAME = {column.casefold(): column for column in COLUMNS}


@dataclass(frozen=True, slots=True)
class Header:
    line: int
    columns: tuple[str | None, ...]
    """Each position's column; None for a column without a name (a spreadsheet's trailing empty columns)."""


def csv_records(stream: BinaryIO, max_bytes: int = MAX_RECORD_BYTES) -> Iterator[RawRecord | Rejected]:
    """Rows as records. A header that names an unknown column, or a column twice, is rejected and ends the
    file: the rows could not be read as their writer meant them."""
    header: Header | None = None
    for read in _physical_records(stream, max_bytes):
        cells = read if isinstance(read, Rejected) else _cells(*read)
        if isinstance(cells, Rejected):
            yield cells
            continue
        line, values = cells
        if not any(value.strip() for value in values):
            continue
        if header is None:
            header_or_rejects = _header(line, values)
            if isinstance(header_or_rejects, Header):
                header = header_or_rejects
                continue
            yield from header_or_rejects
            return
        yield _raw(header, line, values)


def _header(line: int, names: list[str]) -> Header | list[Rejected]:
    columns: list[str | None] = []
    rejects: list[Rejected] = []
    position: dict[str, int] = {}
    for number, written in enumerate(names, start=1):
        name = written.strip()
        column = _BY_FOLDED_NAME.get(name.casefold()) if name else None
        columns.append(column)
        if name and column is None:
            rejects.append(Rejected(line, name, f"is not a column of the import format; use {', '.join(COLUMNS)}"))
        elif column in position:
            rejects.append(Rejected(line, name, f"names columns {position[column]} and {number}; name each once"))
        elif column is not None:
            position[column] = number
    rejects += [
        Rejected(line, name, "the header needs this column") for name in REQUIRED_COLUMNS if name not in position
    ]
    return rejects or Header(line, tuple(columns))


def _raw(header: Header, line: int, values: list[str]) -> RawRecord | Rejected:
    source = header.columns.index("sourceId")
    source_id = (values[source].strip() or None) if source < len(values) else None
    if len(values) != len(header.columns):
        reason = f"has {len(values)} fields where the header (line {header.line}) has {len(header.columns)}"
        return Rejected(line, None, reason, source_id)
    fields: dict[str, object] = {}
    contact: dict[str, object] = {}
    identifiers: list[dict[str, object]] = []
    cases: list[dict[str, object]] = []
    renames: dict[str, str] = {}
    for number, (column, value) in enumerate(zip(header.columns, values, strict=True), start=1):
        if not value.strip():
            continue
        if column is None:
            reason = f"field {number} holds a value, but its column has no name in the header"
            return Rejected(line, None, reason, source_id)
        if column in CONTACT_COLUMNS:
            contact[CONTACT_COLUMNS[column]] = value
        elif column in LIST_COLUMNS:
            fields[column] = _entries(value)
        elif column in IDENTIFIER_COLUMNS:
            for index, entry in enumerate(_entries(value)):
                at = f"identifiers[{len(identifiers)}]"
                renames |= {f"{at}.kind": f"{column}[{index}]", f"{at}.value": f"{column}[{index}]"}
                identifiers.append({"kind": IDENTIFIER_COLUMNS[column].value, "value": entry})
        elif column == "cases":
            for index, entry in enumerate(_entries(value)):
                case, _, role = entry.rpartition(":")
                if not case.strip() or not role.strip():
                    reason = "write each case as caseSourceId:ROLE, such as C-1:SUSPECT"
                    return Rejected(line, f"cases[{index}]", reason, source_id)
                renames |= {
                    f"cases[{index}].caseSourceId": f"cases[{index}]",
                    f"cases[{index}].role": f"cases[{index}]",
                }
                cases.append({"caseSourceId": case.strip(), "role": role.strip()})
        else:
            fields[column] = value.strip() if column in REQUIRED_COLUMNS else value
    fields |= {"pointOfContact": contact} if contact else {}
    fields |= {"identifiers": identifiers} if identifiers else {}
    fields |= {"cases": cases} if cases else {}
    return RawRecord(line, fields, renames)


def _entries(value: str) -> list[str]:
    return [entry.strip() for entry in value.split(LIST_SEPARATOR) if entry.strip()]


def _cells(line: int, data: bytes) -> tuple[int, list[str]] | Rejected:
    text = decoded(data, line)
    if isinstance(text, Rejected):
        return text
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        return Rejected(line, None, f"cannot be read as CSV: {error}")
    if len(rows) != 1:
        return Rejected(line, None, "a carriage return (CR) outside quotes breaks the row; end lines with LF or CR LF")
    return line, rows[0]


_FIELD_START, _UNQUOTED, _QUOTED, _QUOTE_IN_QUOTED = range(4)
_QUOTE, _COMMA = ord('"'), ord(",")


def _after(piece: bytes, state: int) -> int:
    """The quoting state after `piece`, as Python's csv reader (default dialect) reads it: a field is quoted only
    when it starts with a quote, and `""` inside it is one quote. A record ends at a line break outside quotes."""
    at, end = 0, len(piece)
    while at < end:
        if state == _FIELD_START:
            if piece[at] == _QUOTE:
                state, at = _QUOTED, at + 1
            else:
                state = _UNQUOTED
        elif state == _UNQUOTED:
            comma = piece.find(b",", at)
            if comma < 0:
                return _UNQUOTED
            state, at = _FIELD_START, comma + 1
        elif state == _QUOTED:
            quote = piece.find(b'"', at)
            if quote < 0:
                return _QUOTED
            state, at = _QUOTE_IN_QUOTED, quote + 1
        elif piece[at] == _QUOTE:
            state, at = _QUOTED, at + 1
        elif piece[at] == _COMMA:
            state, at = _FIELD_START, at + 1
        else:
            state = _UNQUOTED  # the quote closed the field's quoting; the rest is read as it stands
    return state


def _physical_records(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes] | Rejected]:
    """Each record's bytes and the line it starts on, however many lines its quoted fields span; a record over
    `max_bytes` is a reject, read to its end but never held whole."""
    pieces = Pieces(stream)
    while piece := pieces.read(max_bytes + 1):
        line, parts, size = pieces.line, [piece], len(piece)
        state = _UNQUOTED if b'"' not in piece else _after(piece, _FIELD_START)
        while piece and size <= max_bytes and (state == _QUOTED or not piece.endswith(b"\n")):
            piece = pieces.read(max_bytes + 1 - size)
            parts.append(piece)
            size += len(piece)
            state = _after(piece, state)
        if size > max_bytes:
            while piece and (state == _QUOTED or not piece.endswith(b"\n")):
                piece = pieces.read(1 << 16)
                state = _after(piece, state)
            yield too_long(line, max_bytes)
        elif state == _QUOTED:
            yield Rejected(line, None, "a quoted field that starts in this record is never closed")
        else:
            yield line, b"".join(parts)
