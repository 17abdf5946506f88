"""Root fields of one request run a few at a time; nested fields and other requests are not held back."""

from __future__ import annotations

import asyncio
from inspect import isawaitable
from typing import Any

import pytest
import strawberry
from graphql import execute, parse

from gateway.bounded_execution import bounded_execution


class Meter:
    def __init__(self) -> None:
        self.now = 0
        self.most = 0

    async def busy(self) -> None:
        self.now += 1
        self.most = max(self.most, self.now)
        for _ in range(3):
            await asyncio.sleep(0)
        self.now -= 1


meter = Meter()


@strawberry.type
class Item:
    name: str

    @strawberry.field
    async def detail(self) -> str:
        return self.name.upper()


@strawberry.type
class Query:
    @strawberry.field
    async def item(self, name: str) -> Item:
        await meter.busy()
        return Item(name=name)


schema = strawberry.Schema(query=Query)


async def run(document: str, parallel: int) -> dict[str, Any]:
    result = execute(schema._schema, parse(document), executor_class=bounded_execution(parallel))
    if isawaitable(result):
        result = await result
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


@pytest.mark.parametrize("parallel", [1, 2, 4])
async def test_at_most_the_bound_of_root_fields_work_at_once(parallel: int) -> None:
    meter.most = 0
    aliases = " ".join(f'a{n}: item(name: "n{n}") {{ name detail }}' for n in range(12))
    data = await run(f"{{ {aliases} }}", parallel)
    assert data == {f"a{n}": {"name": f"n{n}", "detail": f"N{n}"} for n in range(12)}
    assert meter.most == parallel


async def test_two_requests_each_have_their_own_bound() -> None:
    meter.most = 0
    aliases = " ".join(f'a{n}: item(name: "n{n}") {{ name }}' for n in range(4))
    await asyncio.gather(run(f"{{ {aliases} }}", 1), run(f"{{ {aliases} }}", 1))
    assert meter.most == 2
