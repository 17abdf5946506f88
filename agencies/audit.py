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


def verify_chains(entries: Iterable[AuditEntry], heads: dict[int, tuple[int, str]]) -> ChainBreak | None:
    """The first break in any chain, or None when every chain is intact; `heads` maps chain to its head.

    Read the heads before the entries: an entry past its chain's head was appended after the heads were
    read, and is left for the next verification.
    """
    by_chain: dict[int, list[AuditEntry]] = {chain: [] for chain in heads}
    for entry in entries:
        if entry.chain not in heads or entry.seq <= heads[entry.chain][0]:
            by_chain.setdefault(entry.chain, []).append(entry)
    for chain, chained in sorted(by_chain.items()):
        if chain not in heads:
            return ChainBreak(chained[0].seq, "its chain has no recorded head", chain)
        broken = verify_chain(sorted(chained, key=lambda entry: entry.seq), heads[chain])
        if broken is not None:
            return ChainBreak(broken.seq, broken.reason, chain)
    return None


def verify_chain(entries: Iterable[AuditEntry], head: tuple[int, str] | None) -> ChainBreak | None:
    """The first entry of one chain that was edited, removed or moved, or None when the chain is intact.

    `head` is the (seq, hash) the chain last recorded; it catches entries removed from the end.
    """
    expected_seq, prev_hash = 1, GENESIS
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
        expected_seq, prev_hash = expected_seq + 1, entry.hash
    last = (expected_seq - 1, prev_hash)
    if head is not None and head != last and head[0] >= last[0]:
        return ChainBreak(last[0] + 1, f"the log ends at entry {last[0]} but recorded {head[0]} entries")
    if head is not None and head != last:
        return ChainBreak(head[0], "the recorded head does not match the last entry")
    return None
