from __future__ import annotations

from datetime import date

import strawberry

from agencies import models as agency_models
from cases import models
from gateway.directory.types import PointOfContact

strawberry.enum(models.CaseStatus)


@strawberry.type(description="A case as you may see it: fields you may not see are null and named in `redacted`.")
class Case:
    id: strawberry.ID
    owner_agency_id: str
    agency_case_number: str
    title: str
    summary: str
    status: models.CaseStatus
    offenses: list[str]
    labels: list[str]
    opened_on: date
    closed_on: date | None
    review_due: date | None
    point_of_contact: PointOfContact | None
    victim_services_notes: str | None
    team_agency_ids: list[str]
    redacted: list[str] = strawberry.field(description="Fields withheld from you by the access policy.")

    @classmethod
    def of(cls, case: models.Case) -> Case:
        return cls(
            id=strawberry.ID(case.id),
            owner_agency_id=case.owner_agency_id,
            agency_case_number=case.agency_case_number,
            title=case.title,
            summary=case.summary,
            status=case.status,
            offenses=list(case.offenses),
            labels=sorted(case.labels),
            opened_on=case.opened_on,
            closed_on=case.closed_on,
            review_due=case.review_due,
            point_of_contact=PointOfContact.of(case.point_of_contact),
            victim_services_notes=case.victim_services_notes,
            team_agency_ids=sorted(case.team_agency_ids),
            redacted=sorted(_camel(field) for field in case.redacted),
        )


def _camel(field: str) -> str:
    head, *rest = field.split("_")
    return head + "".join(part.title() for part in rest)


@strawberry.input
class ContactInput:
    name: str
    phone: str | None = None
    email: str | None = None

    def to_domain(self) -> agency_models.PointOfContact:
        return agency_models.PointOfContact(name=self.name, phone=self.phone, email=self.email)


@strawberry.input
class OpenCaseInput:
    agency_case_number: str
    title: str
    opened_on: date
    summary: str = ""
    offenses: list[str] = strawberry.field(default_factory=list)
    labels: list[str] = strawberry.field(default_factory=list)
    review_due: date | None = None
    point_of_contact: ContactInput | None = None
    victim_services_notes: str | None = None


@strawberry.input
class UpdateCaseInput:
    title: str | None = None
    summary: str | None = None
    offenses: list[str] | None = None
    labels: list[str] | None = None
    review_due: date | None = None
    point_of_contact: ContactInput | None = None
    victim_services_notes: str | None = None


@strawberry.input
class CaseFilterInput:
    status: models.CaseStatus | None = None
    owner_agency_id: str | None = None
    label: str | None = None
