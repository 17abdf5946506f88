from __future__ import annotations

from dataclasses import replace

from agencies.audit import CHAINS, AuditEntry, canonical, entry_hash, genesis, verify_chain, verify_chains


def chain(count: int, number: int = 0) -> list[AuditEntry]:
    entries, prev = [], genesis(number)
    for seq in range(1, count + 1):
        fields = {
            "seq": seq,
            "at": f"2026-11-01T00:00:0{seq}",
            "kind": "token.issue",
            "actor": "cli:root",
            "agency_id": "WASPD0000",
            "detail": canonical({"token": f"t{seq}"}),
            "prev_hash": prev,
        }
        digest = entry_hash(**fields)  # type: ignore[arg-type]
        entries.append(AuditEntry(chain=number, **fields, hash=digest))  # type: ignore[arg-type]
        prev = digest
    return entries


def head(entries: list[AuditEntry]) -> tuple[int, str]:
    return entries[-1].seq, entries[-1].hash


def test_an_intact_chain_verifies() -> None:
    entries = chain(4)
    assert verify_chain(entries, head(entries)) is None
    assert verify_chain([], None) is None


def test_an_edited_entry_is_named() -> None:
    entries = chain(4)
    recorded = head(entries)
    entries[2] = entries[2].__class__(**{**entries[2].__dict__, "detail": canonical({"token": "t9"})})
    broken = verify_chain(entries, recorded)
    assert broken is not None
    assert (broken.seq, broken.reason) == (3, "its content was edited")


def test_a_removed_entry_is_named() -> None:
    entries = chain(4)
    recorded = head(entries)
    broken = verify_chain(entries[:1] + entries[2:], recorded)
    assert broken is not None
    assert broken.seq == 2


def test_swapped_entries_are_detected() -> None:
    entries = chain(4)
    recorded = head(entries)
    swapped = [entries[0], entries[2], entries[1], entries[3]]
    assert verify_chain(swapped, recorded) is not None


def test_a_truncated_tail_is_caught_by_the_head() -> None:
    entries = chain(4)
    broken = verify_chain(entries[:3], head(entries))
    assert broken is not None
    assert broken.seq == 4


def test_canonical_detail_ignores_key_order() -> None:
    assert canonical({"b": 1, "a": [2]}) == canonical({"a": [2], "b": 1})


def empty_heads() -> dict[int, tuple[int, str]]:
    return {chain: (0, genesis(chain)) for chain in range(CHAINS)}


def heads_of(*chains: list[AuditEntry]) -> dict[int, tuple[int, str]]:
    return {**empty_heads(), **{entries[0].chain: head(entries) for entries in chains}}


def test_each_chain_is_verified_against_its_own_head() -> None:
    first, second = chain(3, 0), chain(2, 5)
    heads = heads_of(first, second)
    assert verify_chains(first + second, heads, heads) is None
    broken = verify_chains(first + second[:1], heads, heads)
    assert broken is not None
    assert (broken.chain, broken.seq) == (5, 2)


def test_an_entry_moved_to_another_chain_is_detected() -> None:
    first, second = chain(3, 0), chain(2, 5)
    moved = [*first[:2], replace(first[2], chain=5, seq=3), *second]
    heads = heads_of(first, second)
    broken = verify_chains(moved, heads, heads)
    assert broken is not None
    assert broken.chain == 0


def test_a_chain_starts_from_its_own_genesis() -> None:
    entries = [replace(entry, chain=4) for entry in chain(2, 0)]  # chain 0's entries relabelled as chain 4
    heads = {**empty_heads(), 4: head(entries)}
    broken = verify_chains(entries, heads, heads)
    assert broken is not None
    assert (broken.chain, broken.seq) == (4, 1)


def test_entries_appended_while_the_entries_were_read_are_accepted() -> None:
    entries = chain(4)
    before = {**empty_heads(), 0: (3, entries[2].hash)}
    after = {**empty_heads(), 0: head(entries)}
    assert verify_chains(entries, before, after) is None
    assert verify_chains(entries[:3], before, after) is None  # the fourth committed after the entries were read


def test_a_head_moved_back_over_an_edited_entry_is_detected() -> None:
    entries = chain(4)
    entries[3] = replace(entries[3], detail=canonical({"token": "forged"}))
    lowered = {**empty_heads(), 0: (3, entries[2].hash)}
    broken = verify_chains(entries, lowered, lowered)
    assert broken is not None
    assert (broken.seq, broken.reason) == (4, "it lies past the chain's recorded head")


def test_a_chain_removed_with_its_head_is_detected() -> None:
    heads = empty_heads()
    del heads[7]
    broken = verify_chains([], heads, heads)
    assert broken is not None
    assert (broken.chain, broken.reason) == (7, "the chain's head is missing")


def test_entries_of_an_unknown_chain_are_a_break() -> None:
    broken = verify_chains(chain(2, CHAINS), empty_heads(), empty_heads())
    assert broken is not None
    assert (broken.chain, broken.reason) == (CHAINS, "it belongs to no chain of this log")
