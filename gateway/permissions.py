"""Coarse checks declared on fields: authenticated, and holding a scope. Per-record rules live in the policy."""

from __future__ import annotations

from typing import Any

from strawberry import Info
from strawberry.permission import BasePermission

from agencies.principals import Scope


class IsAuthenticated(BasePermission):
    message = "authentication required: send `Authorization: Bearer <token>`"
    error_extensions = {"code": "UNAUTHENTICATED"}  # noqa: RUF012 - strawberry reads it from the class

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.principal is not None


def scope_permission(scope: Scope) -> list[type[BasePermission]]:
    """The permission classes of a field that needs `scope`: first authenticated (UNAUTHENTICATED), then
    holding the scope (FORBIDDEN). Each class answers with its own fixed message; none keeps state."""

    class HasScope(BasePermission):
        message = f"this needs the {scope.name} scope"
        error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012

        def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
            principal = info.context.principal
            return principal is not None and bool(principal.has(scope))

    HasScope.__name__ = f"Has_{scope.name}"
    return [IsAuthenticated, HasScope]
