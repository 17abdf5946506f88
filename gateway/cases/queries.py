from __future__ import annotations

import strawberry
from strawberry import Info

from agencies.principals import Scope
from cases import service
from cases.models import CaseFilter
from gateway.cases.types import Case, CaseFilterInput
from gateway.context import Context
from gateway.pagination import Connection, connection, decode, encode, page_size, selects_total
from gateway.permissions import scope_permission

READ_CASES = scope_permission(Scope.CASES_READ)


@strawberry.type
class CaseQueries:
    @strawberry.field(
        permission_classes=READ_CASES,
        description="A case you may see. Another agency's case needs the X-Sett-Purpose header and is recorded.",
    )
    async def case(self, info: Info[Context, None], id: strawberry.ID) -> Case:
        found = await service.get_case(
            principal=info.context.require_principal(),
            case_id=str(id),
            purpose=info.context.purpose,
            repository=info.context.repositories.cases,
        )
        return Case.of(found)

    @strawberry.field(permission_classes=READ_CASES, description="Cases you may see, by id.")
    async def cases(
        self,
        info: Info[Context, None],
        filter: CaseFilterInput | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Case]:
        where = CaseFilter(
            status=filter.status if filter else None,
            owner_agency_id=filter.owner_agency_id if filter else None,
            label=filter.label if filter else None,
        )
        page = await service.list_cases(
            principal=info.context.require_principal(),
            where=where,
            first=page_size(first),
            after=decode("case", after),
            purpose=info.context.purpose,
            repository=info.context.repositories.cases,
            count=selects_total(info),
        )
        return connection(
            ((encode("case", case.id), Case.of(case)) for case in page.cases), total=page.total, has_next=page.has_next
        )
