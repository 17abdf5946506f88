from __future__ import annotations

from datetime import timedelta

import pytest

from agencies.errors import Forbidden, InvalidInput
from agencies.principals import AuthMethod, Principal, Role, Scope, scopes_for
from agencies.token_rules import check_issue
from agencies.tokens import hash_secret, looks_like_sett_token, new_secret


def principal(*roles: Role, agency: str = "WASPD0000") -> Principal:
    held = frozenset(roles)
    return Principal(subject="s", agency_id=agency, roles=held, scopes=scopes_for(held), method=AuthMethod.JWT)


def test_a_supervisor_issues_analyst_tokens_for_its_own_agency() -> None:
    check_issue(
        principal(Role.SUPERVISOR),
        agency_id="WASPD0000",
        roles=frozenset({Role.ANALYST}),
        scopes=None,
        lifetime=timedelta(days=30),
    )


@pytest.mark.parametrize(
    ("issuer", "agency", "roles", "scopes"),
    [
        (principal(Role.ANALYST), "WASPD0000", {Role.ANALYST}, None),
        (principal(Role.SUPERVISOR), "WA0170000", {Role.ANALYST}, None),
        (principal(Role.SUPERVISOR), "WASPD0000", {Role.ADMIN}, None),
        (principal(Role.LIAISON), "WASPD0000", {Role.SUPERVISOR}, None),
        (principal(Role.LIAISON), "WASPD0000", {Role.ANALYST}, None),
    ],
)
def test_no_one_grants_more_than_they_hold(
    issuer: Principal, agency: str, roles: set[Role], scopes: set[Scope] | None
) -> None:
    with pytest.raises(Forbidden):
        check_issue(
            issuer,
            agency_id=agency,
            roles=frozenset(roles),
            scopes=frozenset(scopes) if scopes else None,
            lifetime=timedelta(days=1),
        )


def test_scopes_the_roles_do_not_allow_are_refused() -> None:
    with pytest.raises(InvalidInput, match="CASES_READ"):
        check_issue(
            principal(Role.ADMIN),
            agency_id="X",
            roles=frozenset({Role.LIAISON}),
            scopes=frozenset({Scope.CASES_READ}),
            lifetime=timedelta(days=1),
        )


def test_an_admin_issues_for_any_agency() -> None:
    check_issue(
        principal(Role.ADMIN),
        agency_id="WA0170000",
        roles=frozenset({Role.SUPERVISOR}),
        scopes=None,
        lifetime=timedelta(days=1),
    )


@pytest.mark.parametrize("lifetime", [timedelta(0), timedelta(days=366)])
def test_lifetimes_are_bounded(lifetime: timedelta) -> None:
    with pytest.raises(InvalidInput):
        check_issue(
            principal(Role.ADMIN), agency_id="X", roles=frozenset({Role.ANALYST}), scopes=None, lifetime=lifetime
        )


def test_secrets_are_random_well_formed_and_hashed() -> None:
    first, second = new_secret(), new_secret()
    assert first != second
    assert looks_like_sett_token(first)
    assert not looks_like_sett_token(first[:-1])
    assert hash_secret(first) != hash_secret(second)
    assert first not in hash_secret(first)
