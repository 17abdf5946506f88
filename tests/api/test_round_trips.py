"""Round trips: a request sends a bounded number of Cypher queries, the same for 3 rows as for 30.

Counted by Neo4j itself (its query collector, `db.stats.collect('QUERIES')`), so what is counted is what the
gateway really sent, whichever layer sent it.
"""

from __future__ import annotations

from typing import Any

import httpx
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import gql, token_for
from tests.support.persons import add_identifier, add_person, open_case

SPD = "WASPD0000"
LINKED = """
query($id: ID!) {
  linkedCases(caseId: $id, maxHops: 2, first: 50) {
    totalCount
    edges { node {
      hops linkedBy { value }
      case { id identifiers { value } persons { role person { name identifiers { value } } } }
    } }
  }
}
"""


async def queries_sent(graph: AsyncDriver, send: Any) -> int:
    """How many times Cypher queries other than the collector's own ran while `send` ran."""
    await graph.execute_query("CALL db.stats.stop('QUERIES')")
    await graph.execute_query("CALL db.stats.clear('QUERIES')")
    await graph.execute_query("CALL db.stats.collect('QUERIES')")
    await send()
    await graph.execute_query("CALL db.stats.stop('QUERIES')")
    records, _, _ = await graph.execute_query("CALL db.stats.retrieve('QUERIES') YIELD data RETURN data")
    return sum(len(record["data"]["invocations"]) for record in records if "db.stats" not in record["data"]["query"])


async def test_linked_cases_with_nested_persons_costs_the_same_queries_for_any_number_of_rows(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    starts = {}
    for size in (3, 30):
        start = await open_case(client, analyst, f"START-{size}")
        phone = f"+1612555{size:04d}"
        await add_identifier(client, analyst, "PHONE", phone, case=start)
        for number in range(size):
            linked = await open_case(client, analyst, f"L-{size}-{number}")
            await add_identifier(client, analyst, "PHONE", phone, case=linked)
            person = (await add_person(client, analyst, linked, name=f"Synthetic Person {number}"))["person"]["id"]
            await add_identifier(client, analyst, "EMAIL", f"p{size}-{number}@example.org", person=person)
        starts[size] = start
    await gql(client, LINKED, {"id": starts[3]}, token=analyst)  # the login audit of the token's first use

    counts = {}
    for size, start in starts.items():

        async def send(start: str = start, size: int = size) -> None:
            body = await gql(client, LINKED, {"id": start}, token=analyst)
            assert body.get("errors") is None, body
            assert body["data"]["linkedCases"]["totalCount"] == size
            assert all(edge["node"]["case"]["persons"] for edge in body["data"]["linkedCases"]["edges"])

        counts[size] = await queries_sent(graph, send)
    assert counts[3] == counts[30]
    # the token, the walk, the audit head and the records written with it, and one per nested list
    assert counts[30] == 6, counts
