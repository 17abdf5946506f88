from __future__ import annotations

import pytest

from agencies.principals import AuthMethod, Role, Scope, principal_from_claims


def test_claims_become_a_principal_with_role_scopes_narrowed_by_scope_claim() -> None:
    principal = principal_from_claims(
        {
            "sub": "d-1",
            "ori": "WASPD0000",
            "roles": ["SUPERVISOR", "UNKNOWN"],
            "sworn": True,
            "part23_certified": True,
            "scope": "cases:read audit:read strategy:report",
            "exp": 1_900_000_000,
        }
    )
    assert principal.roles == frozenset({Role.SUPERVISOR})
    assert principal.scopes == frozenset({Scope.CASES_READ, Scope.AUDIT_READ})
    assert principal.method is AuthMethod.JWT
    assert principal.sworn
    assert principal.part23_certified
    assert principal.expires_at is not None


@pytest.mark.parametrize(
    "claims",
    [
        {"ori": "WASPD0000", "roles": ["ANALYST"]},
        {"sub": "x", "roles": ["ANALYST"]},
        {"sub": "x", "ori": "wa-spd", "roles": ["ANALYST"]},
        {"sub": "x", "ori": "WASPD0000", "roles": "ANALYST"},
        {"sub": "x", "ori": "WASPD0000", "roles": []},
    ],
)
def test_incomplete_claims_are_refused(claims: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="JWT"):
        principal_from_claims(claims)
