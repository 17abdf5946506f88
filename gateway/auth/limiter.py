"""Repeated authentication failures from one client are answered 429 for a while.

Kept in this process's memory: behind a load balancer each replica counts its own clients' failures.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class FailureLimiter:
    def __init__(
        self, *, limit: int, window_seconds: float, block_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window_seconds
        self._block = block_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._blocked_until: dict[str, float] = {}

    def blocked(self, client: str) -> bool:
        until = self._blocked_until.get(client)
        if until is None:
            return False
        if self._clock() >= until:
            del self._blocked_until[client]
            return False
        return True

    def fail(self, client: str) -> bool:
        """Records one failure; True when this one starts a block."""
        now = self._clock()
        failures = self._failures.setdefault(client, deque())
        failures.append(now)
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        if len(failures) >= self._limit:
            self._blocked_until[client] = now + self._block
            failures.clear()
            return True
        return False

    def retry_after(self, client: str) -> int:
        return max(1, int(self._blocked_until.get(client, self._clock()) - self._clock()))
