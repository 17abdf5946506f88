from __future__ import annotations

from datetime import date

import strawberry
from pydantic import ValidationError
from strawberry import Info

from agencies.principals import Scope
from cases import service
from cases.errors import InvalidCase
from cases.models import CaseChanges, CaseDraft
from gateway.cases.types import Case, OpenCaseInput, UpdateCaseInput
from gateway.context import Context
from gateway.permissions import scope_permission

WRITE_CASES = scope_permission(Scope.CASES_WRITE)


async def _read_back(info: Info[Context, None], case_id: str) -> Case:
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
            )
        except ValidationError as error:
            raise InvalidCase(_first_problem(error)) from None
        opened = await service.open_case(
            principal=info.context.require_principal(), draft=draft, repository=info.context.repositories.cases
        )
        return await _read_back(info, opened.id)

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
            raise InvalidCase(_first_problem(error)) from None
        await service.update_case(
            principal=info.context.require_principal(),
            case_id=str(id),
            changes=domain_changes,
            purpose=info.context.purpose,
            repository=info.context.repositories.cases,
        )
        return await _read_back(info, str(id))

    @strawberry.mutation(permission_classes=WRITE_CASES, description="Close a case (owner agency only).")
    async def close_case(self, info: Info[Context, None], id: strawberry.ID, closed_on: date | None = None) -> Case:
        await service.close_case(
            principal=info.context.require_principal(),
            case_id=str(id),
            closed_on=closed_on,
            repository=info.context.repositories.cases,
        )
        return await _read_back(info, str(id))

    @strawberry.mutation(permission_classes=WRITE_CASES, description="Add a partner agency to the case team.")
    async def add_case_member(self, info: Info[Context, None], id: strawberry.ID, agency_id: str) -> Case:
        await service.change_member(
            principal=info.context.require_principal(),
            case_id=str(id),
            agency_id=agency_id,
            add=True,
            repository=info.context.repositories.cases,
        )
        return await _read_back(info, str(id))

    @strawberry.mutation(permission_classes=WRITE_CASES, description="Remove a partner agency from the case team.")
    async def remove_case_member(self, info: Info[Context, None], id: strawberry.ID, agency_id: str) -> Case:
        await service.change_member(
            principal=info.context.require_principal(),
            case_id=str(id),
            agency_id=agency_id,
            add=False,
            repository=info.context.repositories.cases,
        )
        return await _read_back(info, str(id))


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"])
    return f"{where}: {problem['msg']}"
