"""Sett tokens in Neo4j: stored by hash, never by secret."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl

from agencies.audit import AuditEvent
from agencies.principals import Role, Scope
from agencies.tokens import TokenRecord
from graph.audit import append_audit

CREATE_TOKEN = """
CREATE (t:Token {id: $id, hash: $hash, display: $display, agencyId: $agency_id, subject: $subject, roles: $roles,
                 scopes: $scopes, expiresAt: $expires_at, createdAt: $created_at, createdBy: $created_by,
                 description: $description})
"""
TOKEN_BY_HASH = "MATCH (t:Token {hash: $hash}) RETURN t"
TOKEN_BY_ID = "MATCH (t:Token {id: $id}) RETURN t"
TOKENS_OF_AGENCY = "MATCH (t:Token {agencyId: $agency_id}) RETURN t ORDER BY t.createdAt DESC, t.id"
ALL_TOKENS = "MATCH (t:Token) RETURN t ORDER BY t.createdAt DESC, t.id"
REVOKE_TOKEN = """
MATCH (t:Token {id: $id})
SET t.revokedAt = coalesce(t.revokedAt, $now)
RETURN t
"""


class Neo4jTokenRepository:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def create(self, token: TokenRecord, event: AuditEvent) -> None:
        async def work(tx: AsyncManagedTransaction) -> None:
            await (await tx.run(CREATE_TOKEN, _params(token))).consume()
            await append_audit(tx, event)

        async with self._driver.session(database=self._database) as session:
            await session.execute_write(work)

    async def by_hash(self, token_hash: str) -> TokenRecord | None:
        return await self._one(TOKEN_BY_HASH, hash=token_hash)

    async def by_id(self, token_id: str) -> TokenRecord | None:
        return await self._one(TOKEN_BY_ID, id=token_id)

    async def list(self, agency_id: str | None) -> list[TokenRecord]:
        query, params = (ALL_TOKENS, {}) if agency_id is None else (TOKENS_OF_AGENCY, {"agency_id": agency_id})
        records, _, _ = await self._driver.execute_query(
            query, params, database_=self._database, routing_=RoutingControl.READ
        )
        return [_token(record["t"]) for record in records]

    async def revoke(self, token_id: str, now: datetime, event: AuditEvent) -> TokenRecord | None:
        async def work(tx: AsyncManagedTransaction) -> TokenRecord | None:
            record = await (await tx.run(REVOKE_TOKEN, id=token_id, now=now)).single()
            if record is None:
                return None
            await append_audit(tx, event)
            return _token(record["t"])

        async with self._driver.session(database=self._database) as session:
            return await session.execute_write(work)

    async def _one(self, query: str, **params: Any) -> TokenRecord | None:
        records, _, _ = await self._driver.execute_query(
            query, params, database_=self._database, routing_=RoutingControl.READ
        )
        return _token(records[0]["t"]) if records else None


def _params(token: TokenRecord) -> dict[str, Any]:
    return {
        "id": token.id,
        "hash": token.hash,
        "display": token.display,
        "agency_id": token.agency_id,
        "subject": token.subject,
        "roles": sorted(token.roles),
        "scopes": sorted(token.scopes),
        "expires_at": token.expires_at,
        "created_at": token.created_at,
        "created_by": token.created_by,
        "description": token.description,
    }


def _token(node: Any) -> TokenRecord:
    return TokenRecord(
        id=node["id"],
        hash=node["hash"],
        display=node["display"],
        agency_id=node["agencyId"],
        subject=node["subject"],
        roles=frozenset(Role(r) for r in node["roles"]),
        scopes=frozenset(Scope(s) for s in node["scopes"]),
        expires_at=node["expiresAt"].to_native(),
        created_at=node["createdAt"].to_native(),
        created_by=node["createdBy"],
        description=node["description"],
        revoked_at=node["revokedAt"].to_native() if node.get("revokedAt") is not None else None,
    )
