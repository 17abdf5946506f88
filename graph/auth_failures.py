"""Counts of failed authentications in Neo4j, shared by every gateway replica of a deployment.

One `AuthFailures {key}` node per counted key (`address:...` or `credential:<hash>`; never a credential itself):
`count` failures in the window that began at `windowStart`, `blockedUntil` when the key is blocked, and
`expiresAt`, after which the node says nothing and may be purged. Times are seconds since the epoch.

`update` is read-modify-write in one transaction: it takes each node's write lock before reading it (so that
concurrent failures on several replicas are all counted; none is lost), lets the caller's pure rule decide the
new counts, and writes them back. The rule lives with the gateway's limiter; this module only keeps the counts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction

# Writing `touchedAt` first takes the node's write lock; what is read after it is what the last writer committed.
LOCK_COUNTS = """
UNWIND $keys AS key
MERGE (f:AuthFailures {key: key})
SET f.touchedAt = $now
RETURN f.key AS key, f.count AS count, f.windowStart AS window_start, f.blockedUntil AS blocked_until,
       f.expiresAt AS expires_at
"""
SAVE_COUNTS = """
UNWIND $rows AS row
MATCH (f:AuthFailures {key: row.key})
SET f.count = row.count, f.windowStart = row.window_start, f.blockedUntil = row.blocked_until,
    f.expiresAt = row.expires_at
"""
DROP_COUNTS = "UNWIND $keys AS key MATCH (f:AuthFailures {key: key}) DELETE f"
EXPIRED = "MATCH (f:AuthFailures) WHERE f.expiresAt <= $now RETURN f.key AS key LIMIT $limit"
# Locked, then checked again: a failure counted meanwhile on another replica keeps its node.
PURGE = """
UNWIND $keys AS key
MATCH (f:AuthFailures {key: key})
SET f.touchedAt = $now
WITH f
WHERE f.expiresAt <= $now
DELETE f
"""


@dataclass(frozen=True)
class FailureCount:
    """What is known of one key: `count` failures since `window_start`, blocked until `blocked_until`."""

    count: int = 0
    window_start: float | None = None
    blocked_until: float | None = None
    expires_at: float = 0.0


Change = Callable[[Mapping[str, FailureCount | None]], Mapping[str, FailureCount | None]]
"""Given the stored counts of the keys (None: nothing stored), the counts to store (None: forget the key)."""


class Neo4jFailureCounts:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def update(self, keys: Sequence[str], change: Change, *, now: float) -> dict[str, FailureCount | None]:
        """Applies `change` to the counts of `keys` under their write locks; returns the counts stored.

        Keys are locked in the order given: callers give them in one order (address, then credential), so two
        updates never wait on each other in a cycle. `change` must be pure: the driver may run it again.
        """

        async def work(tx: AsyncManagedTransaction) -> dict[str, FailureCount | None]:
            result = await tx.run(LOCK_COUNTS, keys=list(keys), now=now)
            stored = {record["key"]: _count(record) async for record in result}
            changed = dict(change(stored))
            rows = [_row(key, count) for key, count in changed.items() if count is not None]
            dropped = [key for key in keys if changed.get(key) is None]
            if rows:
                await (await tx.run(SAVE_COUNTS, rows=rows)).consume()
            if dropped:
                await (await tx.run(DROP_COUNTS, keys=dropped)).consume()
            return {key: changed.get(key) for key in keys}

        async with self._driver.session(database=self._database) as session:
            return await session.execute_write(work)

    async def purge(self, *, now: float, limit: int = 1000) -> int:
        """Deletes up to `limit` nodes that expired before `now`; returns how many."""

        async def work(tx: AsyncManagedTransaction) -> int:
            expired = [record["key"] async for record in await tx.run(EXPIRED, now=now, limit=limit)]
            if not expired:
                return 0
            summary = await (await tx.run(PURGE, keys=expired, now=now)).consume()
            return summary.counters.nodes_deleted

        async with self._driver.session(database=self._database) as session:
            return await session.execute_write(work)


def _count(record: Any) -> FailureCount | None:
    if record["count"] is None:  # created by the lock just now: nothing was stored
        return None
    return FailureCount(
        count=record["count"],
        window_start=record["window_start"],
        blocked_until=record["blocked_until"],
        expires_at=record["expires_at"],
    )


def _row(key: str, count: FailureCount) -> dict[str, Any]:
    return {
        "key": key,
        "count": count.count,
        "window_start": count.window_start,
        "blocked_until": count.blocked_until,
        "expires_at": count.expires_at,
    }
