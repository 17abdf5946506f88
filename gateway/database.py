"""Which Neo4j this process talks to: the one at `NEO4J_URI`, or the local one Sett runs itself."""

from __future__ import annotations

from gateway.settings import Settings
from graph.driver import Neo4jConnection
from graph.runtime import LocalNeo4j, LocalNeo4jConfig


def uses_local_neo4j(settings: Settings) -> bool:
    return settings.neo4j_uri is None


def local_neo4j(settings: Settings, owner_pid: int | None = None) -> LocalNeo4j:
    return LocalNeo4j(
        LocalNeo4jConfig(
            home=settings.local_neo4j_home,
            bolt_port=settings.neo4j_bolt_port,
            heap_mb=settings.neo4j_heap_mb,
            pagecache_mb=settings.neo4j_pagecache_mb,
            owner_pid=owner_pid,
        )
    )


def connection_for(settings: Settings) -> Neo4jConnection:
    if settings.neo4j_uri is None:
        runtime = local_neo4j(settings)
        return Neo4jConnection(
            runtime.uri,
            runtime.auth,
            settings.neo4j_database,
            settings.neo4j_timeout_seconds,
            settings.neo4j_retry_seconds,
        )
    password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
    auth = (settings.neo4j_username, password) if password is not None else None
    return Neo4jConnection(
        settings.neo4j_uri, auth, settings.neo4j_database, settings.neo4j_timeout_seconds, settings.neo4j_retry_seconds
    )
