"""Case numbers are unique in their agency as people read them: `spd-2026-0042` is `SPD-2026-0042`.

Every case gets `caseNumberKey = cases.models.case_number_key(agencyCaseNumber)` (inner runs of spaces collapsed,
case folded: `Straße  7` and `STRASSE 7` are one number), the key new cases are given, and then the constraint
that makes (owner agency, key) unique. In four steps, each safe to run again:

1. Stage: in batches in id order, the key each case should have is computed here, in Python, and written to
   `caseNumberKeyNext` on the cases whose key differs (and removed where an earlier run staged one that is
   no longer needed).
2. Check: the agencies' cases are grouped by the key they will have. Cases of one agency that share a key
   are reported, agency by agency, and the migration refuses. Staged keys are removed again: the graph is as
   it was, and once the operator has renumbered one case of each group, the next run succeeds.
3. Swap: staged keys replace the stored ones, in batches. Keys that change are removed first, then set, so
   that one case never takes a key another case still holds under the constraint.
4. The constraint, unless it exists already.

Its reads go to the cluster's leader (`RoutingControl.WRITE`), so that they see the keys this step just wrote.

This replaces a first form of 0009 (`0009_case_number_key.cypher`), which set `toLower(trim(...))` on every case
without a key in one transaction, a rule that differs from `case_number_key` (German ß, Greek final sigma,
inner spaces), and then created the constraint, failing with a raw Neo4j error on duplicates. Graphs that
applied it run this one again (see `REPLACES` and `graph.migrator`), which corrects the keys it set.
"""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl

from cases.models import case_number_key
from graph.migrator import MigrationError

REPLACES = frozenset({"4574bda5f8d7cf2b42861ff8cdb8e7a91fb51be908eedda2d16692b19e0bd3b9"})
"""The checksum of the first form, `0009_case_number_key.cypher`."""

MAX_REPORTED = 50
"""Groups of clashing cases named in the refusal; the rest are counted."""

READ_BATCH = """
MATCH (c:Case) WHERE c.id > $after
RETURN c.id AS id, c.agencyCaseNumber AS number, c.caseNumberKey AS key, c.caseNumberKeyNext AS staged
ORDER BY c.id LIMIT $limit
"""
STAGE = "UNWIND $rows AS row MATCH (c:Case {id: row.id}) SET c.caseNumberKeyNext = row.staged"
OWNERS = """
MATCH (c:Case) WHERE c.ownerAgencyId > $after
RETURN DISTINCT c.ownerAgencyId AS agency ORDER BY agency LIMIT $limit
"""
CLASHES = """
UNWIND $agencies AS agency
MATCH (c:Case {ownerAgencyId: agency})
WITH agency, coalesce(c.caseNumberKeyNext, c.caseNumberKey) AS key
WHERE key IS NOT NULL
WITH agency, key, count(*) AS n WHERE n > 1
CALL (agency, key) {
  MATCH (c:Case {ownerAgencyId: agency}) WHERE coalesce(c.caseNumberKeyNext, c.caseNumberKey) = key
  WITH c ORDER BY c.agencyCaseNumber, c.id
  RETURN collect({id: c.id, number: c.agencyCaseNumber}) AS cases
}
RETURN agency, key, cases ORDER BY agency, key
"""
UNSTAGE = """
MATCH (c:Case) WHERE c.caseNumberKeyNext IS NOT NULL
CALL (c) { REMOVE c.caseNumberKeyNext } IN TRANSACTIONS OF $batch ROWS
"""
CLEAR_CHANGING = """
MATCH (c:Case) WHERE c.caseNumberKeyNext IS NOT NULL AND c.caseNumberKey IS NOT NULL
CALL (c) { REMOVE c.caseNumberKey } IN TRANSACTIONS OF $batch ROWS
"""
SWAP = """
MATCH (c:Case) WHERE c.caseNumberKeyNext IS NOT NULL
CALL (c) { SET c.caseNumberKey = c.caseNumberKeyNext REMOVE c.caseNumberKeyNext } IN TRANSACTIONS OF $batch ROWS
"""
CONSTRAINT = """
CREATE CONSTRAINT case_owner_number_key IF NOT EXISTS
FOR (c:Case) REQUIRE (c.ownerAgencyId, c.caseNumberKey) IS UNIQUE
"""


async def apply(driver: AsyncDriver, database: str, batch_size: int) -> None:
    await _stage(driver, database, batch_size)
    clashes = await _clashes(driver, database, batch_size)
    if clashes:
        await _run(driver, database, UNSTAGE, batch=batch_size)
        raise MigrationError(report(clashes))
    await _run(driver, database, CLEAR_CHANGING, batch=batch_size)
    await _run(driver, database, SWAP, batch=batch_size)
    await _run(driver, database, CONSTRAINT)


def report(clashes: list[dict[str, Any]]) -> str:
    """The refusal an operator reads: every agency with cases whose numbers are one number, and what to do."""
    lines = [
        f"{len(clashes)} case number(s) are used by more than one case of an agency, written with other letter case "
        "or spacing; a case number must be unique in its agency as people read it:"
    ]
    for clash in clashes[:MAX_REPORTED]:
        cases = ", ".join(f"{case['number']!r} (case {case['id']})" for case in clash["cases"])
        lines.append(f"  agency {clash['agency']}: {cases} all read as {clash['key']!r}")
    if len(clashes) > MAX_REPORTED:
        lines.append(f"  ... and {len(clashes) - MAX_REPORTED} more")
    lines.append(
        "Nothing was changed. Renumber all but one case of each group (for example in cypher-shell: "
        "MATCH (c:Case {id: '<case id>'}) SET c.agencyCaseNumber = '<a number its agency does not use>'), "
        "then run `sett db migrate` again."
    )
    return "\n".join(lines)


async def _stage(driver: AsyncDriver, database: str, batch_size: int) -> None:
    after = ""
    while True:
        records, _, _ = await driver.execute_query(
            READ_BATCH, after=after, limit=batch_size, database_=database, routing_=RoutingControl.WRITE
        )
        if not records:
            return
        rows = []
        for record in records:
            number = record["number"]
            key = case_number_key(number) if isinstance(number, str) else None
            staged = key if key != record["key"] else None
            if staged != record["staged"]:
                rows.append({"id": record["id"], "staged": staged})
        if rows:
            async with driver.session(database=database) as session:
                await session.execute_write(_write, STAGE, {"rows": rows})
        after = records[-1]["id"]


async def _clashes(driver: AsyncDriver, database: str, batch_size: int) -> list[dict[str, Any]]:
    """Clashes agency by agency, a page of agencies at a time: the grouping holds one page's cases, not all."""
    clashes: list[dict[str, Any]] = []
    after = ""
    page = max(1, min(batch_size, 100))
    while True:
        records, _, _ = await driver.execute_query(
            OWNERS, after=after, limit=page, database_=database, routing_=RoutingControl.WRITE
        )
        agencies = [record["agency"] for record in records]
        if not agencies:
            return clashes
        found, _, _ = await driver.execute_query(
            CLASHES, agencies=agencies, database_=database, routing_=RoutingControl.WRITE
        )
        clashes.extend(record.data() for record in found)
        after = agencies[-1]


async def _write(tx: AsyncManagedTransaction, cypher: str, params: dict[str, Any]) -> None:
    await (await tx.run(cypher, params)).consume()


async def _run(driver: AsyncDriver, database: str, cypher: str, **params: Any) -> None:
    """Runs `cypher` in an auto-commit transaction, which `CALL ... IN TRANSACTIONS` needs."""
    async with driver.session(database=database) as session:
        await (await session.run(cypher, params)).consume()
