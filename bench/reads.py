"""Case reads: Sett against the same reads sent straight through the driver and against @neo4j/graphql.

    python -m bench.reads --cases 10000            # what `make bench` runs
    python -m bench.reads --cases 10000 200000     # both sizes, for a closing note

For each size it starts a fresh local Neo4j, loads the real FBI agencies and synthetic cases
(`bench.data`), then serves them three ways at once: Sett (`sett serve`, with a Redis broker so tokens are
cached), "driver" (Sett's own repository called in this process: the same Cypher and transactions, the
disclosure write included, without HTTP, GraphQL or authentication), and "peer" (@neo4j/graphql 7 under
Apollo Server, `bench/peer/`, with the owner-or-team rule; installed here by `npm ci`). Each round sends
every query to every target in turn (interleaved), at concurrency 1 and 8; the table gives p50, p99,
throughput, and the ratios Sett/driver (p50) and Sett/peer (throughput). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import jwt

from agencies import service
from agencies.fbi_agencies import parse_fbi_agencies
from agencies.federal import FEDERAL_AGENCIES
from agencies.principals import Role
from bench.data import BIG_SHARE, Cast, load
from bench.http import HttpPool
from cases.models import CaseFilter
from cases.ports import Reader
from gateway.cli.operator import operator
from gateway.repositories import Repositories
from gateway.settings import Settings
from graph.driver import Neo4jConnection, create_driver, settle_plans
from graph.migrator import load_migrations, migrate
from graph.recorded_reads import recording_for_request
from graph.runtime import LocalNeo4j, LocalNeo4jConfig
from graph.runtime.local import free_port
from tests.support.servers import owned_redis

PEER_DIR = Path(__file__).parent / "peer"
PEER_SECRET = "bench-only-shared-secret-for-the-peer-jwt"  # noqa: S105 - a local benchmark peer
ROUNDS = 5
REQUESTS = 200
"""Requests per target, query and concurrency in each round."""
CONCURRENCY = (1, 8)
REQUEST_TIMEOUT_SECONDS = 30
"""A request still unanswered after this counts as failed, and its target is not sent that query again (at
200k the peer can leave a deep page unanswered for good), so that a stalled target cannot hang the run."""
PURPOSE = "benchmark: synthetic cross-agency read"

CASE = "query($id: ID!) { case(id: $id) { id ownerAgencyId title } }"
PAGE = "query($after: String) { cases(first: 20, after: $after) { totalCount edges { node { id ownerAgencyId title } } pageInfo { hasNextPage endCursor } } }"  # noqa: E501
PEER_CASE = "query($id: ID!) { cases(where: { id: { eq: $id } }) { id ownerAgencyId title } }"
PEER_PAGE = "query($after: String) { casesConnection(first: 20, after: $after, sort: [{ id: ASC }]) { totalCount edges { node { id ownerAgencyId title } } pageInfo { hasNextPage endCursor } } }"  # noqa: E501
TYPENAME = "{ __typename }"

Call = Callable[[int], Awaitable[None]]


class AnsweredWithError(RuntimeError):
    pass


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    failures: int = 0
    stalled: bool = False
    """Requests answered with an error (the peer runs out of transaction memory on deep pages at 200k)."""

    def p(self, quantile: float) -> float:
        ordered = sorted(self.latencies) or [float("nan")]
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def run_batch(call: Call, concurrency: int, sample: Sample, requests: int) -> None:
    counter = iter(range(requests))

    async def worker() -> None:
        for number in counter:
            if sample.stalled:
                return
            started = time.perf_counter()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT_SECONDS):
                    await call(number)
            except TimeoutError:
                sample.failures += 1
                sample.stalled = True
                continue
            except AnsweredWithError:
                sample.failures += 1
                continue
            sample.latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    sample.seconds += time.perf_counter() - started


def graphql_call(
    pool: HttpPool, query: str, variables: Callable[[int], dict[str, Any]], headers: dict[str, str]
) -> Call:
    async def call(number: int) -> None:
        status, body = await pool.post_json({"query": query, "variables": variables(number)}, headers)
        if status != 200 or body.get("errors"):
            raise AnsweredWithError(f"{status} {body}"[:500])

    return call


def as_a_request(work: Call) -> Call:
    """A driver call that records as a gateway request does: its reads in read transactions, then the
    records of what it found in one write, through `graph.recorded_reads`."""

    async def call(number: int) -> None:
        with recording_for_request() as pending:
            await work(number)
        await pending.commit(lambda field: True)

    return call


def neo4j_env(connection: Neo4jConnection) -> dict[str, str]:
    assert connection.auth is not None
    return {
        **os.environ,
        "NEO4J_URI": connection.uri,
        "NEO4J_USERNAME": connection.auth[0],
        "NEO4J_PASSWORD": connection.auth[1],
    }


@contextmanager
def sett_server(connection: Neo4jConnection, redis_url: str) -> Iterator[str]:
    port = free_port()
    env = {
        **neo4j_env(connection),
        "SETT_BROKER_URL": redis_url,
        "SETT_ENVIRONMENT": "production",
        "SETT_LOG_LEVEL": "WARNING",
    }
    sett = Path(sys.executable).parent / "sett"
    with _server([str(sett), "serve", "--port", str(port)], env, f"http://127.0.0.1:{port}/healthz") as _:
        yield f"http://127.0.0.1:{port}/graphql"


@contextmanager
def peer_server(connection: Neo4jConnection) -> Iterator[str]:
    if not (PEER_DIR / "node_modules").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEER_DIR, check=True)
    port = free_port()
    env = {
        **neo4j_env(connection),
        "PEER_PORT": str(port),
        "PEER_JWT_SECRET": PEER_SECRET,
        "NODE_ENV": "production",
    }
    url = f"http://127.0.0.1:{port}/"
    with _server(["node", str(PEER_DIR / "server.mjs")], env, None, probe_post=url) as _:
        yield url


@contextmanager
def _server(
    command: list[str], env: dict[str, str], health: str | None, probe_post: str | None = None
) -> Iterator[None]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} ended: {process.stderr.read().decode() if process.stderr else ''}")
            try:
                if health:
                    ready = httpx.get(health, timeout=1).status_code == 200
                else:
                    assert probe_post is not None
                    ready = httpx.post(probe_post, json={"query": TYPENAME}, timeout=1).status_code == 200
                if ready:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not become ready")
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def fresh_neo4j() -> Iterator[tuple[Neo4jConnection, str]]:
    """A fresh local Neo4j in a temporary folder, and a Redis for Sett's broker, for one size of a benchmark."""
    with tempfile.TemporaryDirectory() as folder, owned_redis() as redis_url:
        runtime = LocalNeo4j(
            LocalNeo4jConfig(
                home=Path(folder), bolt_port=free_port(), heap_mb=4096, pagecache_mb=2048, owner_pid=os.getpid()
            )
        )
        runtime.start()
        try:
            yield Neo4jConnection(runtime.uri, runtime.auth), redis_url
        finally:
            runtime.stop()


