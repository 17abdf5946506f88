"""Bulk import: `sett import` of a synthetic file into a fresh local Neo4j, first run and an unchanged second run.

Side by side in one run: the parse alone (scan and check every record, in this process, writing nothing), then
`sett import` as an operator runs it (its own process), then the same command again, when every record is found
unchanged. Each line gives seconds, records per second and the `sett import` process's peak resident memory; the
ratios are over the parse alone, so what the graph costs on top of the checks shows on its own.

    python -m bench.imports                  # 100,000 records, batches of 500
    python -m bench.imports --rows 20000 --batch-size 1000 --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from agencies.models import Agency, AgencyLevel, AgencySource
from bench.import_data import records, write_jsonl
from cases.import_service import DEFAULT_BATCH_SIZE
from cases.imports.reader import ImportSource
from graph.agencies import Neo4jAgencyRepository
from graph.driver import Neo4jConnection, create_driver
from graph.migrator import load_migrations, migrate
from graph.runtime import LocalNeo4j, LocalNeo4jConfig
from graph.runtime.local import free_port

AGENCY = "MN0271100"
SETT = Path(sys.executable).parent / "sett"


async def prepare(connection: Neo4jConnection) -> None:
    driver = create_driver(connection)
    try:
        await migrate(driver, connection.database, load_migrations())
        agency = Agency(id=AGENCY, name="Benchmark agency", level=AgencyLevel.LOCAL, source=AgencySource.FBI_CDE)
        await Neo4jAgencyRepository(driver, connection.database).upsert_many([agency])
    finally:
        await driver.close()


async def graph_counts(connection: Neo4jConnection) -> dict[str, int]:
    driver = create_driver(connection)
    try:
        found: dict[str, int] = {}
        for label in ("Case", "Person", "Identifier"):
            records_, _, _ = await driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS n")
            found[label] = int(records_[0]["n"])
        return found
    finally:
        await driver.close()


def parse_only(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    source = ImportSource.of_file(path)
    source.scan()
    count = sum(1 for _ in source.records())
    return time.perf_counter() - started, count


def sett_import(path: Path, connection: Neo4jConnection, batch_size: int) -> dict[str, Any]:
    """One `sett import` in its own process: wall time, exit code, peak RSS and its summary line."""
    assert connection.auth is not None
    env = {
        **os.environ,
        "NEO4J_URI": connection.uri,
        "NEO4J_USERNAME": connection.auth[0],
        "NEO4J_PASSWORD": connection.auth[1],
        "CI": "true",
    }
    command = [str(SETT), "import", str(path), "--agency", AGENCY, "--batch-size", str(batch_size)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own resource use, its peak RSS among it
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        summary = [line.strip() for line in out if line.startswith("import of ")]
        errors = err.read()
    return {
        "seconds": seconds,
        "exit": process.returncode,
        "peak_rss_mib": usage.ru_maxrss / 1024,  # Linux reports KiB
        "summary": summary,
        "stderr": errors[-2000:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--heap-mb", type=int, default=2048)
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = write_jsonl(Path(folder) / "synthetic.jsonl", records(arguments.rows))
        size_mib = path.stat().st_size / (1 << 20)
        parse_seconds, parsed = parse_only(path)
        assert parsed == arguments.rows
        runtime = LocalNeo4j(
            LocalNeo4jConfig(
                home=Path(folder) / "neo4j",
                bolt_port=free_port(),
                heap_mb=arguments.heap_mb,
                pagecache_mb=1024,
                owner_pid=os.getpid(),
            )
        )
        runtime.start()
        try:
            connection = Neo4jConnection(runtime.uri, runtime.auth)
            asyncio.run(prepare(connection))
            first = sett_import(path, connection, arguments.batch_size)
            stored = asyncio.run(graph_counts(connection))
            second = sett_import(path, connection, arguments.batch_size)
        finally:
            runtime.stop()
    results = {
        "rows": arguments.rows,
        "file_mib": round(size_mib, 1),
        "batch_size": arguments.batch_size,
        "parse only": {"seconds": parse_seconds},
        "first import": first,
        "unchanged import": second,
        "graph": stored,
    }
    if arguments.json:
        print(json.dumps(results, default=str))
        return
    print(f"{arguments.rows} synthetic records ({size_mib:.1f} MiB of JSON Lines), batches of {arguments.batch_size}")
    print(f"graph after the first import: {stored}")
    runs: tuple[tuple[str, dict[str, Any]], ...] = (
        ("parse only", {"seconds": parse_seconds}),
        ("first import", first),
        ("unchanged import", second),
    )
    for label, run in runs:
        seconds = float(run["seconds"])
        memory = f"  peak RSS {run['peak_rss_mib']:6.0f} MiB  exit {run['exit']}" if "exit" in run else ""
        ratio = seconds / parse_seconds
        print(f"{label:<17} {seconds:7.1f} s  {arguments.rows / seconds:7.0f} rows/s  {ratio:5.2f}x parse{memory}")
    for label, run in runs[1:]:
        for line in run["summary"]:
            print(f"  {label}: {line}")


if __name__ == "__main__":
    main()
