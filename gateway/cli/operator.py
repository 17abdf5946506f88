"""The principal the command line acts as: a person with shell access to the deployment is its ADMIN."""

from __future__ import annotations

import getpass

from agencies.principals import AuthMethod, Principal, Role, Scope

OPERATOR_AGENCY = "USOVC0000"


def operator() -> Principal:
    return Principal(
        subject=f"cli:{getpass.getuser()}",
        agency_id=OPERATOR_AGENCY,
        roles=frozenset({Role.ADMIN}),
        scopes=frozenset({Scope.TOKENS_MANAGE, Scope.AUDIT_READ}),
        method=AuthMethod.SETT_TOKEN,
    )
