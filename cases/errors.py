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


class InvalidIdentifier(CaseError):
    """Input that cannot be normalised into an identifier of `kind`; `reason` says what was wrong."""

    code = "BAD_USER_INPUT"

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"invalid {kind} identifier: {reason}")
        self.kind = kind
        self.reason = reason


class UnreadableImport(CaseError):
    """An import file that cannot be read at all, such as one whose encoding cannot be told from its name."""

    code = "BAD_USER_INPUT"


class ImportConflict(CaseError):
    """What an import batch read changed before it could write (a case number taken by another writer meanwhile,
    a person put on a case or moved out of the agency's reach): nothing of the batch was written, and it is
    planned again. Raised to the caller only when that keeps happening."""

    code = "CONFLICT"
