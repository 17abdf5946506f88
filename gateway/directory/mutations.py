from __future__ import annotations

import strawberry
from strawberry import Info

from agencies import service
from agencies.principals import Role, Scope
from agencies.token_rules import lifetime_of
from gateway.context import Context
from gateway.directory.types import IssuedToken, Token
from gateway.permissions import scope_permission

MANAGE_TOKENS = scope_permission(Scope.TOKENS_MANAGE)


@strawberry.type
class DirectoryMutations:
    @strawberry.mutation(
        permission_classes=MANAGE_TOKENS,
        description="Issue a Sett token for your agency (an ADMIN: for any). The secret is returned once.",
    )
    async def issue_token(
        self,
        info: Info[Context, None],
        subject: str,
        roles: list[Role],
        description: str,
        agency_id: str | None = None,
        scopes: list[Scope] | None = None,
        expires_in_days: int = 30,
    ) -> IssuedToken:
        principal = info.context.require_principal()
        repositories = info.context.repositories
        issued = await service.issue_token(
            principal=principal,
            agency_id=agency_id or principal.agency_id,
            subject=subject,
            roles=frozenset(roles),
            scopes=frozenset(scopes) if scopes is not None else None,
            description=description,
            lifetime=lifetime_of(expires_in_days),
            tokens=repositories.tokens,
            agencies=repositories.agencies,
        )
        return IssuedToken(secret=issued.secret, token=Token.of(issued.record), warnings=list(issued.warnings))

    @strawberry.mutation(permission_classes=MANAGE_TOKENS, description="Revoke a token; it stops working at once.")
    async def revoke_token(self, info: Info[Context, None], id: strawberry.ID) -> Token:
        revoked = await service.revoke_token(
            principal=info.context.require_principal(),
            token_id=str(id),
            tokens=info.context.repositories.tokens,
            notice=info.context.revocations,
        )
        return Token.of(revoked)
