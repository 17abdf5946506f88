"""Agency nodes in Neo4j."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from neo4j import AsyncDriver, RoutingControl

from agencies.models import Agency
from agencies.ports import UpsertCounts

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
