"""Relay-style pagination shared by the connections of every slice."""

from __future__ import annotations

import base64

import strawberry

from agencies.errors import InvalidInput

DEFAULT_PAGE = 20
MAX_PAGE = 100


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


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


def page_size(first: int | None) -> int:
    size = DEFAULT_PAGE if first is None else first
    if not 1 <= size <= MAX_PAGE:
        raise InvalidInput(f"first must be between 1 and {MAX_PAGE}")
    return size
