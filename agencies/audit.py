"""The tamper-evident audit log: each entry's hash covers its content and the hash of the entry before it.

The log is `CHAINS` independent hash chains. A transaction appends all its entries to one chain chosen at
random, so unrelated transactions rarely wait for each other; each chain is verified on its own against the
head (last sequence number and hash) it recorded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
CHAINS = 16


@dataclass(frozen=True)
class AuditEvent:
    kind: str
    """e.g. auth.failure, token.issue, token.revoke, agreement.create, case.open, disclosure."""
    actor: str
    agency_id: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class AuditEntry:
    chain: int
    seq: int
    at: str
    kind: str
    actor: str
    agency_id: str | None
    detail: str
    """Canonical JSON of the event's detail."""
    prev_hash: str
    hash: str


def canonical(detail: dict[str, Any]) -> str:
    return json.dumps(detail, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(*, seq: int, at: str, kind: str, actor: str, agency_id: str | None, detail: str, prev_hash: str) -> str:
    content = json.dumps([seq, at, kind, actor, agency_id, detail, prev_hash], separators=(",", ":"))
    return hashlib.sha256(content.encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str
    chain: int = 0


def genesis(chain: int) -> str:
    """The hash a chain starts from: zeros for chain 0 (the log from before it was split), and one of its own for
    every other chain, so that an entry moved to the start of another chain does not fit there."""
    return GENESIS if chain == 0 else hashlib.sha256(f"sett-audit-chain-{chain}".encode()).hexdigest()


Heads = dict[int, tuple[int, str]]


def verify_chains(entries: Iterable[AuditEntry], before: Heads, after: Heads) -> ChainBreak | None:
    """The first break in any chain, or None when every chain is intact.

    `before` are the heads (chain -> last seq and hash) read before the entries, `after` the heads read after
    them. Each chain must reach its head from before exactly; entries appended while the entries were read
    (up to the head from after) must follow on; an entry past even that head was never recorded as appended.
    """
    chained: dict[int, list[AuditEntry]] = {chain: [] for chain in range(CHAINS)}
    for entry in entries:
        if entry.chain not in chained:
            return ChainBreak(entry.seq, "it belongs to no chain of this log", entry.chain)
        chained[entry.chain].append(entry)
    for chain, found in chained.items():
        if chain not in before or chain not in after:
            return ChainBreak(0, "the chain's head is missing", chain)
        found.sort(key=lambda entry: entry.seq)
        past = [entry for entry in found if entry.seq > after[chain][0]]
        if past:
            return ChainBreak(past[0].seq, "it lies past the chain's recorded head", chain)
        broken = verify_chain(found, before[chain], start=genesis(chain))
        if broken is not None:
            return ChainBreak(broken.seq, broken.reason, chain)
    return None


def verify_chain(
    entries: Iterable[AuditEntry], head: tuple[int, str] | None, *, start: str = GENESIS
) -> ChainBreak | None:
    """The first entry of one chain that was edited, removed or moved, or None when the chain is intact.

    `head` is the (seq, hash) the chain recorded: the chain must reach it, and its entry there must carry that
    hash (this catches entries removed from the end). Entries after it are checked for continuity only.
    """
    expected_seq, prev_hash = 1, start
    hash_at_head = None
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainBreak(expected_seq, f"entry {expected_seq} is missing (found {entry.seq} in its place)")
        if entry.prev_hash != prev_hash:
            return ChainBreak(entry.seq, "does not follow the entry before it (removed or reordered)")
        recomputed = entry_hash(
            seq=entry.seq,
            at=entry.at,
            kind=entry.kind,
            actor=entry.actor,
            agency_id=entry.agency_id,
            detail=entry.detail,
            prev_hash=entry.prev_hash,
        )
        if recomputed != entry.hash:
            return ChainBreak(entry.seq, "its content was edited")
        if head is not None and entry.seq == head[0]:
            hash_at_head = entry.hash
        expected_seq, prev_hash = expected_seq + 1, entry.hash
    last = expected_seq - 1
    if head is not None and last < head[0]:
        return ChainBreak(last + 1, f"the log ends at entry {last} but recorded {head[0]} entries")
    if head is not None and head[0] > 0 and hash_at_head != head[1]:
        return ChainBreak(head[0], "the recorded head does not match its entry")
    return None
