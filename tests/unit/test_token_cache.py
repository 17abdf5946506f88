from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agencies.principals import Role, Scope
from agencies.tokens import TokenRecord
from gateway.auth.token_cache import TokenCache

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def record(hash_: str = "h1", expires_in: timedelta = timedelta(hours=1)) -> TokenRecord:
    return TokenRecord(
        id=f"id-{hash_}",
        hash=hash_,
        display="sett_abcd…",
        agency_id="WASPD0000",
        subject="analyst@WASPD0000",
        roles=frozenset({Role.ANALYST}),
        scopes=frozenset(Scope),
        expires_at=NOW + expires_in,
        created_at=NOW - timedelta(hours=1),
        created_by="test",
        description="test",
    )


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_put_token_is_found_until_forgotten() -> None:
    cache = TokenCache(trusted=lambda: True)
    cache.put(record(), cache.generation)
    assert cache.get("h1", NOW) == record()
    cache.forget("h1")
    assert cache.get("h1", NOW) is None


def test_nothing_is_cached_or_served_while_revocations_might_be_missed() -> None:
    trusted = [False]
    cache = TokenCache(trusted=lambda: trusted[0])
    cache.put(record(), cache.generation)
    trusted[0] = True
    assert cache.get("h1", NOW) is None
    cache.put(record(), cache.generation)
    trusted[0] = False
    assert cache.get("h1", NOW) is None


def test_an_entry_ends_at_its_tokens_expiry_and_after_the_ttl() -> None:
    clock = Clock()
    cache = TokenCache(trusted=lambda: True, ttl_seconds=60, clock=clock)
    cache.put(record("short", timedelta(seconds=5)), cache.generation)
    assert cache.get("short", NOW + timedelta(seconds=5)) is None
    cache.put(record("long"), cache.generation)
    clock.now = 59.9
    assert cache.get("long", NOW) is not None
    clock.now = 60
    assert cache.get("long", NOW) is None


def test_the_least_recently_cached_entries_go_first_when_full() -> None:
    cache = TokenCache(trusted=lambda: True, maxsize=2)
    for name in ("a", "b", "c"):
        cache.put(record(name), cache.generation)
    assert [cache.get(name, NOW) is not None for name in ("a", "b", "c")] == [False, True, True]


def test_clear_drops_everything() -> None:
    cache = TokenCache(trusted=lambda: True)
    cache.put(record(), cache.generation)
    cache.clear()
    assert cache.get("h1", NOW) is None


def test_a_record_read_before_a_revocation_was_heard_is_not_cached() -> None:
    cache = TokenCache(trusted=lambda: True)
    taken = cache.generation  # the lookup in Neo4j starts
    cache.forget("h1")  # the revocation arrives while it runs
    cache.put(record(), taken)
    assert cache.get("h1", NOW) is None


def test_a_record_read_before_a_gap_is_not_cached() -> None:
    cache = TokenCache(trusted=lambda: True)
    taken = cache.generation
    cache.clear()
    cache.put(record(), taken)
    assert cache.get("h1", NOW) is None


def test_a_cached_token_serves_one_principal_built_once() -> None:
    cache = TokenCache(trusted=lambda: True)
    cache.put(record(), cache.generation)
    first, again = cache.get("h1", NOW), cache.get("h1", NOW)
    assert first is not None
    assert again is not None
    assert first.principal is again.principal
    assert (first.principal.subject, first.principal.agency_id, first.principal.token_id) == (
        "analyst@WASPD0000",
        "WASPD0000",
        "id-h1",
    )
