"""Messages between the processes of one Sett deployment (token revocations; live alerts later).

`LocalBroker` keeps them inside one process. `RedisBroker` (`SETT_BROKER_URL`) carries them between every
gateway replica and the CLI through Redis pub/sub; while its subscription is down it says so (`hears_all`
is False), and whoever relies on hearing every message (the token cache) stops relying on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Protocol

import redis.asyncio as redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

log = logging.getLogger("sett.broker")

Handler = Callable[[str], None]
RECONNECT_SECONDS = 0.5
PING_SECONDS = 1.0
SILENCE_SECONDS = 3.0
"""A subscription that has not answered a ping for this long is not trusted (and is re-established)."""
PING_MESSAGE = "sett-broker"


class Broker(Protocol):
    @property
    def hears_all(self) -> bool:
        """Whether a message published by any process of the deployment reaches this one now."""
        ...

    def subscribe(self, channel: str, handler: Handler, *, on_gap: Callable[[], None]) -> None:
        """`handler` hears each message on `channel`; `on_gap` runs when messages may have been missed."""
        ...

    async def publish(self, channel: str, message: str) -> None: ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...


class LocalBroker:
    """Delivers within this process only: other processes (another replica, the CLI) are not heard."""

    hears_all = False

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = {}

    def subscribe(self, channel: str, handler: Handler, *, on_gap: Callable[[], None]) -> None:
        self._handlers.setdefault(channel, []).append(handler)

    async def publish(self, channel: str, message: str) -> None:
        for handler in self._handlers.get(channel, []):
            handler(message)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None


class RedisBroker:
    """Pub/sub through Redis. The subscription is trusted (`hears_all`) only while it is confirmed and answers
    a ping every second: a connection that dropped, went silent or was quietly re-established by the client
    library counts as a gap, and every `on_gap` runs, so that nobody relies on messages it may have missed."""

    def __init__(self, url: str, *, timeout_seconds: float = 2.0) -> None:
        self._timeout = timeout_seconds
        self._client = redis.Redis.from_url(
            url, socket_timeout=timeout_seconds, socket_connect_timeout=timeout_seconds, decode_responses=True
        )
        # No retries on the subscription: a reconnect the library did on its own would hide the messages lost.
        # Bytes, not decoded strings: redis-py 8.1 misreads a decoded PONG in subscribed mode.
        self._subscriber = redis.Redis.from_url(
            url, socket_connect_timeout=timeout_seconds, retry=Retry(NoBackoff(), 0)
        )
        self._handlers: dict[str, list[Handler]] = {}
        self._gap_handlers: list[Callable[[], None]] = []
        self._subscribed = asyncio.Event()
        self._last_pong = 0.0
        self._listener: asyncio.Task[None] | None = None

    @property
    def hears_all(self) -> bool:
        return self._subscribed.is_set() and time.monotonic() - self._last_pong < SILENCE_SECONDS

    def subscribe(self, channel: str, handler: Handler, *, on_gap: Callable[[], None]) -> None:
        self._handlers.setdefault(channel, []).append(handler)
        self._gap_handlers.append(on_gap)

    async def publish(self, channel: str, message: str) -> None:
        await self._client.publish(channel, message)

    async def start(self) -> None:
        """Subscribes, waiting a moment for the subscription to stand; should Redis not answer, goes on
        trying in the background while `hears_all` stays False."""
        if self._handlers and self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="sett-broker")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._subscribed.wait(), self._timeout)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._client.aclose()
        await self._subscriber.aclose()

    async def _listen(self) -> None:
        while True:
            try:
                async with self._subscriber.pubsub() as pubsub:
                    await pubsub.subscribe(*self._handlers)
                    await self._follow(pubsub)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # whatever ended the subscription, messages may have been lost
                self._lost(error)
                await asyncio.sleep(RECONNECT_SECONDS)

    async def _follow(self, pubsub: PubSub) -> None:
        unconfirmed = set(self._handlers)
        last_ping = 0.0
        self._last_pong = time.monotonic()
        while True:
            now = time.monotonic()
            if now - self._last_pong >= SILENCE_SECONDS:
                raise ConnectionError(f"no answer to a ping for {SILENCE_SECONDS:.0f} s")
            if now - last_ping >= PING_SECONDS:
                await pubsub.ping(PING_MESSAGE)
                last_ping = now
            message = await pubsub.get_message(timeout=PING_SECONDS)
            if message is None:
                continue
            kind = message["type"]
            if kind == "pong":
                self._last_pong = time.monotonic()
            elif kind == "subscribe":
                if not unconfirmed:
                    raise ConnectionError("the subscription was renewed behind our back")
                unconfirmed.discard(message["channel"].decode())
                if not unconfirmed:
                    self._gap()  # whatever was read before the subscription stood may be stale
                    self._subscribed.set()
                    log.info("broker subscribed", extra={"channels": sorted(self._handlers)})
            elif kind == "message":
                for handler in self._handlers.get(message["channel"].decode(), []):
                    handler(message["data"].decode())

    def _lost(self, error: Exception) -> None:
        if self._subscribed.is_set():
            log.warning("broker subscription lost", extra={"error": str(error)})
        self._subscribed.clear()
        self._gap()

    def _gap(self) -> None:
        for on_gap in self._gap_handlers:
            on_gap()


def broker_for(url: str | None) -> Broker:
    return RedisBroker(url) if url else LocalBroker()
