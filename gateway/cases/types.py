from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry
from strawberry import Info

from agencies import models as agency_models
from cases import identifiers, models, retention
from gateway.cases.loaders import case_identifiers, case_persons
from gateway.context import Context
from gateway.directory.types import PointOfContact

strawberry.enum(models.CaseStatus)
strawberry.enum(models.CaseRole, description="What a person is to a case.")
strawberry.enum(identifiers.IdentifierKind, description="What an identifier identifies; each kind is normalised.")


@strawberry.type(description="Something records can be linked by, normalised: `value` is what is compared.")
class Identifier:
    kind: identifiers.IdentifierKind
    value: str
    display: str

    @classmethod
    def of(cls, identifier: identifiers.Identifier) -> Identifier:
        return cls(kind=identifier.kind, value=identifier.value, display=identifier.display)


@strawberry.type(description="A person as the agency that recorded them knows them.")
class Person:
    id: strawberry.ID
    owner_agency_id: str
    name: str
    aliases: list[str]
    date_of_birth: date | None
    identifiers: list[Identifier]

    @classmethod
    def of(cls, person: models.Person) -> Person:
        return cls(
            id=strawberry.ID(person.id),
            owner_agency_id=person.owner_agency_id,
            name=person.name,
            aliases=list(person.aliases),
            date_of_birth=person.date_of_birth,
            identifiers=[Identifier.of(identifier) for identifier in person.identifiers],
        )


@strawberry.type(description="A person on a case. `person` is null when you may not see who they are (a victim).")
class CasePerson:
    role: models.CaseRole
    person: Person | None

    @classmethod
    def of(cls, found: models.CasePerson) -> CasePerson:
        return cls(role=found.role, person=Person.of(found.person) if found.person else None)


strawberry.enum(retention.Sensitivity, description="How carefully an intelligence record is handled once shared.")
strawberry.enum(retention.Confidence, description="How far an intelligence record's content is believed.")


@strawberry.type(description="What makes a case a criminal-intelligence record under 28 CFR Part 23.")
class IntelligenceRecord:
    reasonable_suspicion: str
    submitting_agency_id: str
    control_official: str
    sensitivity: retention.Sensitivity
    confidence: retention.Confidence
    marked_on: date
    last_validated_on: date | None
    last_validated_by: str | None
    retention_limit: date = strawberry.field(
        description="The latest review date allowed: five years after the record was marked or last validated."
    )

    @classmethod
    def of(cls, kept: retention.Retention) -> IntelligenceRecord:
        record = kept.record
        return cls(
            reasonable_suspicion=record.reasonable_suspicion,
            submitting_agency_id=record.submitting_agency_id,
            control_official=record.control_official,
            sensitivity=record.sensitivity,
            confidence=record.confidence,
            marked_on=kept.marked_on,
            last_validated_on=kept.validated_on,
            last_validated_by=kept.validated_by,
            retention_limit=kept.retention_limit,
        )


@strawberry.input(description="Every field is needed; a missing one is named in the error.")
class IntelligenceRecordInput:
    reasonable_suspicion: str | None = strawberry.field(
        default=None, description="Why the subject is reasonably suspected of criminal activity (28 CFR 23.20(a))."
    )
    submitting_agency_id: str | None = strawberry.field(default=None, description="ORI of the submitting agency.")
    control_official: str | None = strawberry.field(
        default=None, description="Who answers for the record in the submitting agency (28 CFR 23.20(g))."
    )
    sensitivity: retention.Sensitivity | None = None
    confidence: retention.Confidence | None = None

    def to_domain(self) -> retention.IntelligenceRecord:
        return retention.intelligence_record(
            {
                "reasonableSuspicion": self.reasonable_suspicion,
                "submittingAgencyId": self.submitting_agency_id,
                "controlOfficial": self.control_official,
                "sensitivity": self.sensitivity,
                "confidence": self.confidence,
            }
        )


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
    intelligence: IntelligenceRecord | None = strawberry.field(
        description="Set when the case is a criminal-intelligence record (28 CFR Part 23)."
    )

    @strawberry.field(description="The persons on the case, in the order they were added.")
    async def persons(self, info: Info[Context, None]) -> list[CasePerson]:
        return [CasePerson.of(found) for found in await case_persons(info.context).load(str(self.id))]

    @strawberry.field(description="The case's own identifiers (those of its persons are on each person).")
    async def identifiers(self, info: Info[Context, None]) -> list[Identifier]:
        return [Identifier.of(found) for found in await case_identifiers(info.context).load(str(self.id))]

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
            intelligence=IntelligenceRecord.of(case.intelligence) if case.intelligence else None,
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
    intelligence: IntelligenceRecordInput | None = strawberry.field(
        default=None, description="Opens the case as a criminal-intelligence record (28 CFR Part 23)."
    )


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


