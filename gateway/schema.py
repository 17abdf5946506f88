"""The GraphQL schema, assembled from the slices of each domain."""

from __future__ import annotations

from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types import ExecutionContext

from gateway.cases.mutations import CaseMutations
from gateway.cases.queries import CaseQueries
from gateway.directory.mutations import DirectoryMutations
from gateway.directory.queries import DirectoryQueries
from gateway.errors import SettErrors
from gateway.sharing.mutations import SharingMutations
from gateway.sharing.queries import SharingQueries
from gateway.system.queries import SystemQueries

SCHEMA_FILE = Path(__file__).parent / "schema.graphql"


@strawberry.type
class Query(SystemQueries, DirectoryQueries, CaseQueries, SharingQueries):
    pass


@strawberry.type
class Mutation(DirectoryMutations, CaseMutations, SharingMutations):
    pass


class SettSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Expected errors are answers, not incidents; SettErrors logs the unexpected ones."""


DOCUMENT_CACHE_SIZE = 512
"""Parsed and validated documents kept by their text; the few that clients send again and again stay."""

schema = SettSchema(
    query=Query,
    mutation=Mutation,
    extensions=[
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),  # the caches are shared across requests
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        SettErrors,
    ],
)


def schema_sdl() -> str:
    return schema.as_str() + "\n"
