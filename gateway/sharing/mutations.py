from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import Info

from agencies import agreements, service
from agencies.principals import Scope
from gateway.context import Context
from gateway.permissions import scope_permission
from gateway.sharing.types import SharingAgreement

MANAGE_SHARING = scope_permission(Scope.SHARE_MANAGE)


@strawberry.input
class SharingAgreementInput:
    grantee_id: str
    coverage: agreements.Coverage
    purpose: str
    labels: list[str] = strawberry.field(default_factory=list)
    case_ids: list[str] = strawberry.field(default_factory=list)
    victim_services: bool = False
    valid_from: datetime | None = None
    valid_until: datetime | None = None


@strawberry.type
class SharingMutations:
    @strawberry.mutation(
        permission_classes=MANAGE_SHARING,
        description="A SUPERVISOR shares their agency's cases (all, labelled, or named) with another agency.",
    )
    async def create_sharing_agreement(
        self, info: Info[Context, None], agreement: SharingAgreementInput
    ) -> SharingAgreement:
        repositories = info.context.repositories
        created = await service.create_agreement(
            principal=info.context.require_principal(),
            grantee_id=agreement.grantee_id,
            coverage=agreement.coverage,
            labels=frozenset(agreement.labels),
            case_ids=frozenset(agreement.case_ids),
            victim_services=agreement.victim_services,
            purpose=agreement.purpose,
            valid_from=agreement.valid_from,
            valid_until=agreement.valid_until,
            agreements=repositories.agreements,
            agencies=repositories.agencies,
        )
        return SharingAgreement.of(created)

    @strawberry.mutation(permission_classes=MANAGE_SHARING, description="The grantor ends an agreement at once.")
    async def revoke_sharing_agreement(self, info: Info[Context, None], id: strawberry.ID) -> SharingAgreement:
        revoked = await service.revoke_agreement(
            principal=info.context.require_principal(),
            agreement_id=str(id),
            agreements=info.context.repositories.agreements,
        )
        return SharingAgreement.of(revoked)
