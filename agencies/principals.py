"""Who is asking: principals, their roles and the scopes that narrow what a credential may do."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from agencies.models import ORI_PATTERN


class Role(StrEnum):
    ANALYST = "ANALYST"
    SUPERVISOR = "SUPERVISOR"
    COORDINATOR = "COORDINATOR"
    NATIONAL_COORDINATOR = "NATIONAL_COORDINATOR"
    LIAISON = "LIAISON"
    ADMIN = "ADMIN"


class Scope(StrEnum):
    CASES_READ = "cases:read"
    CASES_WRITE = "cases:write"
    STRATEGY_REPORT = "strategy:report"
    SHARE_MANAGE = "share:manage"
    AUDIT_READ = "audit:read"
    TOKENS_MANAGE = "tokens:manage"
    API_EXPLORE = "api:explore"
    """Run any document in production, introspection included, when SETT_ARBITRARY_DOCUMENTS_SCOPE names it
    (there, everyone else runs only the trusted documents). ADMIN's alone: the deployment's operators."""

    @classmethod
    def named(cls, text: str) -> Scope:
        """A scope as a person may write it: `CASES_READ` (its name in GraphQL and in messages) or
        `cases:read` (its value in a JWT's `scope` claim), in either case."""
        wanted = text.strip()
        for scope in cls:
            if wanted.upper() == scope.name or wanted.lower() == scope.value:
                return scope
        raise ValueError(f"no scope {text!r}; the scopes are {', '.join(scope.name for scope in cls)}")


ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.ANALYST: frozenset({Scope.CASES_READ, Scope.CASES_WRITE}),
    Role.SUPERVISOR: frozenset(
        {Scope.CASES_READ, Scope.CASES_WRITE, Scope.SHARE_MANAGE, Scope.AUDIT_READ, Scope.TOKENS_MANAGE}
    ),
    Role.COORDINATOR: frozenset({Scope.STRATEGY_REPORT}),
    Role.NATIONAL_COORDINATOR: frozenset({Scope.STRATEGY_REPORT}),
    Role.LIAISON: frozenset({Scope.SHARE_MANAGE, Scope.AUDIT_READ, Scope.TOKENS_MANAGE}),
    Role.ADMIN: frozenset({Scope.TOKENS_MANAGE, Scope.AUDIT_READ, Scope.API_EXPLORE}),
}


def scopes_for(roles: frozenset[Role], requested: frozenset[Scope] | None = None) -> frozenset[Scope]:
    """What the roles allow, narrowed to `requested` when a credential names scopes of its own."""
    allowed = frozenset().union(*(ROLE_SCOPES[role] for role in roles)) if roles else frozenset()
    return allowed if requested is None else allowed & requested


class AuthMethod(StrEnum):
    JWT = "JWT"
    SETT_TOKEN = "SETT_TOKEN"


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)

    subject: str
    agency_id: str
    roles: frozenset[Role]
    scopes: frozenset[Scope]
    method: AuthMethod
    sworn: bool = False
    part23_certified: bool = False
    token_id: str | None = None
    expires_at: datetime | None = None

    def has(self, scope: Scope) -> bool:
        return scope in self.scopes

    def is_(self, role: Role) -> bool:
        return role in self.roles


JWT_ROLES = frozenset(role.value for role in Role) - {Role.ADMIN.value}


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """Maps verified JWT claims (GFIPM-style) to a principal: `sub`, `ori`, `roles`, `sworn`,
    `part23_certified`, an optional space-separated `scope` that narrows, and `exp`."""
    subject, agency = claims.get("sub"), claims.get("ori")
    if not isinstance(subject, str) or not subject:
        raise ValueError("the JWT has no subject (sub)")
    if not isinstance(agency, str) or not ORI_PATTERN.fullmatch(agency):
        raise ValueError("the JWT names no agency ORI (ori)")
    raw_roles = claims.get("roles", [])
    # ADMIN is never taken from an identity provider: it belongs to the operators of this deployment.
    roles = (
        frozenset(Role(role) for role in raw_roles if role in JWT_ROLES) if isinstance(raw_roles, list) else frozenset()
    )
    if not roles:
        raise ValueError("the JWT carries no Sett role (roles)")
    raw_scope = claims.get("scope")
    requested = (
        frozenset(Scope(s) for s in raw_scope.split() if s in {member.value for member in Scope})
        if isinstance(raw_scope, str)
        else None
    )
    expiry = claims.get("exp")
    return Principal(
        subject=subject,
        agency_id=agency,
        roles=roles,
        scopes=scopes_for(roles, requested),
        method=AuthMethod.JWT,
        sworn=claims.get("sworn") is True,
        part23_certified=claims.get("part23_certified") is True,
        expires_at=datetime.fromtimestamp(expiry, UTC) if isinstance(expiry, int | float) else None,
    )
