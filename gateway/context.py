"""What every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cryptography.fernet import Fernet
from starlette.requests import Request

from agencies.errors import Unauthenticated
from agencies.ports import RevocationNotice
from agencies.principals import Principal
from cases.access import stated_purpose as checked_purpose
from gateway.repositories import Repositories
from gateway.settings import Settings

PURPOSE_HEADER = "X-Sett-Purpose"


def stated_purpose(request: Request) -> str | None:
    """The X-Sett-Purpose header as the client wrote it, checked as text, or None when blank; `InvalidCase` when
    it is not one line of text that reads as stored (the GraphQL endpoint refuses such a request before it runs
    anything, so that no write commits under a purpose its answer then refuses).

    HTTP carries header bytes, which Starlette hands over decoded as Latin-1; clients send UTF-8 (`opération
    conjointe`), so the bytes are decoded again as UTF-8, and kept as they were when they are not UTF-8.
    """
    raw = request.headers.get(PURPOSE_HEADER)
    if raw is None:
        return None
    try:
        text = raw.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        text = raw
    return checked_purpose(text)


@dataclass
class Context:
    request: Request
    settings: Settings
    repositories: Repositories
    revocations: RevocationNotice
    principal: Principal | None
    purpose: str | None
    """The stated purpose of a cross-agency read (the X-Sett-Purpose header)."""
    sealer: Fernet | None = None
    """Seals the cursors of linked-case answers (`gateway.pagination.seal`)."""
    loaders: dict[str, Any] = field(default_factory=dict)
    """This request's DataLoaders, by name (`gateway.cases.loaders`)."""

    def require_principal(self) -> Principal:
        if self.principal is None:
            raise Unauthenticated("authentication required: send `Authorization: Bearer <token>`")
        return self.principal
