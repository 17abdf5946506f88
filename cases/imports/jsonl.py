"""JSON Lines: one JSON object per line; blank lines are skipped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from cases.imports.lines import MAX_RECORD_BYTES, decoded, lines
from cases.imports.records import RawRecord, Rejected

_JSON_TYPES = {list: "a list", str: "text", int: "a number", float: "a number", bool: "true or false"}


def json_records(stream: BinaryIO, max_bytes: int = MAX_RECORD_BYTES) -> Iterator[RawRecord | Rejected]:
    for read in lines(stream, max_bytes):
        if isinstance(read, Rejected):
            yield read
            continue
        line, data = read
        if not data.strip():
            continue
        text = decoded(data, line)
        if isinstance(text, Rejected):
            yield text
        else:
            yield _record(line, text)


class _RepeatedKeyError(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """An object that names a field twice is refused: which of the two values was meant cannot be known."""
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise _RepeatedKeyError(key)
        seen.add(key)
    return dict(pairs)


def _record(line: int, text: str) -> RawRecord | Rejected:
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys)
    except _RepeatedKeyError as repeated:
        return Rejected(line, str(repeated), "is given twice in one object")
    except json.JSONDecodeError as error:
        return Rejected(line, None, f"is not JSON: {error.msg} at character {error.colno}")
    except (ValueError, RecursionError):
        return Rejected(line, None, "is not JSON that can be read: a number too long or nesting too deep")
    if not isinstance(value, dict):
        return Rejected(line, None, f"holds {_JSON_TYPES.get(type(value), 'null')}, not a JSON object")
    return RawRecord(line, value)
