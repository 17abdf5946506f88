"""The GraphQL schema, assembled from the slices of each domain."""

from __future__ import annotations

from pathlib import Path

import strawberry

from gateway.system.queries import SystemQueries

SCHEMA_FILE = Path(__file__).parent / "schema.graphql"


@strawberry.type
class Query(SystemQueries):
    pass


schema = strawberry.Schema(query=Query)


def schema_sdl() -> str:
    return schema.as_str() + "\n"
