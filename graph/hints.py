"""A bounded map of what earlier reads learnt, used to choose how to run the next one (never what it returns)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

MAX_HINTS = 100_000


class Hints:
    def __init__(self, maxsize: int = MAX_HINTS) -> None:
        self._maxsize = maxsize
        self._known: OrderedDict[Hashable, bool] = OrderedDict()

    def get(self, key: Hashable) -> bool:
        return self._known.get(key, False)

    def put(self, key: Hashable, value: bool) -> None:
        if not value:
            self._known.pop(key, None)
            return
        self._known[key] = True
        self._known.move_to_end(key)
        if len(self._known) > self._maxsize:
            self._known.popitem(last=False)
