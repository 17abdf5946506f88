"""Use cases on the persons on cases and on identifiers: recorded by one agency, written only by those who may."""

from __future__ import annotations

import uuid
from datetime import date

from agencies.audit import AuditEvent
from agencies.policy import may_change_person
from agencies.principals import Principal, Scope
from cases.access import Clock, reader_for, require_scope, utc_now, writable_case
from cases.errors import CaseForbidden, CaseNotFound, InvalidCase
from cases.identifiers import Identifier, IdentifierKind, normalise
from cases.models import CasePerson, CaseRole, Person, PersonChanges, PersonDraft
from cases.ports import CaseRepository, Holder, IdentifierRepository, PersonRepository


def person_identifiers(person: Person | PersonDraft, today: date) -> list[Identifier]:
    """The PERSON identifiers that who a person is gives: name and date of birth, and each alias with it.

    Raises `InvalidIdentifier` for a date of birth after `today`."""
    if person.date_of_birth is None:
        return []
    born = person.date_of_birth.isoformat()
    named = ({"name": name, "date_of_birth": born} for name in (person.name, *person.aliases))
    return list(dict.fromkeys(normalise(IdentifierKind.PERSON, fields, today=today) for fields in named))


async def _own_person(principal: Principal, person_id: str, persons: PersonRepository) -> Person:
    """A person the principal's agency recorded; any other is, for them, no person at all."""
    require_scope(principal, Scope.CASES_WRITE)
    person = await persons.recorded(person_id)
    if person is None or person.owner_agency_id != principal.agency_id:
        raise CaseNotFound(f"no person {person_id!r}")
    return person


async def _person_to_change(
    principal: Principal, person_id: str, persons: PersonRepository, cases: CaseRepository
) -> Person:
    """A person the principal's agency may change (`agencies.policy.may_change_person`)."""
    person = await _own_person(principal, person_id, persons)
    require_scope(principal, Scope.CASES_READ)
    on = [facts for case_id in await persons.case_ids(person_id) if (facts := await cases.facts(case_id))]
    if not may_change_person(principal.agency_id, person.owner_agency_id, on):
        raise CaseForbidden("this person is on a case your agency may no longer write on; ask its owner")
    return person


async def add_person(
    *,
    principal: Principal,
    case_id: str,
    role: CaseRole,
    draft: PersonDraft | None = None,
    person_id: str | None = None,
    purpose: str | None,
    cases: CaseRepository,
    persons: PersonRepository,
    clock: Clock = utc_now,
) -> str:
    """Records a new person (`draft`) on a case, or puts a person the agency recorded before (`person_id`) on
    another case, in `role`. Returns the person's id."""
    if (draft is None) == (person_id is None):
        raise InvalidCase("give either a new person or the id of a person your agency recorded, not both")
    now = clock()
    await writable_case(principal, case_id, purpose, cases, now)
    detail = {"case": case_id, "role": role.value}
    if person_id is not None:
        await _own_person(principal, person_id, persons)
        event = AuditEvent("person.add", principal.subject, principal.agency_id, {**detail, "person": person_id})
        await persons.add_existing(case_id, person_id, role, principal.agency_id, event)
        return person_id
    assert draft is not None
    person = Person(id=str(uuid.uuid4()), owner_agency_id=principal.agency_id, **draft.model_dump())
    derived = person_identifiers(person, now.date())
    event = AuditEvent("person.add", principal.subject, principal.agency_id, {**detail, "person": person.id})
    await persons.add_new(case_id, person, role, derived, writer=principal.agency_id, event=event)
    return person.id


async def update_person(
    *,
    principal: Principal,
    person_id: str,
    changes: PersonChanges,
    persons: PersonRepository,
    cases: CaseRepository,
    clock: Clock = utc_now,
) -> Person:
    """The agency that recorded a person changes who they are; the identifiers derived from it follow."""
    person = await _person_to_change(principal, person_id, persons, cases)
    fields = changes.model_dump(exclude_none=True)
    if not fields:
        raise InvalidCase("nothing to change")
    changed = person.model_copy(update=fields)
    derived = person_identifiers(changed, clock().date())
    event = AuditEvent(
        "person.update", principal.subject, principal.agency_id, {"person": person_id, "fields": sorted(fields)}
    )
    await persons.update(changed, derived, principal.agency_id, event)
    stored = await persons.recorded(person_id)
    assert stored is not None
    return stored


async def remove_person_from_case(
    *,
    principal: Principal,
    case_id: str,
    person_id: str,
    purpose: str | None,
    cases: CaseRepository,
    persons: PersonRepository,
    clock: Clock = utc_now,
) -> None:
    """The case's owner agency, or the agency that recorded the person, takes them off the case; the person
    stays recorded, and on their other cases."""
    facts = await writable_case(principal, case_id, purpose, cases, clock())
    owner = await persons.recorded(person_id)
    if owner is None or principal.agency_id not in {facts.owner_agency_id, owner.owner_agency_id}:
        raise CaseNotFound(f"no person {person_id!r} on case {case_id!r}")
    event = AuditEvent("person.remove", principal.subject, principal.agency_id, {"case": case_id, "person": person_id})
    if not await persons.remove_from_case(case_id, person_id, principal.agency_id, event):
        raise CaseNotFound(f"no person {person_id!r} on case {case_id!r}")


async def change_identifier(
    *,
    principal: Principal,
    holder: Holder,
    kind: IdentifierKind,
    value: str,
    add: bool,
    purpose: str | None,
    cases: CaseRepository,
    persons: PersonRepository,
    identifiers: IdentifierRepository,
    clock: Clock = utc_now,
) -> Identifier:
    """Attaches an identifier, normalised first, to a case (its owner or team) or a person (the agency that
    recorded them), or takes it off. Input that cannot be normalised is refused and nothing is written."""
    now = clock()
    if holder.kind == "Case":
        await writable_case(principal, holder.id, purpose, cases, now)
    else:
        await _person_to_change(principal, holder.id, persons, cases)
    identifier = normalise(kind, value, today=now.date())
    action = "identifier.add" if add else "identifier.remove"
    detail = {holder.kind.lower(): holder.id, "kind": identifier.kind.value}
    event = AuditEvent(action, principal.subject, principal.agency_id, detail)
    if add:
        await identifiers.attach(holder, identifier, principal.agency_id, event)
    elif not await identifiers.detach(holder, identifier, principal.agency_id, event):
        raise CaseNotFound(f"no such {identifier.kind.value} identifier on the {holder.kind.lower()}")
    return identifier


async def persons_on_cases(
    *, principal: Principal, case_ids: list[str], purpose: str | None, persons: PersonRepository, clock: Clock = utc_now
) -> dict[str, list[CasePerson]]:
    return await persons.persons_on(reader_for(principal, purpose, clock), case_ids)


async def identifiers_of_cases(
    *,
    principal: Principal,
    case_ids: list[str],
    purpose: str | None,
    identifiers: IdentifierRepository,
    clock: Clock = utc_now,
) -> dict[str, list[Identifier]]:
    return await identifiers.of_cases(reader_for(principal, purpose, clock), case_ids)
