"""Use cases of the agencies package: the directory, tokens and sharing agreements."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError

from agencies.agreements import Coverage, SharingAgreement
from agencies.audit import AuditEvent
from agencies.errors import Forbidden, InvalidInput, NotFound
from agencies.models import Agency
from agencies.ports import AgencyRepository, AgreementRepository, RevocationNotice, TokenCache, TokenRepository
from agencies.principals import Principal, Role, Scope, scopes_for
from agencies.text import clean_line
from agencies.token_rules import DEFAULT_LIFETIME, check_issue, check_manage
from agencies.tokens import TokenRecord, hash_secret, new_secret
from agencies.validation import invalid_input

BATCH_SIZE = 1000
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SeedReport:
    given: int
    created: int
    changed: int

    @property
    def unchanged(self) -> int:
        return self.given - self.created - self.changed


async def seed_agencies(
    *,
    agencies: Sequence[Agency],
    repository: AgencyRepository,
    on_progress: Callable[[int], None] = lambda done: None,
) -> SeedReport:
    """Loads reference agencies idempotently, in batches; `on_progress` hears how many are done."""
    created = changed = 0
    for start in range(0, len(agencies), BATCH_SIZE):
        batch = agencies[start : start + BATCH_SIZE]
        counts = await repository.upsert_many(batch)
        created += counts.created
        changed += counts.changed
        on_progress(start + len(batch))
    return SeedReport(given=len(agencies), created=created, changed=changed)


@dataclass(frozen=True)
class IssuedToken:
    secret: str
    """Shown once, to the issuer; only its hash is kept."""
    record: TokenRecord
    warnings: tuple[str, ...] = ()
    """What the issuer should know of what was issued, such as a lifetime shorter than asked for."""


async def issue_token(
    *,
    principal: Principal,
    agency_id: str,
    subject: str,
    roles: frozenset[Role],
    scopes: frozenset[Scope] | None,
    description: str,
    lifetime: timedelta = DEFAULT_LIFETIME,
    tokens: TokenRepository,
    agencies: AgencyRepository,
    clock: Clock = utc_now,
) -> IssuedToken:
    check_issue(principal, agency_id=agency_id, roles=roles, scopes=scopes, lifetime=lifetime)
    subject = _text("subject", subject, 200)
    description = _text("description", description, 500)
    if not await agencies.exists(agency_id):
        raise InvalidInput(f"no agency {agency_id!r} in the directory")
    now = clock()
    expires_at = now + lifetime
    warnings: tuple[str, ...] = ()
    if principal.expires_at is not None and principal.expires_at < expires_at:
        expires_at = principal.expires_at  # never outlive the credential that issued it
        warnings = (
            f"the token expires at {expires_at:%Y-%m-%d %H:%M} UTC, with the credential that issued it, "
            "rather than after the lifetime asked for",
        )
    secret = new_secret()
    record = TokenRecord(
        id=str(uuid.uuid4()),
        hash=hash_secret(secret),
        display=secret[:9] + "…",
        agency_id=agency_id,
        subject=subject,
        roles=roles,
        scopes=scopes_for(roles, scopes),
        expires_at=expires_at,
        created_at=now,
        created_by=principal.subject,
        description=description,
    )
    event = AuditEvent(
        "token.issue",
        principal.subject,
        principal.agency_id,
        {
            "token": record.id,
            "for_agency": agency_id,
            "subject": subject,
            "roles": sorted(roles),
            "expires_at": record.expires_at.isoformat(),
        },
    )
    await tokens.create(record, event)
    return IssuedToken(secret=secret, record=record, warnings=warnings)


def _text(field: str, value: str, max_chars: int) -> str:
    try:
        return clean_line(value, max_chars=max_chars)
    except ValueError as error:
        raise InvalidInput(f"{field} {error}") from None


async def list_tokens(*, principal: Principal, agency_id: str | None, tokens: TokenRepository) -> list[TokenRecord]:
    """Tokens of one agency (default: the principal's); only an ADMIN may list every agency's."""
    target = agency_id or (None if principal.is_(Role.ADMIN) else principal.agency_id)
    check_manage(principal, token_agency_id=target)
    return await tokens.list(target)


async def revoke_token(
    *, principal: Principal, token_id: str, tokens: TokenRepository, notice: RevocationNotice, clock: Clock = utc_now
) -> TokenRecord:
    """Revokes at once: the very next request with the token is refused, by every gateway that `notice` tells."""
    existing = await tokens.by_id(token_id)
    if existing is None or not (principal.is_(Role.ADMIN) or existing.agency_id == principal.agency_id):
        raise NotFound(f"no token {token_id!r}")
    check_manage(principal, token_agency_id=existing.agency_id)
    event = AuditEvent("token.revoke", principal.subject, principal.agency_id, {"token": token_id})
    revoked = await tokens.revoke(token_id, clock(), event)
    if revoked is None:
        raise NotFound(f"no token {token_id!r}")
    await notice.revoked(revoked)
    return revoked


async def authenticate_token(
    *, secret: str, tokens: TokenRepository, cache: TokenCache | None = None, clock: Clock = utc_now
) -> Principal | None:
    """The principal a Sett token stands for, or None when it is unknown, expired or revoked."""
    token_hash, now = hash_secret(secret), clock()
    record = cache.get(token_hash, now) if cache is not None else None
    if record is None:
        generation = cache.generation if cache is not None else 0
        record = await tokens.by_hash(token_hash)
        if record is not None and record.usable_at(now) and cache is not None:
            cache.put(record, generation)
    if record is None or not record.usable_at(now):
        return None
    return record.principal


async def create_agreement(
    *,
    principal: Principal,
    grantee_id: str,
    coverage: Coverage,
    labels: frozenset[str],
    case_ids: frozenset[str],
    victim_services: bool,
    purpose: str,
    valid_from: datetime | None,
    valid_until: datetime | None,
    agreements: AgreementRepository,
    agencies: AgencyRepository,
    clock: Clock = utc_now,
) -> SharingAgreement:
    """A SUPERVISOR of the grantor agency shares the grantor's cases with the grantee."""
    if not (principal.is_(Role.SUPERVISOR) and principal.has(Scope.SHARE_MANAGE)):
        raise Forbidden("only a SUPERVISOR with the SHARE_MANAGE scope can create sharing agreements")
    if not await agencies.exists(grantee_id):
        raise InvalidInput(f"no agency {grantee_id!r} in the directory")
    if coverage is not Coverage.NAMED_CASES and case_ids:
        raise InvalidInput("caseIds are named only in an agreement on NAMED_CASES")
    if coverage is not Coverage.LABELLED_CASES and labels:
        raise InvalidInput("labels are named only in an agreement on LABELLED_CASES")
    try:
        agreement = SharingAgreement(
            id=str(uuid.uuid4()),
            grantor_id=principal.agency_id,
            grantee_id=grantee_id,
            coverage=coverage,
            labels=labels,
            case_ids=case_ids,
            victim_services=victim_services,
            purpose=purpose,
            valid_from=valid_from or clock(),
            valid_until=valid_until,
            created_by=principal.subject,
        )
    except ValidationError as error:
        raise invalid_input(error) from None
    not_owned = await agreements.not_owned(principal.agency_id, agreement.case_ids)
    if not_owned:  # another agency's case and a missing one read alike: nothing is told of either
        raise InvalidInput(f"no case {not_owned[0]!r} among your agency's cases")
    event = AuditEvent(
        "agreement.create",
        principal.subject,
        principal.agency_id,
        {
            "agreement": agreement.id,
            "grantee": grantee_id,
            "coverage": coverage.value,
            "victim_services": victim_services,
            "purpose": agreement.purpose,
        },
    )
    await agreements.create(agreement, event)
    return agreement


async def revoke_agreement(
    *, principal: Principal, agreement_id: str, agreements: AgreementRepository, clock: Clock = utc_now
) -> SharingAgreement:
    """The grantor ends an agreement at once; it grants nothing from the next request on."""
    existing = await agreements.by_id(agreement_id)
    if existing is None or principal.agency_id not in (existing.grantor_id, existing.grantee_id):
        raise NotFound(f"no agreement {agreement_id!r}")
    if principal.agency_id != existing.grantor_id or not principal.has(Scope.SHARE_MANAGE):
        raise Forbidden("only the grantor agency (with SHARE_MANAGE) can revoke an agreement")
    event = AuditEvent("agreement.revoke", principal.subject, principal.agency_id, {"agreement": agreement_id})
    revoked = await agreements.revoke(agreement_id, clock(), event)
    if revoked is None:
        raise NotFound(f"no agreement {agreement_id!r}")
    return revoked


async def list_agreements(*, principal: Principal, agreements: AgreementRepository) -> list[SharingAgreement]:
    """Agreements the principal's agency grants or receives."""
    if not (principal.has(Scope.SHARE_MANAGE) or principal.has(Scope.CASES_READ)):
        raise Forbidden("listing sharing agreements needs the SHARE_MANAGE or CASES_READ scope")
    return await agreements.involving(principal.agency_id)
