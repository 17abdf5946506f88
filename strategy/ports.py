"""What the strategy rules need from storage; `graph/strategy.py` implements it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from agencies.audit import AuditEvent
from strategy.models import Goal, Indicator, Measurement, Objective, Strategy
from strategy.plan import Plan
from strategy.resources import Resource
from strategy.state_laws import StateLaw


class StrategyRepository(Protocol):
    async def strategies(self) -> list[Strategy]: ...

    async def plan(self, strategy_id: str) -> Plan | None:
        """The strategy with every goal, objective and indicator, or None when there is none by that id."""
        ...

    async def measurements(self, strategy_id: str) -> list[Measurement]:
        """Every measurement of the strategy's indicators."""
        ...

    async def objective(self, objective_id: str) -> Objective | None: ...

    async def indicator(self, indicator_id: str) -> Indicator | None: ...

    async def goal(self, goal_id: str) -> Goal | None: ...

    async def save_strategy(self, strategy: Strategy, event: AuditEvent) -> None: ...

    async def save_goal(self, goal: Goal, event: AuditEvent) -> None:
        """Creates or replaces the goal; StrategyNotFound when its strategy is gone."""
        ...

    async def save_objective(self, objective: Objective, event: AuditEvent) -> None:
        """Creates or replaces the objective; StrategyNotFound when its goal is gone, InvalidStrategy when an
        agency it names is not in the directory."""
        ...

    async def save_indicator(self, indicator: Indicator, event: AuditEvent) -> None:
        """Creates or replaces the indicator; StrategyNotFound when its objective is gone."""
        ...

    async def update_goal(self, goal_id: str, change: Callable[[Goal], Goal], event: AuditEvent) -> Goal:
        """Changes the goal under its write lock: `change` is given the goal as last committed and returns it
        changed (or raises, and nothing is written); only the properties that differ are written. Returns the
        goal changed; StrategyNotFound when there is none. `change` may be called again if the transaction is
        retried."""
        ...

    async def update_objective(
        self, objective_id: str, change: Callable[[Objective], Objective], event: AuditEvent
    ) -> Objective:
        """As `update_goal`, and the agencies' LEADS and SUPPORTS follow the change; InvalidStrategy when an agency
        it names is not in the directory."""
        ...

    async def update_indicator(
        self, indicator_id: str, change: Callable[[Indicator], Indicator], event: AuditEvent
    ) -> Indicator:
        """As `update_goal`."""
        ...

    async def record(self, measurement: Measurement, event: AuditEvent, *, any_objective: bool) -> None:
        """Adds the measurement. Unless `any_objective`, the reporting agency must still lead or support the
        indicator's objective when it is written (StrategyForbidden otherwise)."""
        ...

    async def resources(self, strategy_id: str) -> list[Resource]: ...

    async def resource(self, resource_id: str) -> Resource | None: ...

    async def save_resource(self, resource: Resource, event: AuditEvent) -> None:
        """Creates or replaces the resource; StrategyNotFound when its objective is gone, InvalidStrategy when its
        agency is not in the directory."""
        ...

    async def state_laws(self) -> list[StateLaw]: ...

    async def save_state_law(self, law: StateLaw, event: AuditEvent) -> None:
        """Creates or replaces the law of its state and year."""
        ...
