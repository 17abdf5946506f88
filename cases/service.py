"""Use cases on cases. Every one takes the principal; reads go through the visibility rule in the repository."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

from agencies.audit import AuditEvent
from agencies.policy import CaseFacts, decide_case
from agencies.principals import Principal, Scope
from cases.errors import CaseForbidden, CaseNotFound, InvalidCase, PurposeRequired
from cases.identifiers import Identifier, IdentifierKind, normalise
from cases.models import (
    Case,
    CaseChanges,
    CaseDraft,
    CaseFilter,
    CasePage,
    CasePerson,
    CaseRole,
    CaseStatus,
    LinkedPage,
    PathEnd,
    PathStep,
    Person,
    PersonChanges,
    PersonDraft,
    SearchPage,
)
from cases.ports import (
    CaseRepository,
    Holder,
    IdentifierRepository,
    LinkRepository,
    PathRepository,
    PersonRepository,
    Reader,
    SearchRepository,
)

MAX_PAGE = 100
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _require(principal: Principal, scope: Scope) -> None:
    if not principal.has(scope):
        raise CaseForbidden(f"this needs the {scope.value} scope")


async def _facts_for_write(principal: Principal, case_id: str, repository: CaseRepository, now: datetime) -> CaseFacts:
    """The case's facts when the principal may see it at all; otherwise it does not exist for them."""
    _require(principal, Scope.CASES_WRITE)
    facts = await repository.facts(case_id)
    if facts is None or not decide_case(principal, facts, (), now).visible:
        raise CaseNotFound(f"no case {case_id!r}")
    return facts


async def open_case(
    *, principal: Principal, draft: CaseDraft, repository: CaseRepository, clock: Clock = utc_now
) -> Case:
    _require(principal, Scope.CASES_WRITE)
    _require(principal, Scope.CASES_READ)  # the answer shows the case back
    case = Case(
        id=str(uuid.uuid4()),
        owner_agency_id=principal.agency_id,
        agency_case_number=draft.agency_case_number,
        title=draft.title,
        summary=draft.summary,
        status=CaseStatus.OPEN,
        offenses=draft.offenses,
        labels=draft.labels,
        opened_on=draft.opened_on,
        review_due=draft.review_due,
        point_of_contact=draft.point_of_contact,
        victim_services_notes=draft.victim_services_notes,
    )
    event = AuditEvent("case.open", principal.subject, principal.agency_id, {"case": case.id})
    if not await repository.create(case, event):
        raise InvalidCase(f"case number {draft.agency_case_number!r} is already used in agency {principal.agency_id}")
    return case


OWNER_ONLY_FIELDS = frozenset({"labels", "victim_services_notes"})
"""Labels decide which of the owner's agreements cover the case; victim-services notes are the owner's."""


async def update_case(
    *,
    principal: Principal,
    case_id: str,
    changes: CaseChanges,
    purpose: str | None,
    repository: CaseRepository,
    clock: Clock = utc_now,
) -> None:
    """The owner agency and the case team may edit; labels and victim-services notes are the owner's alone.

    A team member from another agency states a purpose before writing, since the answer shows them the case.
    """
    facts = await _facts_for_write(principal, case_id, repository, clock())
    fields = sorted(changes.model_dump(exclude_none=True))
    if not fields:
        raise InvalidCase("nothing to change")
    if facts.owner_agency_id != principal.agency_id:
        if OWNER_ONLY_FIELDS & set(fields):
            raise CaseForbidden(f"only the owner agency can change {sorted(OWNER_ONLY_FIELDS & set(fields))}")
        if not (purpose and purpose.strip()):
            raise PurposeRequired("changing another agency's case needs a stated purpose (X-Sett-Purpose)")
    event = AuditEvent("case.update", principal.subject, principal.agency_id, {"case": case_id, "fields": fields})
    await repository.update(case_id, changes, event)


async def close_case(
    *, principal: Principal, case_id: str, closed_on: date | None, repository: CaseRepository, clock: Clock = utc_now
) -> None:
    """Only the owner agency closes its case."""
    facts = await _facts_for_write(principal, case_id, repository, clock())
    if facts.owner_agency_id != principal.agency_id:
        raise CaseForbidden("only the owner agency can close a case")
    event = AuditEvent("case.close", principal.subject, principal.agency_id, {"case": case_id})
    await repository.set_status(case_id, CaseStatus.CLOSED, closed_on or clock().date(), event)


async def change_member(
    *,
    principal: Principal,
    case_id: str,
    agency_id: str,
    add: bool,
    repository: CaseRepository,
    clock: Clock = utc_now,
) -> None:
    """The owner agency adds or removes a partner agency of the case team (a task force)."""
    facts = await _facts_for_write(principal, case_id, repository, clock())
    if facts.owner_agency_id != principal.agency_id:
        raise CaseForbidden("only the owner agency can change the case team")
    if agency_id == facts.owner_agency_id:
        raise InvalidCase("the owner agency is always on its case team")
    kind = "case.member.add" if add else "case.member.remove"
    event = AuditEvent(kind, principal.subject, principal.agency_id, {"case": case_id, "member": agency_id})
    if add:
        await repository.add_member(case_id, agency_id, event)
    else:
        await repository.remove_member(case_id, agency_id, event)