@strawberry.input
class PersonInput:
    name: str
    aliases: list[str] = strawberry.field(default_factory=list)
    date_of_birth: date | None = None


@strawberry.input
class PersonChangesInput:
    name: str | None = None
    aliases: list[str] | None = None
    date_of_birth: date | None = None


@strawberry.input(description="An identifier as typed or pasted; it is normalised before it is stored or compared.")
class IdentifierInput:
    kind: identifiers.IdentifierKind
    value: str = strawberry.field(
        description="PHONE, EMAIL: as written. PERSON: `name|YYYY-MM-DD`. ADDRESS: one line. VEHICLE: `state:plate`. "
        "ONLINE_AD: a URL or `site:id`. ONLINE_ACCOUNT: `platform:handle`."
    )


@strawberry.type(description="That a case you may not see holds one of your identifiers; call its owner.")
class CasePointer:
    owner_agency_id: str
    point_of_contact: PointOfContact | None
    matched_identifiers: list[Identifier] = strawberry.field(description="Your identifiers that it holds too.")


@strawberry.enum(description="How much of a linked case you see.")
class LinkAccess(Enum):
    FULL = "FULL"
    POINTER = "POINTER"


@strawberry.type(description="A case reached through shared identifiers: in full, or as a pointer.")
class LinkedCase:
    hops: int = strawberry.field(description="Shared identifiers between it and the case you started from.")
    linked_by: list[Identifier] = strawberry.field(description="What it shares with the cases one hop nearer.")
    access: LinkAccess
    case: Case | None
    pointer: CasePointer | None

    @classmethod
    def of(cls, link: models.LinkedCase) -> LinkedCase:
        pointer = link.pointer
        return cls(
            hops=link.hops,
            linked_by=[Identifier.of(identifier) for identifier in link.linked_by],
            access=LinkAccess.FULL if link.case else LinkAccess.POINTER,
            case=Case.of(link.case) if link.case else None,
            pointer=_pointer(pointer) if pointer else None,
        )


@strawberry.input(description="An end of a link path: a person you may see, or an identifier.")
class PathEndInput:
    person_id: strawberry.ID | None = None
    identifier: IdentifierInput | None = None


@strawberry.type(description="A step of a link path: an identifier, a case you may see, or (last) a pointer.")
class PathStep:
    identifier: Identifier | None
    case: Case | None
    pointer: CasePointer | None

    @classmethod
    def of(cls, step: models.PathStep) -> PathStep:
        pointer = step.pointer
        return cls(
            identifier=Identifier.of(step.identifier) if step.identifier else None,
            case=Case.of(step.case) if step.case else None,
            pointer=_pointer(pointer) if pointer else None,
        )


def _pointer(pointer: models.CasePointer) -> CasePointer:
    return CasePointer(
        owner_agency_id=pointer.owner_agency_id,
        point_of_contact=PointOfContact.of(pointer.point_of_contact),
        matched_identifiers=[Identifier.of(identifier) for identifier in pointer.matched],
    )
