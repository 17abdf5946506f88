"""The GraphQL schema, assembled from the slices of each domain."""

from __future__ import annotations

from pathlib import Path

import strawberry

from gateway.cases.mutations import CaseMutations
from gateway.cases.queries import CaseQueries
from gateway.cases.retention import RetentionMutations, RetentionQueries
from gateway.directory.mutations import DirectoryMutations
from gateway.directory.queries import DirectoryQueries
from gateway.sharing.mutations import SharingMutations
from gateway.sharing.queries import SharingQueries
from gateway.strategy.mutations import StrategyMutations
from gateway.strategy.queries import StrategyQueries
from gateway.system.queries import SystemQueries

SCHEMA_FILE = Path(__file__).parent / "schema.graphql"


@strawberry.type
class Query(SystemQueries, DirectoryQueries, CaseQueries, RetentionQueries, SharingQueries, StrategyQueries):
    pass


@strawberry.type
class Mutation(DirectoryMutations, CaseMutations, RetentionMutations, SharingMutations, StrategyMutations):
    pass


schema = strawberry.Schema(query=Query, mutation=Mutation)
"""Built by strawberry, executed by `gateway.graphql_http` (which codes and masks the errors)."""


def schema_sdl() -> str:
    return schema.as_str() + "\n"
