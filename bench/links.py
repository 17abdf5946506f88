"""Linked-case reads: Sett against the same Cypher sent straight through the driver, side by side.

    python -m bench.links --identifiers 10000            # what `make bench` runs
    python -m bench.links --identifiers 10000 1000000    # both sizes, for a closing note

For each size it starts a fresh local Neo4j, loads the real FBI agencies and synthetic cases, persons and
identifiers (`bench.link_data`), then runs the linked-case mix — linkedCases at 1, 2 and 3 hops,
lookupIdentifier, linkPath, searchCases — through `sett serve` (HTTP, GraphQL, authentication with a Redis
broker) and through Sett's own repositories called in this process ("driver": the same Cypher, the same
transactions and records, without HTTP, GraphQL or authentication), interleaved, at concurrency 1 and 8. It
prints p50, p99 and throughput for both, their ratios, and with two sizes the p50 of the larger over the
smaller. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime
from typing import Any

from agencies import service
from agencies.fbi_agencies import parse_fbi_agencies
from agencies.federal import FEDERAL_AGENCIES
from agencies.principals import Role
from bench.http import HttpPool
from bench.link_data import LinkCast, load
from bench.reads import (
    CONCURRENCY,
    PURPOSE,
    Call,
    Sample,
    as_a_request,
    fresh_neo4j,
    graphql_call,
    run_batch,
    sett_server,
)
from cases.identifiers import Identifier, IdentifierKind
from cases.models import PathEnd
from cases.ports import Reader
from gateway.cli.operator import operator
from gateway.repositories import Repositories
from gateway.settings import Settings
from graph.driver import Neo4jConnection, create_driver, settle_plans
from graph.migrator import load_migrations, migrate

ROUNDS = 3
REQUESTS = 100
LINKED = "query($id: ID!, $hops: Int) { linkedCases(caseId: $id, maxHops: $hops, first: 20) { totalCount edges { node { hops access linkedBy { value } case { id title } pointer { ownerAgencyId } } } } }"  # noqa: E501
LOOKUP = "query($kind: IdentifierKind!, $value: String!) { lookupIdentifier(identifier: {kind: $kind, value: $value}, first: 20) { edges { node { access case { id } pointer { ownerAgencyId } } } } }"  # noqa: E501
PATH = "query($a: IdentifierInput!, $b: IdentifierInput!) { linkPath(from: {identifier: $a}, to: {identifier: $b}) { identifier { value } case { id } pointer { ownerAgencyId } } }"  # noqa: E501
SEARCH = "query($text: String!) { searchCases(text: $text, first: 20) { totalCount edges { node { id title } } } }"


async def prepare(connection: Neo4jConnection, identifiers: int) -> tuple[LinkCast, str]:
    settings = Settings()
    with settings.agencies_csv.open(newline="") as handle:
        agencies = [*parse_fbi_agencies(handle).agencies, *FEDERAL_AGENCIES]
    driver = create_driver(connection)
    try:
        await migrate(driver, connection.database, load_migrations())
        repos = Repositories.on(driver, connection.database)
        await service.seed_agencies(agencies=agencies, repository=repos.agencies)
        cast = await load(driver, connection.database, agencies, identifiers)
        await settle_plans(driver, connection.database)
        issued = await service.issue_token(
            principal=operator(),
            agency_id=cast.reader,
            subject=f"bench@{cast.reader}",
            roles=frozenset({Role.ANALYST}),
            scopes=None,
            description="benchmark",
            tokens=repos.tokens,
            agencies=repos.agencies,
        )
    finally:
        await driver.close()
    return cast, issued.secret


def _identifier(kind: str, value: str) -> Identifier:
    return Identifier(IdentifierKind(kind), value, value)


async def measure(
    connection: Neo4jConnection, cast: LinkCast, token: str, sett_url: str, *, rounds: int, requests: int
) -> dict[tuple[str, str, int], Sample]:
    driver = create_driver(connection)
    repos = Repositories.on(driver, connection.database)
    reader = Reader(f"bench@{cast.reader}", cast.reader, PURPOSE, datetime.now(UTC))
    sett = HttpPool(sett_url)
    headers = {"Authorization": f"Bearer {token}", "X-Sett-Purpose": PURPOSE}

    def pick(items: tuple[Any, ...], number: int) -> Any:
        return items[number % len(items)]

    def linked(hops: int) -> dict[str, Call]:
        async def direct(number: int) -> None:
            assert await repos.links.linked(reader, pick(cast.starts, number), hops, 20, None) is not None

        variables = lambda number: {"id": pick(cast.starts, number), "hops": hops}  # noqa: E731
        return {"sett": graphql_call(sett, LINKED, variables, headers), "driver": as_a_request(direct)}

    async def lookup_direct(number: int) -> None:
        await repos.links.holders(reader, _identifier(*pick(cast.lookups, number)), 20, None)

    async def path_direct(number: int) -> None:
        a, b = pick(cast.paths, number)
        ends = PathEnd(identifiers=(_identifier(*a),)), PathEnd(identifiers=(_identifier(*b),))
        await repos.paths.shortest(reader, ends[0], ends[1], 4)

    async def search_direct(number: int) -> None:
        await repos.search.search(reader, pick(cast.words, number), 20, None)

    def lookup_vars(number: int) -> dict[str, Any]:
        kind, value = pick(cast.lookups, number)
        return {"kind": kind, "value": value}

    def path_vars(number: int) -> dict[str, Any]:
        (ka, va), (kb, vb) = pick(cast.paths, number)
        return {"a": {"kind": ka, "value": va}, "b": {"kind": kb, "value": vb}}

    targets: dict[str, dict[str, Call]] = {
        "linkedCases, 1 hop": linked(1),
        "linkedCases, 2 hops": linked(2),
        "linkedCases, 3 hops": linked(3),
        "lookupIdentifier": {
            "sett": graphql_call(sett, LOOKUP, lookup_vars, headers),
            "driver": as_a_request(lookup_direct),
        },
        "linkPath": {"sett": graphql_call(sett, PATH, path_vars, headers), "driver": as_a_request(path_direct)},
        "searchCases": {
            "sett": graphql_call(sett, SEARCH, lambda number: {"text": pick(cast.words, number)}, headers),
            "driver": as_a_request(search_direct),
        },
    }
    for calls in targets.values():  # warm-up: plans, JIT, connection pools
        for call in calls.values():
            for number in range(30):
                await call(number)
    samples: dict[tuple[str, str, int], Sample] = {}
    for _ in range(rounds):
        for concurrency in CONCURRENCY:
            for query, calls in targets.items():
                for target, call in calls.items():
                    await run_batch(
                        call, concurrency, samples.setdefault((query, target, concurrency), Sample()), requests
                    )
    await sett.close()
    await driver.close()
    return samples


def rows_of(identifiers: int, samples: dict[tuple[str, str, int], Sample]) -> list[dict[str, Any]]:
    rows = []
    for concurrency in CONCURRENCY:
        for query in dict.fromkeys(query for query, _, _ in samples):
            row: dict[str, Any] = {"identifiers": identifiers, "concurrency": concurrency, "query": query}
            for target in ("sett", "driver"):
                found = samples[(query, target, concurrency)]
                row[target] = {
                    "p50_ms": found.p(0.5),
                    "p99_ms": found.p(0.99),
                    "rps": found.throughput,
                    "failed": found.failures,
                }
            sett, direct = row["sett"], row["driver"]
            row["sett_over_driver_p50"] = sett["p50_ms"] / direct["p50_ms"]
            row["sett_over_driver_rps"] = sett["rps"] / direct["rps"] if direct["rps"] else float("nan")
            rows.append(row)
    return rows


def print_rows(rows: list[dict[str, Any]]) -> None:
    columns = ("identifiers", "c", "query", "sett p50 p99 rps", "driver p50 p99 rps", "S/drv p50", "S/drv rps")
    widths = (11, 2, -22, 24, 24, 9, 9)
    print(" ".join(f"{name:<{-w}}" if w < 0 else f"{name:>{w}}" for name, w in zip(columns, widths, strict=True)))
    for row in rows:
        cells = [f"{row[t]['p50_ms']:7.2f} {row[t]['p99_ms']:7.2f} {row[t]['rps']:7.0f}" for t in ("sett", "driver")]
        failed = row["sett"]["failed"] + row["driver"]["failed"]
        print(
            f"{row['identifiers']:>11} {row['concurrency']:>2} {row['query']:<22} {cells[0]:>24} {cells[1]:>24} "
            f"{row['sett_over_driver_p50']:9.2f} {row['sett_over_driver_rps']:9.2f}"
            + (f"  ({failed} failed)" if failed else "")
        )
    sizes = sorted({row["identifiers"] for row in rows})
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"\np50 at {large:,} identifiers over p50 at {small:,}, Sett")
        by = {(row["identifiers"], row["concurrency"], row["query"]): row for row in rows}
        for (size, concurrency, query), row in by.items():
            if size == large:
                ratio = row["sett"]["p50_ms"] / by[(small, concurrency, query)]["sett"]["p50_ms"]
                print(f"   c={concurrency} {query:<22} {ratio:6.2f}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--identifiers", type=int, nargs="+", default=[10_000])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--requests", type=int, default=REQUESTS, help="per target, query and concurrency a round")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    arguments = parser.parse_args()
    rows: list[dict[str, Any]] = []
    for identifiers in arguments.identifiers:
        with fresh_neo4j() as (connection, redis_url):
            cast, token = asyncio.run(prepare(connection, identifiers))
            with sett_server(connection, redis_url) as sett_url:
                samples = asyncio.run(
                    measure(connection, cast, token, sett_url, rounds=arguments.rounds, requests=arguments.requests)
                )
            rows += rows_of(identifiers, samples)
    if arguments.json:
        print(json.dumps(rows, indent=2))
    else:
        print_rows(rows)


if __name__ == "__main__":
    main()
