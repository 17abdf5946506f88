from __future__ import annotations

import pytest

from agencies.principals import AuthMethod, Role, Scope, principal_from_claims
from gateway.auth.limiter import FailureLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_fifth_failure_in_the_window_blocks_until_the_block_ends() -> None:
    clock = Clock()
    limiter = FailureLimiter(limit=5, window_seconds=900, block_seconds=600, clock=clock)
    assert [limiter.fail("10.0.0.1") for _ in range(4)] == [False] * 4
    assert not limiter.blocked("10.0.0.1")
    assert limiter.fail("10.0.0.1")
    assert limiter.blocked("10.0.0.1")
    assert not limiter.blocked("10.0.0.2")
    clock.now = 599
    assert limiter.blocked("10.0.0.1")
    clock.now = 600
    assert not limiter.blocked("10.0.0.1")


def test_failures_older_than_the_window_are_forgotten() -> None:
    clock = Clock()
    limiter = FailureLimiter(limit=5, window_seconds=900, block_seconds=600, clock=clock)
    for _ in range(4):
        limiter.fail("c")
    clock.now = 901
    assert not limiter.fail("c")
    assert not limiter.blocked("c")


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
