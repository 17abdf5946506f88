"""Expected failures of the case rules; the gateway maps each `code` to a stable GraphQL error code."""

from __future__ import annotations


class CaseError(Exception):
    code = "BAD_USER_INPUT"


class CaseNotFound(CaseError):
    code = "NOT_FOUND"


class CaseForbidden(CaseError):
    code = "FORBIDDEN"


class InvalidCase(CaseError):
    code = "BAD_USER_INPUT"


class PurposeRequired(CaseError):
    code = "PURPOSE_REQUIRED"
