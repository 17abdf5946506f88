"""What the agency rules need from storage; `graph/` implements each of these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from agencies.agreements import SharingAgreement
from agencies.audit import AuditEvent
from agencies.models import Agency
from agencies.tokens import TokenRecord


@dataclass(frozen=True)
class UpsertCounts:
    created: int
    changed: int


class AgencyRepository(Protocol):
    async def upsert_many(self, agencies: Sequence[Agency]) -> UpsertCounts:
        """Creates missing agencies and updates changed ones; leaves identical ones untouched."""
        ...

    async def count(self) -> int: ...

    async def exists(self, agency_id: str) -> bool: ...


class TokenRepository(Protocol):
    async def create(self, token: TokenRecord, event: AuditEvent) -> None: ...

    async def by_hash(self, token_hash: str) -> TokenRecord | None: ...

    async def by_id(self, token_id: str) -> TokenRecord | None: ...

    async def list(self, agency_id: str | None) -> list[TokenRecord]: ...

    async def revoke(self, token_id: str, now: datetime, event: AuditEvent) -> TokenRecord | None: ...


class TokenCache(Protocol):
    """Usable tokens kept near the gateway, so that authentication needs no database round trip."""

    @property
    def generation(self) -> int:
        """Taken before a lookup in storage, and given back to `put`: a revocation in between voids the put."""
        ...

    def get(self, token_hash: str, now: datetime) -> TokenRecord | None: ...

    def put(self, record: TokenRecord, generation: int) -> None: ...


class RevocationNotice(Protocol):
    async def revoked(self, token: TokenRecord) -> None:
        """Tells every process that caches tokens that this one is revoked; raises
        `RevocationNotAnnounced` when that could not be done."""
        ...


class AgreementRepository(Protocol):
    async def create(self, agreement: SharingAgreement, event: AuditEvent) -> None: ...

    async def not_owned(self, grantor_id: str, case_ids: frozenset[str]) -> list[str]:
        """Those of `case_ids` that are not cases of the grantor agency (or not cases at all)."""
        ...

    async def by_id(self, agreement_id: str) -> SharingAgreement | None: ...

    async def involving(self, agency_id: str) -> list[SharingAgreement]: ...

    async def revoke(self, agreement_id: str, now: datetime, event: AuditEvent) -> SharingAgreement | None: ...


class AuditLog(Protocol):
    async def append(self, event: AuditEvent) -> None: ...
