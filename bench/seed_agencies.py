"""Agency seeding: first load vs an identical reload vs a reload where every row changed, side by side."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from agencies.fbi_agencies import parse_fbi_agencies
from agencies.federal import FEDERAL_AGENCIES
from agencies.models import Agency
from agencies.service import seed_agencies
from gateway.settings import Settings
from graph.agencies import Neo4jAgencyRepository
from graph.driver import Neo4jConnection, create_driver
from graph.migrator import load_migrations, migrate
from graph.runtime import LocalNeo4j, LocalNeo4jConfig
from graph.runtime.local import free_port

ROUNDS = 3


async def measure(connection: Neo4jConnection, agencies: tuple[Agency, ...]) -> dict[str, float]:
    changed = tuple(agency.model_copy(update={"name": agency.name + " (renamed)"}) for agency in agencies)
    driver = create_driver(connection)
    timings: dict[str, list[float]] = {"first load": [], "identical reload": [], "every row changed": []}
    try:
        await migrate(driver, connection.database, load_migrations())
        repository = Neo4jAgencyRepository(driver, connection.database)
        for _ in range(ROUNDS):
            await driver.execute_query("MATCH (a:Agency) CALL (a) { DELETE a } IN TRANSACTIONS OF 10000 ROWS")
            for label, batch in (
                ("first load", agencies),
                ("identical reload", agencies),
                ("every row changed", changed),
            ):
                started = time.perf_counter()
                await seed_agencies(agencies=batch, repository=repository)
                timings[label].append(time.perf_counter() - started)
    finally:
        await driver.close()
    return {label: min(values) for label, values in timings.items()}


def main() -> None:
    with Settings().agencies_csv.open(newline="") as handle:
        agencies = (*parse_fbi_agencies(handle).agencies, *FEDERAL_AGENCIES)
    with tempfile.TemporaryDirectory() as folder:
        runtime = LocalNeo4j(LocalNeo4jConfig(home=Path(folder), bolt_port=free_port(), owner_pid=os.getpid()))
        runtime.start()
        try:
            best = asyncio.run(measure(Neo4jConnection(runtime.uri, runtime.auth), agencies))
        finally:
            runtime.stop()
    base = best["first load"]
    if "--json" in sys.argv:
        print(json.dumps({"agencies": len(agencies), "seconds": best}))
        return
    print(f"{len(agencies)} agencies, best of {ROUNDS} rounds")
    for label, seconds in best.items():
        print(f"{label:<20} {seconds:7.2f} s  {seconds / base:5.2f}x first load  {len(agencies) / seconds:8.0f} rows/s")


if __name__ == "__main__":
    main()
