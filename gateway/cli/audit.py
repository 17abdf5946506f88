"""`sett audit verify`: check that no audit entry was edited, removed or reordered."""

from __future__ import annotations

import typer
from neo4j import AsyncDriver

from agencies.audit import ChainBreak, verify_chains
from gateway.cli.common import console, fail, with_driver
from gateway.settings import Settings
from graph.audit import Neo4jAuditLog
from graph.driver import Neo4jConnection

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


@app.command()
def verify() -> None:
    """Recompute the hash chain; exit 1 and name the first bad entry if anything was changed."""

    async def work(driver: AsyncDriver, connection: Neo4jConnection) -> tuple[int, int, ChainBreak | None]:
        before, entries, after = await Neo4jAuditLog(driver, connection.database).snapshot()
        return len(entries), len(before), verify_chains(entries, before, after)

    count, chains, broken = with_driver(Settings(), work)
    if broken is not None:
        raise fail(f"audit log broken at chain {broken.chain} entry {broken.seq}: {broken.reason}")
    console.print(f"audit log intact: {count} entries in {chains} chains")
