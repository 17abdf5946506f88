from __future__ import annotations

from functools import partial

import strawberry
from strawberry import Info

from agencies import service
from agencies.models import AgencyLevel, state_code
from agencies.principals import Scope as DomainScope
from gateway.context import Context
from gateway.directory.types import Agency, Me, Token
from gateway.pagination import Connection, connection, decode, encode, page_size
from gateway.permissions import IsAuthenticated, scope_permission


@strawberry.type
class DirectoryQueries:
    @strawberry.field(permission_classes=[IsAuthenticated], description="The caller: agency, roles, scopes, expiry.")
    def me(self, info: Info[Context, None]) -> Me:
        return Me.of(info.context.require_principal())

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def agency(self, info: Info[Context, None], id: strawberry.ID) -> Agency | None:
        found = await info.context.repositories.agencies.get(str(id))
        return Agency.of(found) if found else None

    @strawberry.field(permission_classes=[IsAuthenticated], description="The agency directory, by id.")
    async def agencies(
        self,
        info: Info[Context, None],
        level: AgencyLevel | None = None,
        state: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Agency]:
        size = page_size(first)
        found, total, has_next = await info.context.repositories.agencies.page(
            level=level.value if level else None,
            state=state_code(state) if state is not None else None,
            first=size,
            after=decode("agency", after),
        )
        return connection(
            ((agency.id, Agency.of(agency)) for agency in found),
            cursor=partial(encode, "agency"),
            total=total,
            has_next=has_next,
        )

    @strawberry.field(
        permission_classes=scope_permission(DomainScope.TOKENS_MANAGE),
        description="Tokens of an agency (default: yours). Secrets are never shown again.",
    )
    async def tokens(self, info: Info[Context, None], agency_id: str | None = None) -> list[Token]:
        records = await service.list_tokens(
            principal=info.context.require_principal(), agency_id=agency_id, tokens=info.context.repositories.tokens
        )
        return [Token.of(record) for record in records]
