"""Criminal-intelligence records (28 CFR Part 23) in GraphQL: marking, validation, what is due, purge records."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial

import strawberry
from strawberry import Info

from agencies.principals import Scope
from cases import retention, retention_service
from gateway.cases.mutations import read_back
from gateway.cases.types import Case, IntelligenceRecordInput
from gateway.context import Context
from gateway.pagination import Connection, aware_moment, connection, decode_keyed, encode, page_size
from gateway.permissions import scope_permission


@strawberry.type(description="What a purge left: which record went, when and by whom; nothing of its content.")
class PurgeRecord:
    id: str
    at: datetime
    by: str
    case_id: str
    marked_on: date | None
    last_validated_on: date | None
    review_due: date | None
    persons: int = strawberry.field(description="Persons purged with the case: those no other case involved.")
    identifiers: int = strawberry.field(description="Identifiers purged with it: those nothing else held.")

    @classmethod
    def of(cls, record: retention.PurgeRecord) -> PurgeRecord:
        return cls(
            id=record.id,
            at=record.at,
            by=record.by,
            case_id=record.case_id,
            marked_on=record.marked_on,
            last_validated_on=record.last_validated_on,
            review_due=record.review_due,
            persons=record.persons,
            identifiers=record.identifiers,
        )


@strawberry.type
class RetentionQueries:
    @strawberry.field(
        permission_classes=scope_permission(Scope.CASES_READ),
        description="For your agency's SUPERVISORs: its intelligence records whose review date falls within "
        "`within` days from today or has passed, soonest first. What passes its review date unvalidated is purged.",
    )
    async def retention_due(
        self,
        info: Info[Context, None],
        within: int = retention.DEFAULT_DUE_WITHIN_DAYS,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Case]:
        page = await retention_service.retention_due(
            principal=info.context.require_principal(),
            within_days=within,
            first=page_size(first),
            after=decode_keyed("due", after, date.fromisoformat),
            retention=info.context.repositories.retention,
        )
        return connection(
            ((f"{case.review_due}|{case.id}", Case.of(case)) for case in page.cases),
            cursor=partial(encode, "due"),
            total=page.total,
            has_next=page.has_next,
        )

    @strawberry.field(
        permission_classes=scope_permission(Scope.AUDIT_READ),
        description="Your agency's intelligence records purged under 28 CFR Part 23, newest first.",
    )
    async def purge_records(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[PurgeRecord]:
        found, total, has_next = await retention_service.purge_records(
            principal=info.context.require_principal(),
            first=page_size(first),
            after=decode_keyed("purge", after, aware_moment),
            retention=info.context.repositories.retention,
        )
        return connection(
            ((f"{record.at.isoformat()}|{record.id}", PurgeRecord.of(record)) for record in found),
            cursor=partial(encode, "purge"),
            total=total,
            has_next=has_next,
        )


WRITE_CASES = scope_permission(Scope.CASES_WRITE)


@strawberry.type
class RetentionMutations:
    @strawberry.mutation(
        permission_classes=WRITE_CASES,
        description="Mark your agency's case as a criminal-intelligence record (28 CFR Part 23), or correct its "
        "record. reviewDue defaults to the latest allowed: five years after it was first marked or last validated.",
    )
    async def mark_intelligence_record(
        self,
        info: Info[Context, None],
        case_id: strawberry.ID,
        record: IntelligenceRecordInput,
        review_due: date | None = None,
    ) -> Case:
        await retention_service.mark_intelligence_record(
            principal=info.context.require_principal(),
            case_id=str(case_id),
            record=record.to_domain(),
            review_due=review_due,
            cases=info.context.repositories.cases,
            retention=info.context.repositories.retention,
        )
        return await read_back(info, str(case_id))

    @strawberry.mutation(
        permission_classes=WRITE_CASES,
        description="A SUPERVISOR of the owner agency finds the record still meets 28 CFR Part 23: the review is "
        "recorded with its rationale, and the review date moves to reviewDue or, by default, five years from today.",
    )
    async def validate_record(
        self, info: Info[Context, None], id: strawberry.ID, rationale: str, review_due: date | None = None
    ) -> Case:
        await retention_service.validate_record(
            principal=info.context.require_principal(),
            case_id=str(id),
            rationale=rationale,
            review_due=review_due,
            cases=info.context.repositories.cases,
            retention=info.context.repositories.retention,
        )
        return await read_back(info, str(id))
