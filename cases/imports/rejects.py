"""The reject file: every record of an import that was not used, with its line, sourceId, field and reason.

CSV (for a spreadsheet) or JSON Lines, by the file's extension. In CSV, a cell that a spreadsheet would take for
a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is written after a `'`, so that opening
the report never runs what an import file held.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from cases.imports.records import Rejected

COLUMNS = ("line", "sourceId", "field", "reason")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class RejectFormat(StrEnum):
    CSV = "csv"
    JSON_LINES = "jsonl"


def reject_format_of(path: str | os.PathLike[str]) -> RejectFormat:
    """JSON Lines for a path ending in `.jsonl` or `.ndjson`, CSV otherwise."""
    suffix = Path(path).suffix.casefold()
    return RejectFormat.JSON_LINES if suffix in (".jsonl", ".ndjson") else RejectFormat.CSV


def reject_fields(rejected: Rejected) -> dict[str, object]:
    """A reject as the reject file and the API's answer name its parts."""
    return {"line": rejected.line, "sourceId": rejected.source_id, "field": rejected.field, "reason": rejected.reason}


class RejectWriter:
    """Writes rejects to `stream` as they come (an import's `on_rejects`), flushed after each call."""

    def __init__(self, stream: TextIO, form: RejectFormat) -> None:
        self._stream = stream
        self._form = form
        self._csv = csv.writer(stream, lineterminator="\n") if form is RejectFormat.CSV else None
        if self._csv is not None:
            self._csv.writerow(COLUMNS)
        self.count = 0

    def __call__(self, rejected: Sequence[Rejected]) -> None:
        for reject in rejected:
            fields = reject_fields(reject)
            if self._csv is not None:
                self._csv.writerow([_cell(fields[column]) for column in COLUMNS])
            else:
                self._stream.write(json.dumps(fields, ensure_ascii=False) + "\n")
        self.count += len(rejected)
        self._stream.flush()


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
