from __future__ import annotations

from datetime import date

import strawberry
from pydantic import ValidationError
from strawberry import Info

from agencies.principals import Scope
from agencies.validation import first_problem
from cases import person_service, service
from cases.errors import InvalidCase
from cases.models import CaseChanges, CaseDraft, CaseRole, PersonChanges, PersonDraft
from cases.ports import Holder
from gateway.cases.loaders import case_persons
from gateway.cases.types import (
    Case,
    CasePerson,
    Identifier,
    IdentifierInput,
    OpenCaseInput,
    Person,
    PersonChangesInput,
    PersonInput,
    UpdateCaseInput,
)
from gateway.context import Context
from gateway.permissions import scope_permission
from graph.recorded_reads import recording_for_field

WRITE_CASES = scope_permission(Scope.CASES_WRITE)


async def read_back(info: Info[Context, None], case_id: str) -> Case:
    with recording_for_field(info.path.key):
        found = await service.get_case(
            principal=info.context.require_principal(),
            case_id=case_id,
            purpose=info.context.purpose,
            repository=info.context.repositories.cases,
        )
    return Case.of(found)


@strawberry.type
class CaseMutations:
    @strawberry.mutation(permission_classes=WRITE_CASES, description="Open a case owned by your agency.")
    async def open_case(self, info: Info[Context, None], case: OpenCaseInput) -> Case:
        try:
            draft = CaseDraft(
                agency_case_number=case.agency_case_number,
                title=case.title,
                summary=case.summary,
                offenses=tuple(case.offenses),
                labels=frozenset(case.labels),
                opened_on=case.opened_on,
                review_due=case.review_due,
                point_of_contact=case.point_of_contact.to_domain() if case.point_of_contact else None,
                victim_services_notes=case.victim_services_notes,
                intelligence=case.intelligence.to_domain() if case.intelligence else None,
            )
        except ValidationError as error:
            raise InvalidCase(first_problem(error)) from None
        opened = await service.open_case(
            principal=info.context.require_principal(), draft=draft, repository=info.context.repositories.cases
        )
        return await read_back(info, opened.id)

    @strawberry.mutation(permission_classes=WRITE_CASES, description="Change a case (owner agency or case team).")
    async def update_case(self, info: Info[Context, None], id: strawberry.ID, changes: UpdateCaseInput) -> Case:
        try:
            domain_changes = CaseChanges(
                title=changes.title,
                summary=changes.summary,
                offenses=tuple(changes.offenses) if changes.offenses is not None else None,
                labels=frozenset(changes.labels) if changes.labels is not None else None,
                review_due=changes.review_due,
                point_of_contact=changes.point_of_contact.to_domain() if changes.point_of_contact else None,
                victim_services_notes=changes.victim_services_notes,
            )
        except ValidationError as error:
            raise InvalidCase(first_problem(error)) from None
        await service.update_case(
            principal=info.context.require_principal(),
            case_id=str(id),
            changes=domain_changes,
            purpose=info.context.purpose,
            repository=info.context.repositories.cases,
        )
        return await read_back(info, str(id))

    @strawberry.mutation(permission_classes=WRITE_CASES, description="Close a case (owner agency only).")
    async def close_case(self, info: Info[Context, None], id: strawberry.ID, closed_on: date | None = None) -> Case:
        await service.close_case(
            principal=info.context.require_principal(),
            case_id=str(id),
            closed_on=closed_on,
            repository=info.context.repositories.cases,
        )
        return await read_back(info, str(id))

    @strawberry.mutation(permission_classes=WRITE_CASES, description="Add a partner agency to the case team.")
    async def add_case_member(self, info: Info[Context, None], id: strawberry.ID, agency_id: str) -> Case:
        await service.change_member(
            principal=info.context.require_principal(),
            case_id=str(id),
            agency_id=agency_id,
            add=True,
            repository=info.context.repositories.cases,
        )
        return await read_back(info, str(id))

    @strawberry.mutation(permission_classes=WRITE_CASES, description="Remove a partner agency from the case team.")
    async def remove_case_member(self, info: Info[Context, None], id: strawberry.ID, agency_id: str) -> Case:
        await service.change_member(
            principal=info.context.require_principal(),
            case_id=str(id),
            agency_id=agency_id,
            add=False,
            repository=info.context.repositories.cases,
        )
        return await read_back(info, str(id))

    @strawberry.mutation(
        permission_classes=WRITE_CASES,
        description="Record a new person (`person`) on a case, or put a person your agency recorded (`personId`) "
        "on another case. A name with a date of birth becomes a PERSON identifier, so that the person links.",
    )
    async def add_person(
        self,
        info: Info[Context, None],
        case_id: strawberry.ID,
        role: CaseRole,
        person: PersonInput | None = None,
        person_id: strawberry.ID | None = None,
    ) -> CasePerson:
        try:
            draft = (
                PersonDraft(name=person.name, aliases=tuple(person.aliases), date_of_birth=person.date_of_birth)
                if person
                else None
            )
        except ValidationError as error:
            raise InvalidCase(first_problem(error)) from None
        added = await person_service.add_person(
            principal=info.context.require_principal(),
            case_id=str(case_id),
            role=role,
            draft=draft,
            person_id=str(person_id) if person_id is not None else None,
            purpose=info.context.purpose,
            cases=info.context.repositories.cases,
            persons=info.context.repositories.persons,
        )
        on_case = await case_persons(info.context).load(str(case_id))
        return next(CasePerson.of(found) for found in on_case if found.person and found.person.id == added)

    @strawberry.mutation(permission_classes=WRITE_CASES, description="Change a person your agency recorded.")
    async def update_person(self, info: Info[Context, None], id: strawberry.ID, changes: PersonChangesInput) -> Person:
        try:
            domain_changes = PersonChanges(
                name=changes.name,
                aliases=tuple(changes.aliases) if changes.aliases is not None else None,
                date_of_birth=changes.date_of_birth,
            )
        except ValidationError as error:
            raise InvalidCase(first_problem(error)) from None
        changed = await person_service.update_person(
            principal=info.context.require_principal(),
            person_id=str(id),
            changes=domain_changes,
            persons=info.context.repositories.persons,
            cases=info.context.repositories.cases,
        )
        return Person.of(changed)

    @strawberry.mutation(
        permission_classes=WRITE_CASES,
        description="Take a person off a case (the case's owner agency or the person's); they stay on their other "
        "cases.",
    )
    async def remove_person_from_case(
        self, info: Info[Context, None], case_id: strawberry.ID, person_id: strawberry.ID
    ) -> Case:
        await person_service.remove_person_from_case(
            principal=info.context.require_principal(),
            case_id=str(case_id),
            person_id=str(person_id),
            purpose=info.context.purpose,
            cases=info.context.repositories.cases,
            persons=info.context.repositories.persons,
        )
        return await read_back(info, str(case_id))

    @strawberry.mutation(
        permission_classes=WRITE_CASES,
        description="Attach an identifier to a case or to a person; answers it as normalised.",
    )
    async def add_identifier(
        self,
        info: Info[Context, None],
        identifier: IdentifierInput,
        case_id: strawberry.ID | None = None,
        person_id: strawberry.ID | None = None,
    ) -> Identifier:
        return await _change_identifier(info, identifier, case_id, person_id, add=True)

    @strawberry.mutation(permission_classes=WRITE_CASES, description="Take an identifier off a case or a person.")
    async def remove_identifier(
        self,
        info: Info[Context, None],
        identifier: IdentifierInput,
        case_id: strawberry.ID | None = None,
        person_id: strawberry.ID | None = None,
    ) -> Identifier:
        return await _change_identifier(info, identifier, case_id, person_id, add=False)


async def _change_identifier(
    info: Info[Context, None],
    identifier: IdentifierInput,
    case_id: strawberry.ID | None,
    person_id: strawberry.ID | None,
    *,
    add: bool,
) -> Identifier:
    if (case_id is None) == (person_id is None):
        raise InvalidCase("give either caseId or personId")
    holder = Holder("Case", str(case_id)) if case_id is not None else Holder("Person", str(person_id))
    changed = await person_service.change_identifier(
        principal=info.context.require_principal(),
        holder=holder,
        kind=identifier.kind,
        value=identifier.value,
        add=add,
        purpose=info.context.purpose,
        cases=info.context.repositories.cases,
        persons=info.context.repositories.persons,
        identifiers=info.context.repositories.identifiers,
    )
    return Identifier.of(changed)
