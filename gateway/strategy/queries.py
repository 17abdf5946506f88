from __future__ import annotations

from datetime import date

import strawberry
from strawberry import Info

from gateway.context import Context
from gateway.permissions import IsAuthenticated
from gateway.strategy.types import Strategy, StrategySummary
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
        )
        return Strategy.of(overview)