def sett_cursor(case_id: str) -> str:
    return base64.urlsafe_b64encode(f"case:{case_id}".encode()).decode()


def peer_cursor(offset: int) -> str:
    return base64.b64encode(f"arrayconnection:{offset}".encode()).decode()


async def prepare(connection: Neo4jConnection, total: int) -> tuple[Cast, dict[str, str]]:
    settings = Settings()
    with settings.agencies_csv.open(newline="") as handle:
        agencies = [*parse_fbi_agencies(handle).agencies, *FEDERAL_AGENCIES]
    driver = create_driver(connection)
    try:
        await migrate(driver, connection.database, load_migrations())
        repos = Repositories.on(driver, connection.database)
        await service.seed_agencies(agencies=agencies, repository=repos.agencies)
        cast = await load(driver, connection.database, agencies, total)
        await settle_plans(driver, connection.database)
        tokens = {}
        for agency in (cast.big, cast.small, cast.cross):
            issued = await service.issue_token(
                principal=operator(),
                agency_id=agency,
                subject=f"bench@{agency}",
                roles=frozenset({Role.ANALYST}),
                scopes=None,
                description="benchmark",
                tokens=repos.tokens,
                agencies=repos.agencies,
            )
            tokens[agency] = issued.secret
    finally:
        await driver.close()
    return cast, tokens


