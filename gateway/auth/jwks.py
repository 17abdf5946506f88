"""An identity provider's signing keys, fetched from its JWKS URL without ever blocking the event loop.

The key set is fetched in a worker thread, kept for `lifespan` seconds, and fetched again early when a JWT
names a key id (`kid`) it lacks: the provider has rotated its keys. An unknown `kid` forces at most one fetch
per `min_refresh` seconds, so that JWTs with made-up key ids cannot make Sett hammer the provider; requests
for a key not held that arrive while a fetch runs wait for that one fetch. A set past its lifespan is fetched
again in the background while the keys held go on serving. When a fetch fails, the keys already held stay
in use.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from typing import Any

import jwt

from agencies.errors import AgencyError

log = logging.getLogger("sett.auth")

Fetch = Callable[[], dict[str, Any]]


class IdentityProviderUnavailable(AgencyError):
    code = "SERVICE_UNAVAILABLE"


def fetch_from(url: str, timeout_seconds: float = 5.0) -> Fetch:
    client = jwt.PyJWKClient(url, cache_jwk_set=False, cache_keys=False, timeout=timeout_seconds)
    return client.fetch_data


class RemoteKeySet:
    def __init__(
        self,
        fetch: Fetch,
        *,
        lifespan: float = 300.0,
        min_refresh: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._lifespan = lifespan
        self._min_refresh = min_refresh
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = -math.inf
        self._lock = asyncio.Lock()
        self._background: asyncio.Task[None] | None = None

    async def key(self, key_id: str | None) -> jwt.PyJWK | None:
        """The key named `key_id` (or the only key, when the JWT names none and the set holds one)."""
        held = self._pick(key_id)
        if held is not None:
            if self._age() >= self._lifespan:
                self._refresh_meanwhile()
            return held
        if self._age() >= self._min_refresh:
            async with self._lock:
                if self._pick(key_id) is None and self._age() >= self._min_refresh:  # not fetched meanwhile
                    await self._refresh()
        return self._pick(key_id)

    def _age(self) -> float:
        return self._clock() - self._fetched_at

    def _refresh_meanwhile(self) -> None:
        """Fetches the set again while requests go on with the keys held: a JWT signed with a held key never
        waits on the provider."""
        if self._lock.locked() or (self._background is not None and not self._background.done()):
            return

        async def refresh() -> None:
            async with self._lock:
                if self._age() >= self._lifespan:
                    await self._refresh()  # with keys held, a failed fetch is logged and the keys stay

        self._background = asyncio.create_task(refresh())

    def _pick(self, key_id: str | None) -> jwt.PyJWK | None:
        if key_id is None:
            return next(iter(self._keys.values())) if len(self._keys) == 1 else None
        return self._keys.get(key_id)

    async def _refresh(self) -> None:
        attempted = self._clock()
        try:
            data = await asyncio.to_thread(self._fetch)
            keys = {str(key.key_id): key for key in jwt.PyJWKSet.from_dict(data).keys}
        except Exception as error:  # whatever the provider answered, or failed to: the keys held stay in use
            self._fetched_at = attempted - self._lifespan + self._min_refresh  # try again after min_refresh
            log.warning("the identity provider's keys could not be fetched", extra={"error": str(error)})
            if not self._keys:
                raise IdentityProviderUnavailable("the identity provider's keys cannot be fetched now") from None
            return
        self._keys, self._fetched_at = keys, attempted
