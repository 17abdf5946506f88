"""What earlier reads learnt, used to choose how to run the next one (never what it returns).

A read that shows another agency's case must write its dissemination record in the same transaction, so it
runs in a write transaction; one that shows only the reader's own cases runs in a read transaction. Which one
a read will be is known only once it ran, so the repository guesses from what it learnt, per reader agency:

- `Hints`: exact facts, such as "agency A was shown case X, which another agency owns" (a case's owner never
  changes) or "A's list with this filter showed another agency's case last time";
- `Tendency`: the share of A's recent reads that reached other agencies, for a case A was never shown.

Both are keyed by the reader's agency and fed only by what that agency was shown, so the choice (and its
timing) tells a reader nothing about cases it may not see. A wrong guess costs time, never correctness.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

MAX_HINTS = 100_000
LEARNING_RATE = 0.2
V = TypeVar("V")


class Hints(Generic[V]):
    """A bounded map; the least recently learnt go first when it is full."""

    def __init__(self, maxsize: int = MAX_HINTS) -> None:
        self._maxsize = maxsize
        self._known: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        """What was learnt, or None when nothing was (or it was forgotten to make room)."""
        return self._known.get(key)

    def put(self, key: Hashable, value: V) -> None:
        self._known[key] = value
        self._known.move_to_end(key)
        if len(self._known) > self._maxsize:
            self._known.popitem(last=False)


class Tendency:
    """A moving share, per key, of reads that reached another agency's case."""

    def __init__(self, maxsize: int = MAX_HINTS) -> None:
        self._shares: Hints[float] = Hints(maxsize)

    def expects_foreign(self, key: Hashable) -> bool:
        return (self._shares.get(key) or 0.0) > 0.5  # more often than not

    def learn(self, key: Hashable, foreign: bool) -> None:
        share = self._shares.get(key) or 0.0
        self._shares.put(key, (1 - LEARNING_RATE) * share + LEARNING_RATE * foreign)
