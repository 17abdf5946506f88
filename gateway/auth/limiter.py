"""Repeated authentication failures, counted per client address and per credential, and answered 429.

What is counted. A request whose bearer credential does not authenticate is one failure of its client address
and one of its credential (a hash of it: never the credential itself). Each has its own rule (`FailureRule`:
so many failures within a window start a block of so many seconds). IPv6 addresses are counted by their /64,
which one subscriber or one host usually holds whole; IPv4 addresses one by one.

What a block does, and what it never does.
- A valid credential is always served, whatever its address: an agency behind one NAT address is not locked
  out because one of its clients keeps sending a stale token.
- A blocked *credential* is answered 429 without being checked again: it failed often enough. (The one
  credential that could fail and later succeed, a JWT refused as not yet valid, waits for its block to end.)
- From a blocked *address*, a credential is still checked, and served if it is valid; one that fails is
  answered 429 (not 401, and without the reason), is not counted (so an attacker cycling through made-up
  credentials leaves no count behind for each) and is not audited (only logged). Serving a valid credential
  does tell a guesser that the guess was right, as a 200 would without any limiter: what protects a
  credential from guessing is its size (a Sett token holds 256 random bits, a JWT needs the identity
  provider's signature), not the limiter. The limiter keeps what failures cost bounded — audit entries and
  count writes per address and window — and tells clients to back off.
- `/healthz`, `/readyz` and `/metrics` are never limited (see the middleware).

Where the counts are. In Neo4j (`graph/auth_failures.py`), so that every replica of a deployment sees the same
counts, with or without a broker. Reading them costs a round trip, so they are read only when a credential has
just failed: a request with a valid credential (from the token cache, or a JWT) pays nothing for the limiter,
and an anonymous request neither. Each process also remembers the blocks it has learnt of (`KnownBlocks`): a
credential known blocked is refused without a lookup, and a failure from an address known blocked answers 429
without a write. The price: another replica learns of a block only when a failing credential reaches it, so
each replica checks a blocked credential once before it refuses it unchecked (the answer is 429 either way).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from ipaddress import IPv6Address, IPv6Network
from typing import Protocol

from neo4j.exceptions import DriverError, Neo4jError

from gateway.auth.client_address import Address
from graph.auth_failures import Change, FailureCount

log = logging.getLogger("sett.auth")

IPV6_PREFIX = 64
MAX_KNOWN_BLOCKS = 10_000
PURGE_SECONDS = 10.0


@dataclass(frozen=True)
class FailureRule:
    """`limit` failures of one key within `window_seconds` (from its first failure) block it `block_seconds`."""

    limit: int
    window_seconds: float
    block_seconds: float

    def blocked_until(self, count: FailureCount | None, now: float) -> float | None:
        if count is None or count.blocked_until is None or now >= count.blocked_until:
            return None
        return count.blocked_until

    def after_failure(self, count: FailureCount | None, now: float) -> FailureCount:
        """The count after one more failure. A failure during a block changes nothing (nor extends it)."""
        if count is not None and self.blocked_until(count, now) is not None:
            return count
        if count is None or count.window_start is None or now >= count.window_start + self.window_seconds:
            failures, start = 1, now
        else:
            failures, start = count.count + 1, count.window_start
        if failures >= self.limit:
            until = now + self.block_seconds
            return FailureCount(count=0, window_start=None, blocked_until=until, expires_at=until)
        return FailureCount(count=failures, window_start=start, expires_at=start + self.window_seconds)


@dataclass(frozen=True)
class Verdict:
    counted: bool
    """The failure was counted (and is audited); False when it came from a blocked address, or the counts could
    not be reached."""
    blocked_until: float
    """When the later block of the address and the credential ends; 0 when neither is blocked: answer 401."""
    started: tuple[str, ...] = ()
    """The keys this failure blocked."""


def retry_after(blocked_until: float, now: float) -> int:
    """Whole seconds until the block ends, at least 1 (a `Retry-After` value)."""
    return max(1, math.ceil(blocked_until - now))


@dataclass(frozen=True)
class FailureRules:
    address: FailureRule
    credential: FailureRule

    def one_failure(
        self, address: str, credential: str | None, stored: Mapping[str, FailureCount | None], now: float
    ) -> tuple[dict[str, FailureCount | None], Verdict]:
        """The counts after one failure of `address` (and of `credential`, if one was sent), from those stored,
        and what to answer."""
        rules = {address: self.address} | ({credential: self.credential} if credential is not None else {})
        if self.address.blocked_until(stored.get(address), now) is not None:
            # Not counted, not even against the credential (see the module's docstring): stored as it was.
            counts = {key: stored.get(key) for key in rules}
            return counts, Verdict(counted=False, blocked_until=_latest_block(rules, counts, now))
        counts = {key: rule.after_failure(stored.get(key), now) for key, rule in rules.items()}
        started = tuple(
            key
            for key, rule in rules.items()
            if rule.blocked_until(stored.get(key), now) is None and rule.blocked_until(counts[key], now) is not None
        )
        return counts, Verdict(counted=True, blocked_until=_latest_block(rules, counts, now), started=started)


def _latest_block(rules: Mapping[str, FailureRule], counts: Mapping[str, FailureCount | None], now: float) -> float:
    return max((rule.blocked_until(counts.get(key), now) or 0.0 for key, rule in rules.items()), default=0.0)


def address_key(address: Address | None) -> str:
    if address is None:
        return "address:unknown"
    if isinstance(address, IPv6Address):
        return f"address:{IPv6Network((address, IPV6_PREFIX), strict=False)}"
    return f"address:{address}"


def credential_key(credential: str) -> str:
    """A hash of the credential, the only form in which it is stored or logged."""
    digest = hashlib.sha256(b"sett.auth-failure\x00" + credential.encode("utf-8", "surrogatepass")).hexdigest()
    return f"credential:{digest}"


class FailureCounts(Protocol):
    async def update(self, keys: Sequence[str], change: Change, *, now: float) -> dict[str, FailureCount | None]: ...

    async def purge(self, *, now: float, limit: int = ...) -> int: ...


class KnownBlocks:
    """The blocks this process has learnt of, until they end; at most `maxsize` of them."""

    def __init__(self, *, maxsize: int = MAX_KNOWN_BLOCKS, clock: Callable[[], float] = time.time) -> None:
        self._maxsize = maxsize
        self._clock = clock
        self._until: dict[str, float] = {}

    def __bool__(self) -> bool:
        return bool(self._until)

    def until(self, *keys: str | None) -> float:
        """When the last block among `keys` ends; 0 if none of them is known blocked."""
        now = self._clock()
        latest = 0.0
        for key in keys:
            if key is None or (until := self._until.get(key)) is None:
                continue
            if until <= now:
                del self._until[key]
            else:
                latest = max(latest, until)
        return latest

    def note(self, key: str, until: float) -> None:
        now = self._clock()
        if until <= now:
            self._until.pop(key, None)
            return
        if key not in self._until and len(self._until) >= self._maxsize:
            self._until = {k: u for k, u in self._until.items() if u > now}
            while len(self._until) >= self._maxsize:
                del self._until[min(self._until, key=self._until.__getitem__)]
        self._until[key] = until


class FailureLimiter:
    def __init__(
        self,
        rules: FailureRules,
        counts: FailureCounts,
        *,
        timeout_seconds: float = 3.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._rules = rules
        self._counts = counts
        self._timeout = timeout_seconds
        self._clock = clock
        self._known = KnownBlocks(clock=clock)
        self._purged_at = 0.0

    def now(self) -> float:
        return self._clock()

    def credential_blocked_until(self, credential: str) -> float:
        """When the block of this credential ends, if this process knows of one; else 0. Costs nothing (not
        even the hash) while this process knows of no block."""
        return self._known.until(credential_key(credential)) if self._known else 0.0

    async def failed(self, *, address: str, credential: str | None) -> Verdict:
        """Counts one failure of `address` (a key from `address_key`) and `credential` (from `credential_key`)."""
        known = self._known.until(address, credential)
        if known:
            return Verdict(counted=False, blocked_until=known)
        now = self._clock()
        verdicts: list[Verdict] = []

        def change(stored: Mapping[str, FailureCount | None]) -> dict[str, FailureCount | None]:
            counts, verdict = self._rules.one_failure(address, credential, stored, now)
            verdicts[:] = [verdict]  # the driver may run this again: the last run is the one committed
            return counts

        keys = [address] if credential is None else [address, credential]
        try:
            async with asyncio.timeout(self._timeout):
                counts = await self._counts.update(keys, change, now=now)
        except (DriverError, Neo4jError, OSError, TimeoutError) as error:
            log.error("authentication failures not counted", extra={"error": str(error) or type(error).__name__})
            return Verdict(counted=False, blocked_until=0.0)
        for key, count in counts.items():
            if count is not None and count.blocked_until is not None:
                self._known.note(key, count.blocked_until)
        await self._purge(now)
        return verdicts[-1]

    async def _purge(self, now: float) -> None:
        if now - self._purged_at < PURGE_SECONDS:
            return
        self._purged_at = now
        try:
            async with asyncio.timeout(self._timeout):
                await self._counts.purge(now=now)
        except (DriverError, Neo4jError, OSError, TimeoutError) as error:
            log.warning("expired authentication failures not purged", extra={"error": str(error)})