MAX_PURPOSE = 500


def _check_page_size(first: int) -> None:
    if not 1 <= first <= MAX_PAGE:
        raise InvalidCase(f"first must be between 1 and {MAX_PAGE}")


def _reader(principal: Principal, purpose: str | None, clock: Clock) -> Reader:
    _require(principal, Scope.CASES_READ)
    stated = purpose.strip() if purpose else None
    if stated and len(stated) > MAX_PURPOSE:
        raise InvalidCase(f"a stated purpose has at most {MAX_PURPOSE} characters")
    return Reader(principal.subject, principal.agency_id, stated or None, clock())


async def get_case(
    *, principal: Principal, case_id: str, purpose: str | None, repository: CaseRepository, clock: Clock = utc_now
) -> Case:
    case = await repository.read_one(_reader(principal, purpose, clock), case_id)
    if case is None:
        raise CaseNotFound(f"no case {case_id!r}")
    return case


async def list_cases(
    *,
    principal: Principal,
    where: CaseFilter,
    first: int,
    after: str | None,
    purpose: str | None,
    repository: CaseRepository,
    count: bool = True,
    clock: Clock = utc_now,
) -> CasePage:
    _check_page_size(first)
    return await repository.read_page(_reader(principal, purpose, clock), where, first, after, count=count)


def person_identifiers(person: Person, today: date) -> list[Identifier]:
    """The PERSON identifiers that who a person is gives: name and date of birth, and each alias with it."""
    if person.date_of_birth is None:
        return []
    born = person.date_of_birth.isoformat()
    named = ({"name": name, "date_of_birth": born} for name in person.names)
    return list(dict.fromkeys(normalise(IdentifierKind.PERSON, fields, today=today) for fields in named))


async def _writable_case(
    principal: Principal, case_id: str, purpose: str | None, cases: CaseRepository, now: datetime
) -> CaseFacts:
    """A case the principal may write persons and identifiers on: its owner agency or its case team, the
    latter with a stated purpose, since the answer shows them the case."""
    facts = await _facts_for_write(principal, case_id, cases, now)
    if facts.owner_agency_id != principal.agency_id and not (purpose and purpose.strip()):
        raise PurposeRequired("writing on another agency's case needs a stated purpose (X-Sett-Purpose)")
    return facts


async def _own_person(principal: Principal, person_id: str, persons: PersonRepository) -> Person:
    """A person the principal's agency recorded; any other is, for them, no person at all."""
    _require(principal, Scope.CASES_WRITE)
    person = await persons.recorded(person_id)
    if person is None or person.owner_agency_id != principal.agency_id:
        raise CaseNotFound(f"no person {person_id!r}")
    return person


async def _person_to_change(
    principal: Principal, person_id: str, persons: PersonRepository, cases: CaseRepository, now: datetime
) -> Person:
    """A person the principal's agency recorded and whose every case it may still write on: who a person is,
    and what identifies them, shows on all of their cases."""
    person = await _own_person(principal, person_id, persons)
    for case_id in await persons.case_ids(person_id):
        facts = await cases.facts(case_id)
        if facts is None or not decide_case(principal, facts, (), now).visible:
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
    await _writable_case(principal, case_id, purpose, cases, now)
    detail = {"case": case_id, "role": role.value}
    if person_id is not None:
        await _own_person(principal, person_id, persons)
        event = AuditEvent("person.add", principal.subject, principal.agency_id, {**detail, "person": person_id})
        await persons.add_existing(case_id, person_id, role, event)
        return person_id
    assert draft is not None
    person = Person(id=str(uuid.uuid4()), owner_agency_id=principal.agency_id, **draft.model_dump())
    derived = person_identifiers(person, now.date())
    event = AuditEvent("person.add", principal.subject, principal.agency_id, {**detail, "person": person.id})
    await persons.add_new(case_id, person, role, derived, event)
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
    person = await _person_to_change(principal, person_id, persons, cases, clock())
    fields = changes.model_dump(exclude_none=True)
    if not fields:
        raise InvalidCase("nothing to change")
    changed = person.model_copy(update=fields)
    derived = person_identifiers(changed, clock().date())
    event = AuditEvent(
        "person.update", principal.subject, principal.agency_id, {"person": person_id, "fields": sorted(fields)}
    )
    await persons.update(changed, derived, event)
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
    facts = await _writable_case(principal, case_id, purpose, cases, clock())
    owner = await persons.recorded(person_id)
    if owner is None or principal.agency_id not in {facts.owner_agency_id, owner.owner_agency_id}:
        raise CaseNotFound(f"no person {person_id!r} on case {case_id!r}")
    event = AuditEvent("person.remove", principal.subject, principal.agency_id, {"case": case_id, "person": person_id})
    if not await persons.remove_from_case(case_id, person_id, event):
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
        await _writable_case(principal, holder.id, purpose, cases, now)
    else:
        await _person_to_change(principal, holder.id, persons, cases, now)
    identifier = normalise(kind, value, today=now.date())
    action = "identifier.add" if add else "identifier.remove"
    detail = {holder.kind.lower(): holder.id, "kind": identifier.kind.value}
    event = AuditEvent(action, principal.subject, principal.agency_id, detail)
    if add:
        await identifiers.attach(holder, identifier, event)
    elif not await identifiers.detach(holder, identifier, event):
        raise CaseNotFound(f"no such {identifier.kind.value} identifier on the {holder.kind.lower()}")
    return identifier


