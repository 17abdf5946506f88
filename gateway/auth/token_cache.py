"""Usable Sett tokens by hash, so that authenticating a request needs no database round trip.

The cache is trusted only while it hears every revocation: with a broker that reaches every process of the
deployment (`SETT_BROKER_URL`), a revocation anywhere — this gateway, another replica, the CLI — drops the
token from every cache before its next request. Without one, or while the broker's subscription is down,
nothing is cached and every request asks Neo4j. An entry also ends at its token's expiry, and after
`ttl_seconds` at most, which bounds the harm of a revocation that could not be announced.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from redis.exceptions import RedisError

from agencies.errors import RevocationNotAnnounced
from agencies.tokens import TokenRecord
from gateway.broker import Broker

REVOKED_CHANNEL = "sett.tokens.revoked"
log = logging.getLogger("sett.auth")


class TokenCache:
    def __init__(
        self,
        *,
        trusted: Callable[[], bool],
        ttl_seconds: float = 60,
        maxsize: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._trusted = trusted
        self._ttl = ttl_seconds
        self._maxsize = maxsize
        self._clock = clock
        self._entries: OrderedDict[str, tuple[TokenRecord, float]] = OrderedDict()
        self._generation = 0

    @property
    def generation(self) -> int:
        """Changes with every revocation heard and every gap; a record read from Neo4j before it changed may
        be stale, and is not cached."""
        return self._generation

    def get(self, token_hash: str, now: datetime) -> TokenRecord | None:
        if not self._trusted():
            return None
        found = self._entries.get(token_hash)
        if found is None:
            return None
        record, cached_at = found
        if not record.usable_at(now) or self._clock() - cached_at >= self._ttl:
            del self._entries[token_hash]
            return None
        return record

    def put(self, record: TokenRecord, generation: int) -> None:
        """Caches a record read from Neo4j after `generation` was taken, unless a revocation or a gap came since."""
        if not self._trusted() or generation != self._generation:
            return
        self._entries[record.hash] = (record, self._clock())
        self._entries.move_to_end(record.hash)
        while len(self._entries) > self._maxsize:
            self._entries.popitem(last=False)

    def forget(self, token_hash: str) -> None:
        self._generation += 1
        self._entries.pop(token_hash, None)

    def clear(self) -> None:
        self._generation += 1
        self._entries.clear()


class BrokeredRevocations:
    """Announces a revocation on the broker (every gateway's cache drops the token) and in this process."""

    def __init__(self, broker: Broker, cache: TokenCache | None = None) -> None:
        self._broker = broker
        self._cache = cache

    async def revoked(self, token: TokenRecord) -> None:
        if self._cache is not None:
            self._cache.forget(token.hash)
        try:
            await self._broker.publish(REVOKED_CHANNEL, token.hash)
        except (RedisError, OSError) as error:
            log.error("revocation not announced", extra={"token": token.id, "error": str(error)})
            raise RevocationNotAnnounced(
                f"token {token.id} is revoked, but the broker could not tell every gateway at once ({error}); "
                "gateways that cached it refuse it within a minute"
            ) from None
