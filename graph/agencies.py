"""Agency nodes in Neo4j."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from neo4j import AsyncDriver, RoutingControl

from agencies.models import Agency, AgencyLevel, AgencySource, Coordinates, PointOfContact
from agencies.ports import UpsertCounts
from graph.stored import contact_from, native

UPSERT_AGENCIES = """
UNWIND $rows AS row
MERGE (a:Agency {id: row.id})
WITH a, row, a.fingerprint AS before
WHERE before IS NULL OR before <> row.fingerprint
SET a += row.properties,
    a.location = CASE WHEN row.latitude IS NULL THEN null
                      ELSE point({latitude: row.latitude, longitude: row.longitude}) END,
    a.fingerprint = row.fingerprint
RETURN count(CASE WHEN before IS NULL THEN 1 END) AS created,
       count(CASE WHEN before IS NOT NULL THEN 1 END) AS changed
"""
COUNT_AGENCIES = "MATCH (a:Agency) RETURN count(a) AS agencies"
AGENCY_EXISTS = "RETURN EXISTS { MATCH (:Agency {id: $id}) } AS found"
AGENCY_BY_ID = "MATCH (a:Agency {id: $id}) RETURN a"
_DIRECTORY_FILTER = "($level IS NULL OR a.level = $level) AND ($state IS NULL OR a.state = $state)"
AGENCY_PAGE = f"""
MATCH (a:Agency) WHERE {_DIRECTORY_FILTER} AND ($after IS NULL OR a.id > $after)
RETURN a ORDER BY a.id LIMIT $limit
"""
AGENCY_COUNT = f"MATCH (a:Agency) WHERE {_DIRECTORY_FILTER} RETURN count(a) AS total"
SET_CONTACT = """
MATCH (a:Agency {id: $id})
SET a.contactName = $name, a.contactPhone = $phone, a.contactEmail = $email
"""
COUNT_AGENCIES_FROM = "MATCH (a:Agency {source: $source}) RETURN count(a) AS agencies"


class Neo4jAgencyRepository:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def upsert_many(self, agencies: Sequence[Agency]) -> UpsertCounts:
        records, _, _ = await self._driver.execute_query(
            UPSERT_AGENCIES, rows=[_row(agency) for agency in agencies], database_=self._database
        )
        return UpsertCounts(created=records[0]["created"], changed=records[0]["changed"])

    async def count(self, source: str | None = None) -> int:
        query, params = (COUNT_AGENCIES, {}) if source is None else (COUNT_AGENCIES_FROM, {"source": source})
        records, _, _ = await self._driver.execute_query(
            query, params, database_=self._database, routing_=RoutingControl.READ
        )
        return int(records[0]["agencies"])

    async def exists(self, agency_id: str) -> bool:
        records, _, _ = await self._driver.execute_query(
            AGENCY_EXISTS, id=agency_id, database_=self._database, routing_=RoutingControl.READ
        )
        return bool(records[0]["found"])

    async def get(self, agency_id: str) -> Agency | None:
        records, _, _ = await self._driver.execute_query(
            AGENCY_BY_ID, id=agency_id, database_=self._database, routing_=RoutingControl.READ
        )
        return agency_from(records[0]["a"]) if records else None

    async def page(
        self, *, level: str | None, state: str | None, first: int, after: str | None
    ) -> tuple[list[Agency], int, bool]:
        params = {"level": level, "state": state}
        records, _, _ = await self._driver.execute_query(
            AGENCY_PAGE,
            params,
            after=after,
            limit=first + 1,
            database_=self._database,
            routing_=RoutingControl.READ,
        )
        counted, _, _ = await self._driver.execute_query(
            AGENCY_COUNT, params, database_=self._database, routing_=RoutingControl.READ
        )
        agencies = [agency_from(record["a"]) for record in records]
        return agencies[:first], int(counted[0]["total"]), len(agencies) > first

    async def set_contact(self, agency_id: str, contact: PointOfContact) -> None:
        await self._driver.execute_query(
            SET_CONTACT,
            id=agency_id,
            name=contact.name,
            phone=contact.phone,
            email=contact.email,
            database_=self._database,
        )


def agency_from(node: Any) -> Agency:
    location = node.get("location")
    start = node.get("nibrsStartDate")
    return Agency(
        id=node["id"],
        name=node["name"],
        level=AgencyLevel(node["level"]),
        source=AgencySource(node["source"]),
        state=node.get("state"),
        county=node.get("county"),
        agency_type=node.get("agencyType"),
        coordinates=Coordinates(latitude=location.latitude, longitude=location.longitude) if location else None,
        nibrs=node.get("nibrs"),
        nibrs_start_date=native(start),
        point_of_contact=contact_from(node.get("contactName"), node.get("contactPhone"), node.get("contactEmail")),
    )


def _row(agency: Agency) -> dict[str, Any]:
    properties = {
        "name": agency.name,
        "level": agency.level.value,
        "source": agency.source.value,
        "state": agency.state,
        "county": agency.county,
        "agencyType": agency.agency_type,
        "nibrs": agency.nibrs,
        "nibrsStartDate": agency.nibrs_start_date,
    }
    coordinates = agency.coordinates
    latitude = coordinates.latitude if coordinates else None
    longitude = coordinates.longitude if coordinates else None
    fingerprint = hashlib.sha256(
        json.dumps([properties, latitude, longitude], default=str, sort_keys=True).encode()
    ).hexdigest()
    return {
        "id": agency.id,
        "properties": properties,
        "latitude": latitude,
        "longitude": longitude,
        "fingerprint": fingerprint,
    }
