"""Expected failures of the agency rules; the gateway maps each to a stable error code."""

from __future__ import annotations


class AgencyError(Exception):
    """Root of the errors this package raises on purpose."""

    code = "BAD_USER_INPUT"


class Unauthenticated(AgencyError):
    code = "UNAUTHENTICATED"


class Forbidden(AgencyError):
    code = "FORBIDDEN"


class NotFound(AgencyError):
    code = "NOT_FOUND"


class InvalidInput(AgencyError):
    code = "BAD_USER_INPUT"


class RevocationNotAnnounced(AgencyError):
    """The revocation is stored, but the gateways could not all be told at once."""

    code = "SERVICE_UNAVAILABLE"
