"""At most a few root fields of one request at work at once: a bound on the database work a request holds.

Each root field is one Cypher query (nested fields are batched by DataLoaders, a query per kind of field),
so a request of twenty aliased root fields would otherwise take twenty pooled connections at once and make
every other request wait for one. Here they queue behind a per-request semaphore instead; mutations run one
after another anyway.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from graphql import GraphQLObjectType
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

PARALLEL_ROOT_FIELDS = 4


def bounded_execution(parallel: int = PARALLEL_ROOT_FIELDS) -> type[StrawberryGraphQLCoreExecutionContext]:
    """The execution context class to give graphql-core's `execute`, with at most `parallel` root fields at work."""

    class BoundedExecution(StrawberryGraphQLCoreExecutionContext):
        _bound: asyncio.Semaphore | None = None

        def execute_field(
            self,
            parent_type: GraphQLObjectType,
            source: Any,
            field_details_list: Any,
            path: Path,
            position_context: Any,
        ) -> Any:
            result = super().execute_field(parent_type, source, field_details_list, path, position_context)
            if path.prev is None and self.is_awaitable(result):
                return self._in_turn(result)
            return result

        async def _in_turn(self, work: Awaitable[Any]) -> Any:
            if self._bound is None:  # one per request: each request has its own execution context
                self._bound = asyncio.Semaphore(parallel)
            async with self._bound:
                return await work

    return BoundedExecution
