"""The counting rules of failed authentications, with a clock the test moves."""

from __future__ import annotations

from ipaddress import ip_address

from gateway.auth.limiter import (
    FailureRule,
    FailureRules,
    KnownBlocks,
    address_key,
    credential_key,
    retry_after,
)
from graph.auth_failures import FailureCount

RULE = FailureRule(limit=5, window_seconds=900, block_seconds=600)
RULES = FailureRules(address=FailureRule(limit=3, window_seconds=60, block_seconds=300), credential=RULE)
ADDRESS, CREDENTIAL = "address:192.0.2.1", credential_key("sett_stale")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def fail(rule: FailureRule, count: FailureCount | None, times: int, now: float) -> FailureCount | None:
    for _ in range(times):
        count = rule.after_failure(count, now)
    return count


def test_the_fifth_failure_in_the_window_blocks_until_the_block_ends() -> None:
    four = fail(RULE, None, 4, now=0)
    assert four is not None
    assert (four.count, RULE.blocked_until(four, 0)) == (4, None)
    five = RULE.after_failure(four, 10)
    assert RULE.blocked_until(five, 10) == 610
    assert RULE.blocked_until(five, 609.9) == 610
    assert RULE.blocked_until(five, 610) is None
    assert five.expires_at == 610


def test_failures_older_than_the_window_are_forgotten() -> None:
    four = fail(RULE, None, 4, now=0)
    fresh = RULE.after_failure(four, 900)
    assert (fresh.count, fresh.window_start, RULE.blocked_until(fresh, 900)) == (1, 900, None)
    assert fresh.expires_at == 1800


def test_a_failure_during_a_block_neither_counts_nor_extends_it() -> None:
    blocked = fail(RULE, None, 5, now=0)
    assert RULE.after_failure(blocked, 300) == blocked
    after = RULE.after_failure(blocked, 600)
    assert (after.count, RULE.blocked_until(after, 600)) == (1, None)


def test_one_failure_counts_against_the_address_and_the_credential_each_by_its_own_rule() -> None:
    counts, verdict = RULES.one_failure(ADDRESS, CREDENTIAL, {}, now=0)
    assert verdict.counted
    assert not verdict.blocked_until
    assert counts[ADDRESS] == FailureCount(count=1, window_start=0, expires_at=60)
    assert counts[CREDENTIAL] == FailureCount(count=1, window_start=0, expires_at=900)


def test_the_address_blocks_on_its_own_limit_and_the_answer_says_until_when() -> None:
    stored: dict[str, FailureCount | None] = {}
    for second in range(3):
        stored, verdict = RULES.one_failure(ADDRESS, credential_key(f"guess-{second}"), stored, now=second)
    assert verdict.started == (ADDRESS,)
    assert verdict.blocked_until == 2 + 300


def test_from_a_blocked_address_a_failure_is_not_counted_not_even_against_its_credential() -> None:
    blocked = {ADDRESS: FailureCount(blocked_until=300, expires_at=300)}
    counts, verdict = RULES.one_failure(ADDRESS, CREDENTIAL, {**blocked, CREDENTIAL: None}, now=10)
    assert not verdict.counted
    assert verdict.blocked_until == 300
    assert counts == {ADDRESS: blocked[ADDRESS], CREDENTIAL: None}  # nothing is kept for the credential


def test_a_blocked_credential_still_counts_against_its_address() -> None:
    blocked = FailureCount(blocked_until=500, expires_at=500)
    counts, verdict = RULES.one_failure(ADDRESS, CREDENTIAL, {CREDENTIAL: blocked}, now=10)
    assert verdict.counted
    assert verdict.blocked_until == 500
    assert counts[CREDENTIAL] == blocked
    assert counts[ADDRESS] == FailureCount(count=1, window_start=10, expires_at=70)


def test_without_a_credential_only_the_address_is_counted() -> None:
    counts, verdict = RULES.one_failure(ADDRESS, None, {}, now=0)
    assert list(counts) == [ADDRESS]
    assert verdict.counted


def test_credentials_are_kept_only_as_a_hash() -> None:
    key = credential_key("sett_" + "x" * 43)
    assert key.startswith("credential:")
    assert "x" * 8 not in key
    assert len(key.partition(":")[2]) == 64
    assert credential_key("a") != credential_key("b")


def test_ipv6_addresses_are_counted_by_their_64_and_ipv4_one_by_one() -> None:
    assert address_key(ip_address("2001:db8:1:2:aaaa::1")) == address_key(ip_address("2001:db8:1:2:ffff::9"))
    assert address_key(ip_address("2001:db8:1:2::1")) == "address:2001:db8:1:2::/64"
    assert address_key(ip_address("2001:db8:1:3::1")) != address_key(ip_address("2001:db8:1:2::1"))
    assert address_key(ip_address("192.0.2.1")) != address_key(ip_address("192.0.2.2"))
    assert address_key(None) == "address:unknown"


def test_retry_after_is_whole_seconds_and_never_zero() -> None:
    assert retry_after(100.2, 0) == 101
    assert retry_after(100, 100) == 1


def test_known_blocks_end_with_their_block() -> None:
    clock = Clock()
    known = KnownBlocks(clock=clock)
    assert not known
    known.note(ADDRESS, clock.now + 60)
    assert known
    assert known.until(ADDRESS, None, CREDENTIAL) == clock.now + 60
    clock.now += 60
    assert known.until(ADDRESS) == 0
    assert not known


def test_known_blocks_keep_the_latest_of_several_keys_and_stay_bounded() -> None:
    clock = Clock()
    known = KnownBlocks(maxsize=3, clock=clock)
    known.note(ADDRESS, clock.now + 10)
    known.note(CREDENTIAL, clock.now + 20)
    assert known.until(ADDRESS, CREDENTIAL) == clock.now + 20
    for n in range(5):
        known.note(f"address:198.51.100.{n}", clock.now + 100 + n)
    assert known.until("address:198.51.100.4") == clock.now + 104
    assert known.until(ADDRESS) == 0  # the block ending first made room
    assert sum(bool(known.until(f"address:198.51.100.{n}")) for n in range(5)) == 3
