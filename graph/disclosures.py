"""Reading dissemination records: who received which of an agency's records, when, and why."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from neo4j import AsyncDriver, RoutingControl

from cases.disclosures import Disclosure

_RANGE = "d.ownerAgencyId = $owner AND ($since IS NULL OR d.at >= $since) AND ($until IS NULL OR d.at < $until)"
DISCLOSURE_PAGE = f"""
MATCH (d:Disclosure)
WHERE {_RANGE} AND (NOT $after OR d.at < $after_at OR (d.at = $after_at AND d.id < $after_id))
WITH d ORDER BY d.at DESC, d.id DESC LIMIT $limit
RETURN d, [id IN d.caseIds WHERE EXISTS {{ MATCH (:Purge {{ownerAgencyId: $owner, caseId: id}}) }}] AS purged
"""
"""`purged`: the cases of the record purged since (28 CFR Part 23), read from the purge records as the report is
read, so that a disclosure committed while its case was purged is noted too."""
DISCLOSURE_COUNT = f"MATCH (d:Disclosure) WHERE {_RANGE} RETURN count(d) AS total"


class Neo4jDisclosureRepository:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def page(
        self,
        *,
        owner_agency_id: str,
        since: datetime | None,
        until: datetime | None,
        first: int,
        after: tuple[datetime, str] | None,
    ) -> tuple[list[Disclosure], int, bool]:
        params: dict[str, Any] = {"owner": owner_agency_id, "since": since, "until": until}
        records, _, _ = await self._driver.execute_query(
            DISCLOSURE_PAGE,
            params,
            after=after is not None,
            after_at=after[0] if after else None,
            after_id=after[1] if after else None,
            limit=first + 1,
            database_=self._database,
            routing_=RoutingControl.READ,
        )
        counted, _, _ = await self._driver.execute_query(
            DISCLOSURE_COUNT, params, database_=self._database, routing_=RoutingControl.READ
        )
        found = [_disclosure(record["d"], record["purged"]) for record in records]
        return found[:first], int(counted[0]["total"]), len(found) > first


def _disclosure(node: Any, purged: list[str]) -> Disclosure:
    return Disclosure(
        id=node["id"],
        at=node["at"].to_native(),
        subject=node["subject"],
        recipient_agency_id=node["recipientAgencyId"],
        owner_agency_id=node["ownerAgencyId"],
        case_ids=tuple(node["caseIds"]),
        purpose=node.get("purpose"),
        operation=node["operation"],
        kind=node.get("kind") or "CASE",
        identifiers=tuple(node.get("identifiers") or ()),
        purged_case_ids=tuple(purged),
    )