async def deep_cursor(repos: Repositories, reader: Reader, position: int) -> str:
    """The id after which a page starts `position` cases into the reader's list."""
    after = None
    for _ in range(position // 100):
        page = await repos.cases.read_page(reader, CaseFilter(), 100, after, count=False)
        after = page.cases[-1].id
    assert after is not None
    return after


async def measure(
    total: int,
    connection: Neo4jConnection,
    *,
    rounds: int,
    requests: int,
    cast: Cast,
    tokens: dict[str, str],
    sett_url: str,
    peer_url: str,
) -> dict[tuple[str, str, int], Sample]:
    driver = create_driver(connection)
    repos = Repositories.on(driver, connection.database)
    now = datetime.now(UTC)
    readers = {agency: Reader(f"bench@{agency}", agency, PURPOSE, now) for agency in tokens}
    depth = min(5_000, round(total * BIG_SHARE) // 200 * 100)
    deep_after = await deep_cursor(repos, readers[cast.big], depth)
    ids = cast.big_cases

    def case_vars(number: int) -> dict[str, Any]:
        return {"id": ids[number % len(ids)]}

    def sett_headers(agency: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[agency]}", "X-Sett-Purpose": PURPOSE}

    def peer_headers(agency: str) -> dict[str, str]:
        token = jwt.encode({"sub": f"bench@{agency}", "agency": agency}, PEER_SECRET, algorithm="HS256")
        return {"Authorization": f"Bearer {token}"}

    async def driver_case(reader: Reader) -> Call:
        async def call(number: int) -> None:
            assert await repos.cases.read_one(reader, ids[number % len(ids)]) is not None

        return as_a_request(call)

    async def driver_page(reader: Reader, after: str | None) -> Call:
        async def call(number: int) -> None:
            await repos.cases.read_page(reader, CaseFilter(), 20, after, count=True)  # PAGE selects totalCount

        return as_a_request(call)

    sett, peer = HttpPool(sett_url), HttpPool(peer_url)
    targets: dict[str, dict[str, Call]] = {
        "case(id), own agency": {
            "sett": graphql_call(sett, CASE, case_vars, sett_headers(cast.big)),
            "driver": await driver_case(readers[cast.big]),
            "peer": graphql_call(peer, PEER_CASE, case_vars, peer_headers(cast.big)),
        },
        "case(id), cross-agency (disclosure)": {
            "sett": graphql_call(sett, CASE, case_vars, sett_headers(cast.cross)),
            "driver": await driver_case(readers[cast.cross]),
        },
        "first page + totalCount, sees 60": {
            "sett": graphql_call(sett, PAGE, lambda n: {}, sett_headers(cast.small)),
            "driver": await driver_page(readers[cast.small], None),
            "peer": graphql_call(peer, PEER_PAGE, lambda n: {}, peer_headers(cast.small)),
        },
        "first page + totalCount, big agency": {
            "sett": graphql_call(sett, PAGE, lambda n: {}, sett_headers(cast.big)),
            "driver": await driver_page(readers[cast.big], None),
            "peer": graphql_call(peer, PEER_PAGE, lambda n: {}, peer_headers(cast.big)),
        },
        "deep page (<=5,000 in), big agency": {
            "sett": graphql_call(sett, PAGE, lambda n: {"after": sett_cursor(deep_after)}, sett_headers(cast.big)),
            "driver": await driver_page(readers[cast.big], deep_after),
            "peer": graphql_call(peer, PEER_PAGE, lambda n: {"after": peer_cursor(depth - 1)}, peer_headers(cast.big)),
        },
        "{ __typename } with a token": {
            "sett": graphql_call(sett, TYPENAME, lambda n: {}, sett_headers(cast.big)),
            "peer": graphql_call(peer, TYPENAME, lambda n: {}, peer_headers(cast.big)),
        },
        "{ __typename } anonymous": {
            "sett": graphql_call(sett, TYPENAME, lambda n: {}, {}),
            "peer": graphql_call(peer, TYPENAME, lambda n: {}, {}),
        },
    }
    samples: dict[tuple[str, str, int], Sample] = {}
    stalled: set[tuple[str, str]] = set()
    for query, calls in targets.items():  # warm-up: caches, JIT, connection pools
        for target, call in calls.items():
            for number in range(50):
                try:
                    async with asyncio.timeout(REQUEST_TIMEOUT_SECONDS):
                        await call(number)
                except TimeoutError:
                    stalled.add((query, target))
                    break
                except AnsweredWithError:
                    continue
    for _ in range(rounds):
        for concurrency in CONCURRENCY:
            for query, calls in targets.items():
                for target, call in calls.items():
                    sample = samples.setdefault((query, target, concurrency), Sample())
                    sample.stalled = sample.stalled or (query, target) in stalled
                    await run_batch(call, concurrency, sample, requests)
    await sett.close()
    await peer.close()
    await driver.close()
    return samples


def report(total: int, samples: dict[tuple[str, str, int], Sample]) -> list[dict[str, Any]]:
    rows = []
    queries = list(dict.fromkeys(query for query, _, _ in samples))
    for concurrency in CONCURRENCY:
        for query in queries:
            found = {
                target: samples[(query, target, concurrency)]
                for q, target, c in samples
                if q == query and c == concurrency
            }
            sett = found["sett"]
            row: dict[str, Any] = {"cases": total, "query": query, "concurrency": concurrency}
            for target, sample in found.items():
                row[target] = {
                    "p50_ms": sample.p(0.5),
                    "p99_ms": sample.p(0.99),
                    "rps": sample.throughput,
                    "failed": sample.failures,
                    "stalled": sample.stalled,
                }
            if "driver" in found:
                row["sett_over_driver_p50"] = sett.p(0.5) / found["driver"].p(0.5)
            if "peer" in found and found["peer"].throughput:
                row["sett_over_peer_rps"] = sett.throughput / found["peer"].throughput
            rows.append(row)
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    def cell(row: dict[str, Any], target: str) -> str:
        if target not in row:
            return f"{'—':>22}"
        found = row[target]
        failed = f" ({found['failed']} failed)" if found["failed"] else ""
        failed += " (stalled)" if found["stalled"] else ""
        return f"{found['p50_ms']:6.2f} {found['p99_ms']:7.2f} {found['rps']:7.0f}{failed}"

    header = f"{'cases':>7} {'c':>2} {'query':<38} {'sett p50 p99 rps':>22} {'driver p50 p99 rps':>22} {'peer p50 p99 rps':>22} {'S/drv p50':>9} {'S/peer rps':>10}"  # noqa: E501
    print(header)
    for row in rows:
        over_driver = f"{row['sett_over_driver_p50']:9.2f}" if "sett_over_driver_p50" in row else f"{'—':>9}"
        over_peer = f"{row['sett_over_peer_rps']:10.2f}" if "sett_over_peer_rps" in row else f"{'—':>10}"
        print(
            f"{row['cases']:>7} {row['concurrency']:>2} {row['query']:<38} {cell(row, 'sett')} {cell(row, 'driver')} "
            f"{cell(row, 'peer')} {over_driver} {over_peer}"
        )
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, nargs="+", default=[10_000])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="interleaved rounds (default %(default)s)")
    parser.add_argument(
        "--requests", type=int, default=REQUESTS, help="requests per target, query and concurrency in each round"
    )
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    arguments = parser.parse_args()
    rows: list[dict[str, Any]] = []
    for total in arguments.cases:
        with fresh_neo4j() as (connection, redis_url):
            cast, tokens = asyncio.run(prepare(connection, total))
            with sett_server(connection, redis_url) as sett_url, peer_server(connection) as peer_url:
                samples = asyncio.run(
                    measure(
                        total,
                        connection,
                        rounds=arguments.rounds,
                        requests=arguments.requests,
                        cast=cast,
                        tokens=tokens,
                        sett_url=sett_url,
                        peer_url=peer_url,
                    )
                )
            found = report(total, samples)
            rows += found
            if not arguments.json:
                print_table(found)
    if arguments.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
