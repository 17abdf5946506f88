from __future__ import annotations

from datetime import datetime

import strawberry

from agencies import models, principals, tokens

strawberry.enum(models.AgencyLevel)
strawberry.enum(principals.Role)
strawberry.enum(principals.Scope)


@strawberry.type
class PointOfContact:
    name: str
    phone: str | None
    email: str | None

    @classmethod
    def of(cls, contact: models.PointOfContact | None) -> PointOfContact | None:
        return cls(name=contact.name, phone=contact.phone, email=contact.email) if contact else None


@strawberry.type(description="A law-enforcement or victim-services agency. Directory data is not sensitive.")
class Agency:
    id: str
    name: str
    level: models.AgencyLevel
    state: str | None
    county: str | None
    agency_type: str | None
    point_of_contact: PointOfContact | None

    @classmethod
    def of(cls, agency: models.Agency) -> Agency:
        return cls(
            id=agency.id,
            name=agency.name,
            level=agency.level,
            state=agency.state,
            county=agency.county,
            agency_type=agency.agency_type,
            point_of_contact=PointOfContact.of(agency.point_of_contact),
        )


@strawberry.type(description="Who is calling: the principal the bearer credential stands for.")
class Me:
    subject: str
    agency_id: str
    roles: list[principals.Role]
    scopes: list[principals.Scope]
    method: str
    sworn: bool
    part23_certified: bool
    token_expires_at: datetime | None

    @classmethod
    def of(cls, principal: principals.Principal) -> Me:
        return cls(
            subject=principal.subject,
            agency_id=principal.agency_id,
            roles=sorted(principal.roles),
            scopes=sorted(principal.scopes),
            method=principal.method.value,
            sworn=principal.sworn,
            part23_certified=principal.part23_certified,
            token_expires_at=principal.expires_at,
        )


@strawberry.type(description="A Sett token as stored: never its secret.")
class Token:
    id: str
    display: str
    agency_id: str
    subject: str
    roles: list[principals.Role]
    scopes: list[principals.Scope]
    description: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, record: tokens.TokenRecord) -> Token:
        return cls(
            id=record.id,
            display=record.display,
            agency_id=record.agency_id,
            subject=record.subject,
            roles=sorted(record.roles),
            scopes=sorted(record.principal.scopes),  # what it may do, for tokens stored with every scope too
            description=record.description,
            created_by=record.created_by,
            created_at=record.created_at,
            expires_at=record.expires_at,
            revoked_at=record.revoked_at,
        )


@strawberry.type(description="A newly issued token. The secret is shown this once and never again.")
class IssuedToken:
    secret: str
    token: Token
    warnings: list[str] = strawberry.field(
        description="What the issuer should know, such as a lifetime cut short to the issuing credential's."
    )
