"""Sharing agreements in Neo4j. Their validity is stored as datetimes so Cypher can filter on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl

from agencies.agreements import SharingAgreement
from agencies.audit import AuditEvent
from graph.audit import append_audit
from graph.stored import agreement_from

CREATE_AGREEMENT = """
CREATE (g:SharingAgreement {id: $id, grantorId: $grantor_id, granteeId: $grantee_id, coverage: $coverage,
        labels: $labels, caseIds: $case_ids, victimServices: $victim_services, purpose: $purpose,
        validFrom: $valid_from, validUntil: $valid_until, createdBy: $created_by})
"""
NOT_OWNED_CASES = """
UNWIND $case_ids AS id
OPTIONAL MATCH (:Agency {id: $grantor_id})-[:OWNS]->(c:Case {id: id})
WITH id WHERE c IS NULL
RETURN collect(id) AS missing
"""
AGREEMENT_BY_ID = "MATCH (g:SharingAgreement {id: $id}) RETURN g"
AGREEMENTS_INVOLVING = """
MATCH (g:SharingAgreement) WHERE g.grantorId = $agency_id OR g.granteeId = $agency_id
RETURN g ORDER BY g.validFrom DESC, g.id
"""
REVOKE_AGREEMENT = """
MATCH (g:SharingAgreement {id: $id})
SET g.revokedAt = coalesce(g.revokedAt, $now)
RETURN g
"""


class Neo4jAgreementRepository:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def create(self, agreement: SharingAgreement, event: AuditEvent) -> None:
        async def work(tx: AsyncManagedTransaction) -> None:
            await (await tx.run(CREATE_AGREEMENT, agreement_params(agreement))).consume()
            await append_audit(tx, event)

        async with self._driver.session(database=self._database) as session:
            await session.execute_write(work)

    async def not_owned(self, grantor_id: str, case_ids: frozenset[str]) -> list[str]:
        records, _, _ = await self._driver.execute_query(
            NOT_OWNED_CASES,
            grantor_id=grantor_id,
            case_ids=sorted(case_ids),
            database_=self._database,
            routing_=RoutingControl.READ,
        )
        return sorted(records[0]["missing"])

    async def by_id(self, agreement_id: str) -> SharingAgreement | None:
        records, _, _ = await self._driver.execute_query(
            AGREEMENT_BY_ID, id=agreement_id, database_=self._database, routing_=RoutingControl.READ
        )
        return agreement_from(records[0]["g"]) if records else None

    async def involving(self, agency_id: str) -> list[SharingAgreement]:
        records, _, _ = await self._driver.execute_query(
            AGREEMENTS_INVOLVING, agency_id=agency_id, database_=self._database, routing_=RoutingControl.READ
        )
        return [agreement_from(record["g"]) for record in records]

    async def revoke(self, agreement_id: str, now: datetime, event: AuditEvent) -> SharingAgreement | None:
        async def work(tx: AsyncManagedTransaction) -> SharingAgreement | None:
            record = await (await tx.run(REVOKE_AGREEMENT, id=agreement_id, now=now)).single()
            if record is None:
                return None
            await append_audit(tx, event)
            return agreement_from(record["g"])

        async with self._driver.session(database=self._database) as session:
            return await session.execute_write(work)


def agreement_params(agreement: SharingAgreement) -> dict[str, Any]:
    return {
        "id": agreement.id,
        "grantor_id": agreement.grantor_id,
        "grantee_id": agreement.grantee_id,
        "coverage": agreement.coverage.value,
        "labels": sorted(agreement.labels),
        "case_ids": sorted(agreement.case_ids),
        "victim_services": agreement.victim_services,
        "purpose": agreement.purpose,
        "valid_from": agreement.valid_from,
        "valid_until": agreement.valid_until,
        "created_by": agreement.created_by,
    }
