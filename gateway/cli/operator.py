"""The principals the command line acts as: a person with shell access to the deployment is its operator."""

from __future__ import annotations

import getpass

from agencies.principals import AuthMethod, Principal, Role, Scope

OPERATOR_AGENCY = "USOVC0000"


def operator_subject() -> str:
    """Who is at the shell, as the audit log names them."""
    return f"cli:{getpass.getuser()}"


def operator() -> Principal:
    """The deployment's ADMIN: tokens and the audit log."""
    return Principal(
        subject=operator_subject(),
        agency_id=OPERATOR_AGENCY,
        roles=frozenset({Role.ADMIN}),
        scopes=frozenset({Scope.TOKENS_MANAGE, Scope.AUDIT_READ}),
        method=AuthMethod.SETT_TOKEN,
    )


def importer(agency_id: str) -> Principal:
    """The operator bringing an agency's records in (`sett import`): an analyst of that agency and of no other.
    What the API asks of an import (CASES_WRITE and CASES_READ, into the caller's own agency) holds for it too:
    the rejects tell what the agency's graph holds (which of its cases holds a case number)."""
    return Principal(
        subject=operator_subject(),
        agency_id=agency_id,
        roles=frozenset({Role.ANALYST}),
        scopes=frozenset({Scope.CASES_WRITE, Scope.CASES_READ}),
        method=AuthMethod.SETT_TOKEN,
    )
