from __future__ import annotations

from datetime import datetime
from functools import partial

import strawberry
from strawberry import Info

from agencies import service
from agencies.errors import InvalidInput
from agencies.principals import Scope
from gateway.context import Context
from gateway.pagination import Connection, aware_moment, connection, decode_keyed, encode, page_size
from gateway.permissions import IsAuthenticated, scope_permission
from gateway.sharing.types import Disclosure, SharingAgreement


@strawberry.type
class SharingQueries:
    @strawberry.field(permission_classes=[IsAuthenticated], description="Agreements your agency grants or receives.")
    async def sharing_agreements(self, info: Info[Context, None]) -> list[SharingAgreement]:
        found = await service.list_agreements(
            principal=info.context.require_principal(), agreements=info.context.repositories.agreements
        )
        return [SharingAgreement.of(agreement) for agreement in found]

    @strawberry.field(
        permission_classes=scope_permission(Scope.AUDIT_READ),
        description="Every disclosure of your agency's records to another agency, newest first.",
    )
    async def access_report(
        self,
        info: Info[Context, None],
        since: datetime | None = None,
        until: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Disclosure]:
        principal = info.context.require_principal()
        if any(moment is not None and moment.tzinfo is None for moment in (since, until)):
            raise InvalidInput("since and until need a time zone, e.g. 2026-11-01T00:00:00Z")
        found, total, has_next = await info.context.repositories.disclosures.page(
            owner_agency_id=principal.agency_id,
            since=since,
            until=until,
            first=page_size(first),
            after=decode_keyed("disclosure", after, aware_moment),
        )
        return connection(
            ((f"{record.at.isoformat()}|{record.id}", Disclosure.of(record)) for record in found),
            cursor=partial(encode, "disclosure"),
            total=total,
            has_next=has_next,
        )
