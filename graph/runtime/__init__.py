"""A local Neo4j Community server for development and tests, started from Maven Central jars."""

from graph.runtime.local import LocalNeo4j, LocalNeo4jConfig, RuntimeStatus
from graph.runtime.processes import LocalNeo4jError

__all__ = ["LocalNeo4j", "LocalNeo4jConfig", "LocalNeo4jError", "RuntimeStatus"]
