"""Records read back from the graph, built without checking them again.

Every value was checked when it was written, under the rules of that day. Rules tighten (a shorter phone,
fewer labels, a nearer end date), and a stored record that today's rule would refuse must still be read: a
case or a pointer that failed to load would vanish behind an error, and a conflict between two agencies would
go unseen. So the graph builds its domain records with `model_construct`, and only input is validated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agencies.agreements import Coverage, SharingAgreement
from agencies.models import PointOfContact
from cases.retention import IntelligenceRecord, Retention


def contact_from(name: str | None, phone: str | None, email: str | None) -> PointOfContact | None:
    if not name:
        return None
    return PointOfContact.model_construct(name=name, phone=phone or None, email=email or None)


def contact_of(stored: Mapping[str, Any] | None) -> PointOfContact | None:
    """A contact held as a map of `name`, `phone` and `email` (as the pointer queries return it)."""
    if not stored:
        return None
    return contact_from(stored.get("name"), stored.get("phone"), stored.get("email"))


def native(value: Any) -> Any:
    """A Neo4j date or datetime as Python's, None kept."""
    return value.to_native() if value is not None else None


def agreement_from(node: Any) -> SharingAgreement:
    valid_from = native(node.get("validFrom"))
    assert valid_from is not None, "an agreement is stored with its validFrom"
    return SharingAgreement.model_construct(
        id=node["id"],
        grantor_id=node["grantorId"],
        grantee_id=node["granteeId"],
        coverage=Coverage(node["coverage"]),
        labels=frozenset(node["labels"]),
        case_ids=frozenset(node["caseIds"]),
        victim_services=node["victimServices"],
        purpose=node["purpose"],
        valid_from=valid_from,
        valid_until=native(node.get("validUntil")),
        created_by=node["createdBy"],
        revoked_at=native(node.get("revokedAt")),
    )


def retention_from(c: Any) -> Retention | None:
    """The intelligence fields of a stored case, as read back (not checked again: see `graph.stored`)."""
    if not c.get("intelligence"):
        return None
    record = IntelligenceRecord.model_construct(
        reasonable_suspicion=c.get("reasonableSuspicion"),
        submitting_agency_id=c.get("submittingAgencyId"),
        control_official=c.get("controlOfficial"),
        sensitivity=c.get("sensitivity"),
        confidence=c.get("confidence"),
    )
    return Retention.model_construct(
        record=record,
        marked_on=native(c.get("markedOn")),
        validated_on=native(c.get("lastValidatedOn")),
        validated_by=c.get("lastValidatedBy"),
    )
