"""Reading import files from text in tests, on a fixed day."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from cases.imports.reader import Encoding, read_records
from cases.imports.records import ParsedLine, Rejected

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)

CASE: dict[str, object] = {
    "record": "case",
    "sourceId": "C-1",
    "agencyCaseNumber": "MPD-2025-0001",
    "title": "Synthetic case",
    "openedOn": "2025-01-15",
}
PERSON: dict[str, object] = {
    "record": "person",
    "sourceId": "P-1",
    "name": "Jordan Example",
    "dateOfBirth": "1990-04-02",
    "cases": [{"caseSourceId": "C-1", "role": "SUSPECT"}],
}


def parse(data: bytes, encoding: Encoding, max_record_bytes: int = 1 << 20) -> list[ParsedLine]:
    return list(read_records(io.BytesIO(data), encoding, clock=lambda: NOW, max_record_bytes=max_record_bytes))


def jsonl(*records: dict[str, object] | str) -> bytes:
    """Each record a line: a dict as JSON, a string as it stands."""
    return "".join((json.dumps(r, ensure_ascii=False) if isinstance(r, dict) else r) + "\n" for r in records).encode()


def parse_jsonl(*records: dict[str, object] | str) -> list[ParsedLine]:
    return parse(jsonl(*records), Encoding.JSON_LINES)


def rejects(parsed: list[ParsedLine]) -> list[tuple[int, str | None, str]]:
    return [(r.line, r.field, r.reason) for r in parsed if isinstance(r, Rejected)]


def only_reject(parsed: list[ParsedLine]) -> Rejected:
    found = [r for r in parsed if isinstance(r, Rejected)]
    assert len(found) == 1, parsed
    return found[0]
