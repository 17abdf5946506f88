"""Which encoding a file is read in: its extension, or what the caller says."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases.errors import UnreadableImport
from cases.imports.reader import Encoding, encoding_of, read_file
from cases.imports.records import CaseRecord
from tests.support.imports import CASE, NOW, jsonl


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("cases.csv", Encoding.CSV),
        ("EXPORT.CSV", Encoding.CSV),
        ("a.jsonl", Encoding.JSON_LINES),
        ("a.ndjson", Encoding.JSON_LINES),
    ],
)
def test_the_extension_names_the_encoding(name: str, encoding: Encoding) -> None:
    assert encoding_of(name) is encoding


def test_a_file_whose_extension_names_no_encoding_is_refused_before_reading() -> None:
    with pytest.raises(UnreadableImport, match=r"cannot tell whether export.txt is CSV or JSON Lines"):
        encoding_of("/exports/export.txt")


def test_an_encoding_given_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(jsonl(CASE))
    assert [type(r) for r in read_file(path, Encoding.JSON_LINES, clock=lambda: NOW)] == [CaseRecord]
