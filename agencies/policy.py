"""The access policy: the reference for what a principal may see of a record.

The repositories in `graph/` push the same rule into Cypher; a property-based test holds the two together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from agencies.agreements import SharingAgreement
from agencies.principals import Principal, Scope

VICTIM_SERVICES_FIELDS = frozenset({"victim_services_notes"})


class AccessLevel(StrEnum):
    FULL = "FULL"
    """The record and its fields, less any redactions."""
    POINTER = "POINTER"
    """Only that the record exists, its owner agency and point of contact (deconfliction)."""
    NONE = "NONE"
    """Indistinguishable from a record that does not exist."""


@dataclass(frozen=True)
class CaseFacts:
    """What the policy needs to know of a case."""

    id: str
    owner_agency_id: str
    team_agency_ids: frozenset[str]
    labels: frozenset[str]


@dataclass(frozen=True)
class Decision:
    level: AccessLevel
    redacted: frozenset[str] = frozenset()
    via_agreement: str | None = None

    @property
    def visible(self) -> bool:
        return self.level is AccessLevel.FULL


NONE = Decision(AccessLevel.NONE)


def decide_case(
    principal: Principal, case: CaseFacts, agreements: Iterable[SharingAgreement], now: datetime
) -> Decision:
    """FULL for the owner agency and the case team; FULL with victim-services fields redacted (unless the
    agreement names them) under an active agreement from the owner that covers the case; otherwise NONE."""
    if not principal.has(Scope.CASES_READ):
        return NONE
    if principal.agency_id == case.owner_agency_id or principal.agency_id in case.team_agency_ids:
        return Decision(AccessLevel.FULL)
    covering = [
        agreement
        for agreement in agreements
        if agreement.grantor_id == case.owner_agency_id
        and agreement.grantee_id == principal.agency_id
        and agreement.active_at(now)
        and agreement.covers(case_id=case.id, labels=case.labels)
    ]
    if not covering:
        return NONE
    chosen = sorted(covering, key=lambda agreement: (not agreement.victim_services, agreement.id))[0]
    return Decision(
        AccessLevel.FULL,
        redacted=frozenset() if chosen.victim_services else VICTIM_SERVICES_FIELDS,
        via_agreement=chosen.id,
    )
