"""Reading an import file as bytes, a line at a time and never more than a cap: a file of any size, or one line
of gigabytes, costs the memory of one record. Lines end in LF or CR LF; a UTF-8 byte-order mark is dropped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from cases.imports.records import Rejected

MAX_RECORD_BYTES = 1 << 20
"""The most one record may take in the file (1 MiB), its line breaks included."""
BYTE_ORDER_MARK = b"\xef\xbb\xbf"
_SKIP_PIECE = 1 << 16


class Pieces:
    """The stream's lines as pieces of at most a given size; `line` is the number of the line the last piece
    belongs to."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._ended_lines = 0
        self._first = True
        self.line = 0

    def read(self, limit: int) -> bytes:
        """The rest of the current line, or its next `limit` bytes; b"" at the end of the file."""
        piece = self._stream.readline(limit)
        if self._first:
            self._first = False
            piece = piece.removeprefix(BYTE_ORDER_MARK)
        self.line = self._ended_lines + 1
        if piece.endswith(b"\n"):
            self._ended_lines += 1
        return piece

    def skip_line(self) -> bytes:
        """Reads to the end of the current line; returns the last piece read."""
        piece = b""
        while (piece := self.read(_SKIP_PIECE)) and not piece.endswith(b"\n"):
            pass
        return piece


def lines(stream: BinaryIO, max_bytes: int = MAX_RECORD_BYTES) -> Iterator[tuple[int, bytes] | Rejected]:
    """Each line with its number; a line longer than `max_bytes` is a reject and is never held whole."""
    pieces = Pieces(stream)
    while piece := pieces.read(max_bytes + 1):
        if len(piece) > max_bytes and not piece.endswith(b"\n"):
            line = pieces.line
            pieces.skip_line()
            yield too_long(line, max_bytes)
        else:
            yield pieces.line, piece


def too_long(line: int, max_bytes: int) -> Rejected:
    return Rejected(line, None, f"the record is longer than {max_bytes:,} bytes, the most one record may take")


def decoded(data: bytes, line: int) -> str | Rejected:
    """`data`, starting on `line`, as text; anything not UTF-8 is a reject naming the line and byte where it is."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        at_line = line + data.count(b"\n", 0, error.start)
        column = error.start - data.rfind(b"\n", 0, error.start)
        where = f"byte {column}" if at_line == line else f"line {at_line}, byte {column}"
        return Rejected(
            line,
            None,
            f"0x{data[error.start]:02X} at {where} is not UTF-8 (the file may be Windows-1252 or Latin-1); "
            "save the file as UTF-8",
        )
