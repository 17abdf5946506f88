from __future__ import annotations

from datetime import datetime

import strawberry

from agencies import agreements
from cases import disclosures

strawberry.enum(agreements.Coverage)
strawberry.enum(disclosures.DisclosureKind)


@strawberry.type(description="An agreement by which the grantor agency shares its cases with the grantee.")
class SharingAgreement:
    id: str
    grantor_id: str
    grantee_id: str
    coverage: agreements.Coverage
    labels: list[str]
    case_ids: list[str]
    victim_services: bool
    purpose: str
    valid_from: datetime
    valid_until: datetime | None
    created_by: str
    revoked_at: datetime | None

    @classmethod
    def of(cls, agreement: agreements.SharingAgreement) -> SharingAgreement:
        return cls(
            id=agreement.id,
            grantor_id=agreement.grantor_id,
            grantee_id=agreement.grantee_id,
            coverage=agreement.coverage,
            labels=sorted(agreement.labels),
            case_ids=sorted(agreement.case_ids),
            victim_services=agreement.victim_services,
            purpose=agreement.purpose,
            valid_from=agreement.valid_from,
            valid_until=agreement.valid_until,
            created_by=agreement.created_by,
            revoked_at=agreement.revoked_at,
        )


@strawberry.type(description="A dissemination record: your agency's cases reached another agency.")
class Disclosure:
    id: str
    at: datetime
    subject: str
    recipient_agency_id: str
    case_ids: list[str]
    purpose: str | None
    operation: str
    kind: disclosures.DisclosureKind
    matched_identifiers: list[str] = strawberry.field(
        description="For a POINTER: which of your identifiers the recipient's cases matched, as KIND:value."
    )
    purged_case_ids: list[str] = strawberry.field(
        description="Those of caseIds purged since under 28 CFR Part 23; the record of the disclosure stays."
    )

    @classmethod
    def of(cls, record: disclosures.Disclosure) -> Disclosure:
        return cls(
            id=record.id,
            at=record.at,
            subject=record.subject,
            recipient_agency_id=record.recipient_agency_id,
            case_ids=list(record.case_ids),
            purpose=record.purpose,
            operation=record.operation,
            kind=record.kind,
            matched_identifiers=list(record.identifiers),
            purged_case_ids=list(record.purged_case_ids),
        )
