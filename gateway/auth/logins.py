"""Which successful authentications go to the audit log.

A bearer credential is presented on every request; auditing each would make the log a request log and
serialise every request on its head. A credential's first use is audited as a login, and again once it
has been in use for `interval_seconds`. Kept per process.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from agencies.principals import Principal

MAX_REMEMBERED = 10_000


class LoginRecorder:
    def __init__(self, *, interval_seconds: float = 900, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = interval_seconds
        self._clock = clock
        self._last: dict[str, float] = {}

    def due(self, principal: Principal) -> bool:
        """True when this use of the credential should be audited as a login."""
        now = self._clock()
        key = f"{principal.method}:{principal.token_id or principal.subject}:{principal.agency_id}"
        last = self._last.get(key)
        if last is not None and now - last < self._interval:
            return False
        if len(self._last) >= MAX_REMEMBERED:
            self._last = {k: t for k, t in self._last.items() if now - t < self._interval}
        self._last[key] = now
        return True
