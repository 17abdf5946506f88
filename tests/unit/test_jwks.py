"""Remote JWKS: fetched off the event loop, kept, refreshed on key rotation, and never hammered."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.auth.jwks import IdentityProviderUnavailable, RemoteKeySet


def key_set(*key_ids: str) -> dict[str, Any]:
    keys = []
    for key_id in key_ids:
        public = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
        keys.append({**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public)), "kid": key_id, "use": "sig"})
    return {"keys": keys}


class Provider:
    """What the identity provider's JWKS URL would answer, counting the fetches."""

    def __init__(self, *key_ids: str) -> None:
        self.data = key_set(*key_ids)
        self.fetches = 0
        self.fail = False
        self.release = threading.Event()
        self.release.set()

    def fetch(self) -> dict[str, Any]:
        self.fetches += 1
        self.release.wait(10)
        if self.fail:
            raise jwt.PyJWKClientConnectionError("connection refused")
        return self.data


async def settled() -> None:
    """Lets a background fetch (a worker thread) finish."""
    for _ in range(200):
        await asyncio.sleep(0.005)
        if not [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]:
            return


async def started(provider: Provider, fetches: int) -> None:
    """Waits (a second at most) until the provider has been asked `fetches` times."""
    for _ in range(200):
        if provider.fetches >= fetches:
            return
        await asyncio.sleep(0.005)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_fetch_does_not_block_the_event_loop() -> None:
    provider = Provider("k1")
    provider.release.clear()
    keys = RemoteKeySet(provider.fetch)
    waiting = asyncio.create_task(keys.key("k1"))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not waiting.done()  # the loop ran on while the provider had not answered
    provider.release.set()
    assert (await waiting) is not None


async def test_keys_are_kept_and_concurrent_requests_share_one_fetch() -> None:
    provider = Provider("k1")
    keys = RemoteKeySet(provider.fetch)
    found = await asyncio.gather(*(keys.key("k1") for _ in range(20)))
    assert all(key is not None and key.key_id == "k1" for key in found)
    assert provider.fetches == 1


async def test_a_rotated_key_is_fetched_but_made_up_ids_do_not_hammer_the_provider() -> None:
    provider, clock = Provider("k1"), Clock()
    keys = RemoteKeySet(provider.fetch, lifespan=300, min_refresh=30, clock=clock)
    assert await keys.key("k1") is not None
    provider.data = key_set("k1", "k2")
    clock.now += 31
    assert await keys.key("k2") is not None  # rotated: fetched again at once
    assert provider.fetches == 2
    for made_up in ("x1", "x2", "x3"):
        assert await keys.key(made_up) is None
    assert provider.fetches == 2  # within min_refresh of the last fetch, an unknown kid fetches nothing
    clock.now += 301
    await keys.key("k1")
    await settled()
    assert provider.fetches == 3  # past its lifespan the set is fetched again


async def test_a_failing_provider_keeps_the_keys_held_and_says_so_when_there_are_none() -> None:
    provider, clock = Provider("k1"), Clock()
    keys = RemoteKeySet(provider.fetch, lifespan=300, min_refresh=30, clock=clock)
    assert await keys.key("k1") is not None
    provider.fail = True
    clock.now += 301
    assert await keys.key("k1") is not None
    await settled()
    assert provider.fetches == 2
    assert await keys.key("k1") is not None
    with pytest.raises(IdentityProviderUnavailable):
        await RemoteKeySet(provider.fetch, clock=clock).key("k1")


async def test_a_held_key_is_served_at_once_while_an_expired_set_is_fetched_again() -> None:
    provider, clock = Provider("k1"), Clock()
    keys = RemoteKeySet(provider.fetch, lifespan=300, min_refresh=30, clock=clock)
    assert await keys.key("k1") is not None
    provider.release.clear()  # the provider hangs
    provider.data = key_set("k2")
    clock.now += 301
    served = await asyncio.wait_for(asyncio.gather(*(keys.key("k1") for _ in range(10))), timeout=1)
    assert all(key is not None and key.key_id == "k1" for key in served)
    await started(provider, 2)  # the background fetch's thread may start a moment after the keys are served
    assert provider.fetches == 2  # one fetch in the background for all ten
    provider.release.set()
    await settled()
    assert await keys.key("k2") is not None
    assert await keys.key("k1") is None  # the provider dropped k1: it is no longer accepted


async def test_an_answer_that_breaks_the_parser_counts_as_a_failed_fetch() -> None:
    provider, clock = Provider("k1"), Clock()
    keys = RemoteKeySet(provider.fetch, lifespan=300, min_refresh=30, clock=clock)
    assert await keys.key("k1") is not None
    provider.data = {"keys": [{"kty": "RSA", "kid": "k2", "n": 12, "e": None}]}  # not a key at all
    clock.now += 301
    assert await keys.key("k1") is not None
    await settled()
    assert provider.fetches == 2
    assert await keys.key("k1") is not None
    await settled()
    assert provider.fetches == 2  # backed off for min_refresh, not fetched on every request
