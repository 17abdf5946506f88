"""Reading an import file: each record in file order, checked by the API's rules, or the reason it is rejected.

Records are yielded as they are read, so a file of any length costs the memory of one record plus, per record,
its sourceId and line (to refuse a sourceId or case number used twice, and a person on a case rejected above).

What this cannot know is left to the importer, which sees the graph: whether a person's case that is not earlier
in the file was imported before, and whether a case number is taken by another of the agency's cases.
"""

from __future__ import annotations

import io
import os
import unicodedata
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from cases.access import Clock, utc_now
from cases.errors import UnreadableImport
from cases.imports.csv_rows import csv_records
from cases.imports.jsonl import json_records
from cases.imports.lines import MAX_RECORD_BYTES
from cases.imports.objects import CASE, BadField, case_record, head_of, person_record
from cases.imports.records import CaseRecord, ParsedLine, PersonRecord, RawRecord, Rejected
from cases.models import case_number_key


class Encoding(StrEnum):
    CSV = "csv"
    JSON_LINES = "jsonl"


EXTENSIONS = {".csv": Encoding.CSV, ".jsonl": Encoding.JSON_LINES, ".ndjson": Encoding.JSON_LINES}


def encoding_of(path: str | os.PathLike[str]) -> Encoding:
    """The encoding a file's extension names: `.csv`, or `.jsonl` (`.ndjson`) for JSON Lines, in any case."""
    suffix = Path(path).suffix.casefold()
    if suffix not in EXTENSIONS:
        raise UnreadableImport(
            f"cannot tell whether {Path(path).name} is CSV or JSON Lines: name it .csv or .jsonl, or say which"
        )
    return EXTENSIONS[suffix]


def read_file(
    path: str | os.PathLike[str],
    encoding: Encoding | None = None,
    *,
    clock: Clock = utc_now,
    max_record_bytes: int = MAX_RECORD_BYTES,
) -> Iterator[ParsedLine]:
    """`read_records` of the file at `path`, in `encoding` or the one its extension names."""
    chosen = encoding or encoding_of(path)
    with Path(path).open("rb") as stream:
        yield from read_records(stream, chosen, clock=clock, max_record_bytes=max_record_bytes)


@dataclass(frozen=True)
class FileScan:
    """What a quick first pass over a file tells before its records are checked."""

    records: int
    """How many records (each a record or a reject) `read_records` will yield: a progress bar's total."""
    case_lines: Mapping[str, int]
    """The line of each case sourceId, its first where it is used twice: lets the importer refuse a person
    whose case comes later in the file, whatever the graph holds and wherever a batch ends."""
    case_numbers: Mapping[str, str] = field(default_factory=dict)
    """Each case number the file gives (as `case_number_key` compares them) to the sourceId of its first case:
    lets the importer refuse to free a number that another row of the file wants, wherever a batch ends."""


def scan_records(stream: BinaryIO, encoding: Encoding, *, max_record_bytes: int = MAX_RECORD_BYTES) -> FileScan:
    """Reads each record's kind and sourceId only (no value is checked): far cheaper than `read_records`."""
    raw_records = (
        csv_records(stream, max_record_bytes) if encoding is Encoding.CSV else json_records(stream, max_record_bytes)
    )
    count = 0
    case_lines: dict[str, int] = {}
    case_numbers: dict[str, str] = {}
    for raw in raw_records:
        count += 1
        if isinstance(raw, Rejected):
            continue
        try:
            head = head_of(raw.fields)
        except BadField:
            continue
        if head.kind == CASE:
            case_lines.setdefault(head.source_id, raw.line)
            number = raw.fields.get("agencyCaseNumber")
            if isinstance(number, str) and number.strip():
                case_numbers.setdefault(case_number_key(unicodedata.normalize("NFC", number)), head.source_id)
    return FileScan(count, case_lines, case_numbers)


def read_records(
    stream: BinaryIO, encoding: Encoding, *, clock: Clock = utc_now, max_record_bytes: int = MAX_RECORD_BYTES
) -> Iterator[ParsedLine]:
    """Every record of `stream` as a `CaseRecord`, a `PersonRecord` or a `Rejected`, in file order. A bad row is
    always a `Rejected`, never an exception. `clock` is read once: the day the whole file is checked against."""
    now = clock()
    raw_records = (
        csv_records(stream, max_record_bytes) if encoding is Encoding.CSV else json_records(stream, max_record_bytes)
    )
    checks = FileChecks()
    for raw in raw_records:
        yield raw if isinstance(raw, Rejected) else checks.record(raw, now)


class FileChecks:
    """What one record cannot tell alone. The first record with a sourceId (of its kind) holds it, even when it is
    rejected; the second is rejected naming the first's line."""

    def __init__(self) -> None:
        self._first_line: dict[tuple[str, str], int] = {}
        self._rejected_cases: dict[str, int] = {}
        self._case_numbers: dict[str, int] = {}

    def record(self, raw: RawRecord, now: datetime) -> ParsedLine:
        try:
            head = head_of(raw.fields)
        except BadField as bad:
            return raw.named(Rejected(raw.line, bad.field, bad.reason))
        first = self._first_line.setdefault((head.kind, head.source_id), raw.line)
        if first != raw.line:
            return Rejected(
                raw.line, "sourceId", f"{head.kind} {head.source_id} is on line {first} already", head.source_id
            )
        try:
            if head.kind == CASE:
                return self._case(case_record(raw.line, head, raw.fields, now))
            return self._person(person_record(raw.line, head, raw.fields, now))
        except BadField as bad:
            if head.kind == CASE:
                self._rejected_cases[head.source_id] = raw.line
            return raw.named(Rejected(raw.line, bad.field, bad.reason, head.source_id))

    def _case(self, record: CaseRecord) -> CaseRecord:
        number = record.draft.agency_case_number
        first = self._case_numbers.setdefault(case_number_key(number), record.line)
        if first != record.line:
            raise BadField("agencyCaseNumber", f"case number {number} is the case on line {first}'s already")
        return record

    def _person(self, record: PersonRecord) -> PersonRecord:
        for index, involvement in enumerate(record.cases):
            if (line := self._rejected_cases.get(involvement.case_source_id)) is not None:
                raise BadField(
                    f"cases[{index}].caseSourceId",
                    f"case {involvement.case_source_id} on line {line} was rejected, so no one can be put on it",
                )
        return record


@dataclass(frozen=True)
class ImportSource:
    """A file to import, which can be read more than once: scanned first (`scan_records`), then read."""

    open: Callable[[], BinaryIO]
    encoding: Encoding
    clock: Clock = utc_now
    max_record_bytes: int = MAX_RECORD_BYTES

    @classmethod
    def of_file(
        cls, path: str | os.PathLike[str], encoding: Encoding | None = None, *, clock: Clock = utc_now
    ) -> ImportSource:
        """The file at `path`, in `encoding` or the one its extension names (UnreadableImport when it names none)."""
        chosen = encoding or encoding_of(path)
        return cls(lambda: Path(path).open("rb"), chosen, clock)

    @classmethod
    def of_bytes(cls, data: bytes, encoding: Encoding, *, clock: Clock = utc_now) -> ImportSource:
        return cls(lambda: io.BytesIO(data), encoding, clock)

    def scan(self) -> FileScan:
        with self.open() as stream:
            return scan_records(stream, self.encoding, max_record_bytes=self.max_record_bytes)

    def records(self) -> Generator[ParsedLine, None, None]:
        with self.open() as stream:
            yield from read_records(stream, self.encoding, clock=self.clock, max_record_bytes=self.max_record_bytes)