async def persons_on_cases(
    *, principal: Principal, case_ids: list[str], purpose: str | None, persons: PersonRepository, clock: Clock = utc_now
) -> dict[str, list[CasePerson]]:
    return await persons.persons_on(_reader(principal, purpose, clock), case_ids)


async def identifiers_of_cases(
    *,
    principal: Principal,
    case_ids: list[str],
    purpose: str | None,
    identifiers: IdentifierRepository,
    clock: Clock = utc_now,
) -> dict[str, list[Identifier]]:
    return await identifiers.of_cases(_reader(principal, purpose, clock), case_ids)


MAX_HOPS = 3


async def linked_cases(
    *,
    principal: Principal,
    case_id: str,
    max_hops: int,
    first: int,
    after: tuple[int, str] | None,
    purpose: str | None,
    links: LinkRepository,
    clock: Clock = utc_now,
) -> LinkedPage:
    """Who else holds what this case holds: the cases reached through shared identifiers, up to `max_hops`."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise InvalidCase(f"maxHops must be between 1 and {MAX_HOPS}")
    _check_page_size(first)
    page = await links.linked(_reader(principal, purpose, clock), case_id, max_hops, first, after)
    if page is None:
        raise CaseNotFound(f"no case {case_id!r}")
    return page


async def lookup_identifier(
    *,
    principal: Principal,
    kind: IdentifierKind,
    value: str,
    first: int,
    after: tuple[int, str] | None,
    purpose: str | None,
    links: LinkRepository,
    clock: Clock = utc_now,
) -> LinkedPage:
    """Who holds this identifier: the cases the reader may see, in full, and pointers to the others."""
    _check_page_size(first)
    now = clock()
    identifier = normalise(kind, value, today=now.date())
    return await links.holders(_reader(principal, purpose, lambda: now), identifier, first, after)


MAX_SEARCH_TEXT = 200


async def search_cases(
    *,
    principal: Principal,
    text: str,
    first: int,
    after: str | None,
    purpose: str | None,
    search: SearchRepository,
    clock: Clock = utc_now,
) -> SearchPage:
    """Cases whose title or summary match the words of `text`, among those the reader may see in full."""
    words = " ".join(text.split())
    if not any(character.isalnum() for character in words):
        raise InvalidCase("give at least one word to search for")
    if len(words) > MAX_SEARCH_TEXT:
        raise InvalidCase(f"search text has at most {MAX_SEARCH_TEXT} characters")
    _check_page_size(first)
    return await search.search(_reader(principal, purpose, clock), words, first, after)


MAX_PATH_CASES = 4


def path_end(*, person_id: str | None, kind: IdentifierKind | None, value: str | None, today: date) -> PathEnd:
    """One end of a link path: a person, or an identifier (normalised here)."""
    if (person_id is None) == (kind is None or value is None):
        raise InvalidCase("each end of a path is either a person (personId) or an identifier")
    if person_id is not None:
        return PathEnd(person_id=person_id)
    assert kind is not None
    assert value is not None
    return PathEnd(identifiers=(normalise(kind, value, today=today),))


async def link_path(
    *,
    principal: Principal,
    start: PathEnd,
    end: PathEnd,
    max_cases: int,
    purpose: str | None,
    paths: PathRepository,
    clock: Clock = utc_now,
) -> list[PathStep] | None:
    """The shortest chain of shared identifiers from `start` to `end` through cases the reader may see in full;
    None when there is none (or an end is a person the reader may not see)."""
    if not 1 <= max_cases <= MAX_PATH_CASES:
        raise InvalidCase(f"maxCases must be between 1 and {MAX_PATH_CASES}")
    reader = _reader(principal, purpose, clock)
    if same := sorted(set(start.identifiers) & set(end.identifiers), key=lambda i: (i.kind, i.value)):
        # Both ends named by the reader: the chain is that identifier, whether or not anyone holds it. Asking the
        # graph would tell whether some agency, perhaps on a case the reader may not see, has recorded it.
        return [PathStep(identifier=same[0])]
    return await paths.shortest(reader, start, end, max_cases)
