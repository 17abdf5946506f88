from __future__ import annotations

from datetime import UTC, date, datetime

import strawberry
from strawberry import Info

from gateway.context import Context
from gateway.permissions import IsAuthenticated
from gateway.strategy.types import (
    COUNT_DEFINITIONS,
    ComputedIndicatorValue,
    StateSafeHarbor,
    Strategy,
    StrategySummary,
)
from strategy import service


@strawberry.type
class StrategyQueries:
    @strawberry.field(permission_classes=[IsAuthenticated], description="The National Strategies, by title.")
    async def strategies(self, info: Info[Context, None]) -> list[StrategySummary]:
        found = await service.list_strategies(
            principal=info.context.require_principal(), repository=info.context.repositories.strategy
        )
        return [StrategySummary.of(strategy) for strategy in found]

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="A strategy with its goals, objectives, indicators and progress as they stood on `asOf` "
        "(default today): measurements after it are ignored.",
    )
    async def strategy(self, info: Info[Context, None], id: strawberry.ID, as_of: date | None = None) -> Strategy:
        overview = await service.strategy_on(
            principal=info.context.require_principal(),
            strategy_id=str(id),
            as_of=as_of,
            repository=info.context.repositories.strategy,
            counts=info.context.repositories.strategy,
        )
        return Strategy.of(overview)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Every state and DC with its Safe Harbor law in force in `year` (the latest recorded year not "
        "after it), default this year; `law` is null where none is recorded.",
    )
    async def state_safe_harbor_laws(self, info: Info[Context, None], year: int | None = None) -> list[StateSafeHarbor]:
        rows = await service.state_laws_in(
            principal=info.context.require_principal(),
            year=year or datetime.now(UTC).year,
            repository=info.context.repositories.strategy,
        )
        return [StateSafeHarbor.of(row) for row in rows]

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The counts computed indicators follow, as of the start (00:00 UTC) of the day `asOf` falls "
        "on, never later than now (default now). Counts are given per whole day, not to the second; an `asOf` "
        "without an offset is read as UTC. " + COUNT_DEFINITIONS,
    )
    async def computed_indicators(
        self, info: Info[Context, None], as_of: datetime | None = None
    ) -> list[ComputedIndicatorValue]:
        found = await service.computed_values(
            principal=info.context.require_principal(), until=as_of, counts=info.context.repositories.strategy
        )
        return [ComputedIndicatorValue.of(value) for value in found]
