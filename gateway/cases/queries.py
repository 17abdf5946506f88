from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Annotated

import strawberry
from cryptography.fernet import Fernet
from strawberry import Info

from agencies.errors import InvalidInput
from agencies.principals import Scope
from cases import link_service, service
from cases.models import CaseFilter, LinkedPage
from gateway.cases.types import Case, CaseFilterInput, IdentifierInput, LinkedCase, PathEndInput, PathStep
from gateway.context import Context
from gateway.pagination import Connection, connection, decode, encode, page_size, seal, selects_total, unseal
from gateway.permissions import scope_permission
from graph.recorded_reads import recording_for_field

READ_CASES = scope_permission(Scope.CASES_READ)


@strawberry.type
class CaseQueries:
    @strawberry.field(
        permission_classes=READ_CASES,
        description="A case you may see. Another agency's case needs the X-Sett-Purpose header and is recorded.",
    )
    async def case(self, info: Info[Context, None], id: strawberry.ID) -> Case:
        with recording_for_field(info.path.key):
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
        with recording_for_field(info.path.key):
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
            ((case.id, Case.of(case)) for case in page.cases),
            cursor=partial(encode, "case"),
            total=page.total,
            has_next=page.has_next,
        )

    @strawberry.field(
        permission_classes=READ_CASES,
        description="Cases that share identifiers with a case you may see, nearest first: in full where you may "
        "see them, else as a pointer to call their owner. A path never continues through a case you may not see. "
        "Another agency's case in full needs the X-Sett-Purpose header and is recorded; so is every pointer.",
    )
    async def linked_cases(
        self,
        info: Info[Context, None],
        case_id: strawberry.ID,
        max_hops: int = 1,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[LinkedCase]:
        with recording_for_field(info.path.key):
            page = await link_service.linked_cases(
                principal=info.context.require_principal(),
                case_id=str(case_id),
                max_hops=max_hops,
                first=page_size(first),
                after=_link_position(unseal(_sealer(info), "link", after)),
                purpose=info.context.purpose,
                links=info.context.repositories.links,
            )
        return _links(info, page)

    @strawberry.field(
        permission_classes=READ_CASES,
        description="Who holds an identifier, normalised first: the cases you may see in full, and pointers to "
        "the others. Audited; another agency's case in full needs the X-Sett-Purpose header.",
    )
    async def lookup_identifier(
        self,
        info: Info[Context, None],
        identifier: IdentifierInput,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[LinkedCase]:
        with recording_for_field(info.path.key):
            page = await link_service.lookup_identifier(
                principal=info.context.require_principal(),
                kind=identifier.kind,
                value=identifier.value,
                first=page_size(first),
                after=_link_position(unseal(_sealer(info), "link", after)),
                purpose=info.context.purpose,
                links=info.context.repositories.links,
            )
        return _links(info, page)

    @strawberry.field(
        permission_classes=READ_CASES,
        description="Cases you may see in full whose title or summary contain any of the words, in id order. "
        "Audited; another agency's case needs the X-Sett-Purpose header and is recorded.",
    )
    async def search_cases(
        self, info: Info[Context, None], text: str, first: int | None = None, after: str | None = None
    ) -> Connection[Case]:
        with recording_for_field(info.path.key):
            page = await link_service.search_cases(
                principal=info.context.require_principal(),
                text=text,
                first=page_size(first),
                after=decode("search", after),
                purpose=info.context.purpose,
                search=info.context.repositories.search,
            )
        return connection(
            ((hit.position, Case.of(hit.case)) for hit in page.hits),
            cursor=partial(encode, "search"),
            total=page.total,
            has_next=page.has_next,
        )

    @strawberry.field(
        permission_classes=READ_CASES,
        description="The shortest chain of shared identifiers between two ends (persons or identifiers), through "
        "cases you may see in full; it may end in a pointer to a hidden case that holds the end you named. Null "
        "when there is none, or an end is a person you may not see. Audited.",
    )
    async def link_path(
        self,
        info: Info[Context, None],
        from_: Annotated[PathEndInput, strawberry.argument(name="from")],
        to: PathEndInput,
        max_cases: int = link_service.MAX_PATH_CASES,
    ) -> list[PathStep] | None:
        today = datetime.now(UTC).date()
        ends = [
            link_service.path_end(
                person_id=str(end.person_id) if end.person_id is not None else None,
                kind=end.identifier.kind if end.identifier else None,
                value=end.identifier.value if end.identifier else None,
                today=today,
            )
            for end in (from_, to)
        ]
        with recording_for_field(info.path.key):
            steps = await link_service.link_path(
                principal=info.context.require_principal(),
                start=ends[0],
                end=ends[1],
                max_cases=max_cases,
                purpose=info.context.purpose,
                paths=info.context.repositories.paths,
            )
        return [PathStep.of(step) for step in steps] if steps is not None else None


def _links(info: Info[Context, None], page: LinkedPage) -> Connection[LinkedCase]:
    return connection(
        ((link.position, LinkedCase.of(link)) for link in page.links),
        cursor=partial(seal, _sealer(info), "link"),
        total=page.total if selects_total(info) else None,
        has_next=page.has_next,
    )


def _sealer(info: Info[Context, None]) -> Fernet:
    assert info.context.sealer is not None  # the app's lifespan makes it
    return info.context.sealer


def _link_position(position: str | None) -> tuple[int, str] | None:
    if position is None:
        return None
    hops, _, key = position.partition("|")
    if not hops.isdigit() or not key:
        raise InvalidInput("not a cursor of this list")
    return int(hops), key
