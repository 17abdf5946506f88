"""Relay-style pagination shared by the connections of every slice."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Generic, TypeVar

import strawberry
from cryptography.fernet import Fernet, InvalidToken
from strawberry import Info
from strawberry.types.nodes import SelectedField, Selection

from agencies.errors import InvalidInput

T = TypeVar("T")
K = TypeVar("K")
DEFAULT_PAGE = 20
MAX_PAGE = 100


Cursor = Callable[[str], str]
"""Writes the cursor of a position in a list; called only for the cursors a query selects (sealing costs)."""


@strawberry.type
class PageInfo:
    has_next_page: bool
    end: strawberry.Private[str | None]
    cursor_of: strawberry.Private[Cursor]

    @strawberry.field
    def end_cursor(self) -> str | None:
        return None if self.end is None else self.cursor_of(self.end)


@strawberry.type
class Edge(Generic[T]):
    node: T
    position: strawberry.Private[str]
    cursor_of: strawberry.Private[Cursor]

    @strawberry.field
    def cursor(self) -> str:
        return self.cursor_of(self.position)


@strawberry.type
class Connection(Generic[T]):
    """A page of a list, Relay style; strawberry names `Connection[Agency]` `AgencyConnection`."""

    edges: list[Edge[T]]
    page_info: PageInfo
    total: strawberry.Private[int | None]

    @strawberry.field
    def total_count(self) -> int:
        if self.total is None:
            raise RuntimeError("totalCount was selected but not counted")  # a resolver forgot `selects_total`
        return self.total


def connection(nodes: Iterable[tuple[str, T]], *, cursor: Cursor, total: int | None, has_next: bool) -> Connection[T]:
    """A page from (position, node) pairs in list order; `cursor` turns a position into its cursor."""
    edges = [Edge(node=node, position=position, cursor_of=cursor) for position, node in nodes]
    end = edges[-1].position if edges else None
    page_info = PageInfo(has_next_page=has_next, end=end, cursor_of=cursor)
    return Connection(edges=edges, page_info=page_info, total=total)


def selects_total(info: Info) -> bool:
    """Whether the query asks this connection field for `totalCount` (directly or through fragments)."""

    def asks(selections: Iterable[Selection]) -> bool:
        return any(
            selection.name == "totalCount" if isinstance(selection, SelectedField) else asks(selection.selections)
            for selection in selections
        )

    return any(asks(field.selections) for field in info.selected_fields)


def encode(kind: str, key: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode()


def decode(kind: str, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        decoded = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        decoded = ""
    if not decoded.startswith(f"{kind}:"):
        raise InvalidInput(f"{cursor!r} is not a cursor of this list")
    return decoded.removeprefix(f"{kind}:")


def decode_keyed(kind: str, cursor: str | None, parse: Callable[[str], K]) -> tuple[K, str] | None:
    """The position of a cursor of `kind` written as `<key>|<id>` (a time or a day, then an id), its key read with
    `parse`; a cursor that is not of this list, or whose key `parse` refuses (ValueError), is refused."""
    position = decode(kind, cursor)
    if position is None:
        return None
    key, _, item = position.partition("|")
    try:
        parsed = parse(key)
    except ValueError:
        parsed = None
    if parsed is None or not item:
        raise InvalidInput(f"{cursor!r} is not a cursor of this list")
    return parsed, item


def aware_moment(text: str) -> datetime:
    """A time with its zone, as a cursor key; a time without one is refused."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a cursor's time has a zone")
    return moment


def page_size(first: int | None) -> int:
    size = DEFAULT_PAGE if first is None else first
    if not 1 <= size <= MAX_PAGE:
        raise InvalidInput(f"first must be between 1 and {MAX_PAGE}")
    return size


def seal(sealer: Fernet, kind: str, key: str) -> str:
    """A cursor that says nothing of its position: for lists whose positions are keys of cases the reader may
    not see (a pointer's). Sealed afresh each time, so two cursors of one case cannot be told to be the same."""
    return sealer.encrypt(f"{kind}:{key}".encode()).decode()


def unseal(sealer: Fernet, kind: str, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        opened = sealer.decrypt(cursor.encode()).decode()
    except (InvalidToken, ValueError):
        opened = ""
    if not opened.startswith(f"{kind}:"):
        raise InvalidInput(f"{cursor!r} is not a cursor of this list")
    return opened.removeprefix(f"{kind}:")
