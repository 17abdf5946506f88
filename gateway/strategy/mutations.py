from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import Info

from agencies.principals import Scope
from gateway.context import Context
from gateway.permissions import scope_permission
from gateway.strategy.types import (
    Goal,
    Indicator,
    Measurement,
    Objective,
    Resource,
    StateLaw,
    Strategy,
    indicator_of,
)
from strategy import models, resources, service, state_laws
from strategy.errors import StrategyNotFound

REPORT = scope_permission(Scope.STRATEGY_REPORT)


def _given(value: object) -> dict[str, Any]:
    """The fields of an input that were given, by their domain names."""
    return {name: field for name, field in vars(value).items() if field is not None}


@strawberry.input
class CreateStrategyInput:
    title: str
    description: str = ""
    demo: bool = False


@strawberry.input
class CreateGoalInput:
    strategy_id: strawberry.ID
    title: str
    pillar: models.Pillar
    weight: Decimal = Decimal(1)


@strawberry.input
class UpdateGoalInput:
    title: str | None = None
    pillar: models.Pillar | None = None
    weight: Decimal | None = None


@strawberry.input
class CreateObjectiveInput:
    goal_id: strawberry.ID
    title: str
    lead_agency_id: str
    supporting_agency_ids: list[str] = strawberry.field(default_factory=list)
    weight: Decimal = Decimal(1)


@strawberry.input
class UpdateObjectiveInput:
    title: str | None = None
    lead_agency_id: str | None = None
    supporting_agency_ids: list[str] | None = None
    weight: Decimal | None = None


@strawberry.input
class CreateIndicatorInput:
    objective_id: strawberry.ID
    title: str
    unit: str
    baseline: Decimal
    target: Decimal
    start_date: date
    target_date: date
    weight: Decimal = Decimal(1)
    kind: models.IndicatorKind = models.IndicatorKind.MANUAL
    computed: str | None = strawberry.field(default=None, description="For COMPUTED: the name of its count.")


@strawberry.input
class UpdateIndicatorInput:
    title: str | None = None
    unit: str | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    start_date: date | None = None
    target_date: date | None = None
    weight: Decimal | None = None


@strawberry.input
class MeasurementInput:
    indicator_id: strawberry.ID
    value: Decimal
    as_of: date
    source: str = strawberry.field(description="Where the number comes from: a report, a system, a document.")
    note: str = ""


async def _overview(info: Info[Context, None], strategy_id: str) -> service.Overview:
    return await service.strategy_on(
        principal=info.context.require_principal(),
        strategy_id=strategy_id,
        as_of=None,
        repository=info.context.repositories.strategy,
        counts=info.context.repositories.strategy,
    )


async def _strategy_of_goal(info: Info[Context, None], goal_id: str) -> str:
    goal = await info.context.repositories.strategy.goal(goal_id)
    if goal is None:
        raise StrategyNotFound(f"no goal {goal_id!r}")
    return goal.strategy_id


async def _goal_back(info: Info[Context, None], goal: models.Goal) -> Goal:
    found = Strategy.of(await _overview(info, goal.strategy_id))
    return next(g for g in found.goals if g.id == goal.id)


async def _objective_back(info: Info[Context, None], objective: models.Objective) -> Objective:
    found = Strategy.of(await _overview(info, await _strategy_of_goal(info, objective.goal_id)))
    return next(o for g in found.goals for o in g.objectives if o.id == objective.id)


async def _indicator_back(info: Info[Context, None], indicator: models.Indicator) -> Indicator:
    objective = await info.context.repositories.strategy.objective(indicator.objective_id)
    if objective is None:
        raise StrategyNotFound(f"no objective {indicator.objective_id!r}")
    overview = await _overview(info, await _strategy_of_goal(info, objective.goal_id))
    return indicator_of(overview, indicator)


@strawberry.input
class ResourceInput:
    objective_id: strawberry.ID
    agency_id: str
    kind: resources.ResourceKind
    title: str
    stream: str
    fiscal_year: int
    amount: Decimal = strawberry.field(description="US dollars, at most two decimal places.")
    spent: Decimal = strawberry.field(default=Decimal(0), description="Spent to date, US dollars.")
    personnel: int | None = None


@strawberry.input
class StateLawInput:
    state: str = strawberry.field(description="Postal code of one of the 50 states or DC, such as MN.")
    year: int
    non_criminalisation: state_laws.NonCriminalisation
    source: str
    services_for_all_children: bool | None = None
    grade: str | None = None
    score: int | None = None
    note: str = ""


@strawberry.type
class StrategyMutations:
    @strawberry.mutation(permission_classes=REPORT, description="A NATIONAL_COORDINATOR creates a strategy.")
    async def create_strategy(self, info: Info[Context, None], strategy: CreateStrategyInput) -> Strategy:
        created = await service.create_strategy(
            principal=info.context.require_principal(),
            fields=_given(strategy),
            repository=info.context.repositories.strategy,
        )
        return Strategy.of(await _overview(info, created.id))

    @strawberry.mutation(permission_classes=REPORT, description="A NATIONAL_COORDINATOR adds a goal.")
    async def create_goal(self, info: Info[Context, None], goal: CreateGoalInput) -> Goal:
        created = await service.create_goal(
            principal=info.context.require_principal(),
            fields=_given(goal),
            repository=info.context.repositories.strategy,
        )
        return await _goal_back(info, created)

    @strawberry.mutation(permission_classes=REPORT, description="A NATIONAL_COORDINATOR changes a goal.")
    async def update_goal(self, info: Info[Context, None], id: strawberry.ID, changes: UpdateGoalInput) -> Goal:
        changed = await service.update_goal(
            principal=info.context.require_principal(),
            goal_id=str(id),
            changes=_given(changes),
            repository=info.context.repositories.strategy,
        )
        return await _goal_back(info, changed)

    @strawberry.mutation(
        permission_classes=REPORT,
        description="A NATIONAL_COORDINATOR adds an objective: a lead and supporting agencies.",
    )
    async def create_objective(self, info: Info[Context, None], objective: CreateObjectiveInput) -> Objective:
        fields = _given(objective)
        fields["supporting_agency_ids"] = frozenset(objective.supporting_agency_ids)
        created = await service.create_objective(
            principal=info.context.require_principal(), fields=fields, repository=info.context.repositories.strategy
        )
        return await _objective_back(info, created)

    @strawberry.mutation(permission_classes=REPORT, description="A NATIONAL_COORDINATOR changes an objective.")
    async def update_objective(
        self, info: Info[Context, None], id: strawberry.ID, changes: UpdateObjectiveInput
    ) -> Objective:
        fields = _given(changes)
        if changes.supporting_agency_ids is not None:
            fields["supporting_agency_ids"] = frozenset(changes.supporting_agency_ids)
        changed = await service.update_objective(
            principal=info.context.require_principal(),
            objective_id=str(id),
            changes=fields,
            repository=info.context.repositories.strategy,
        )
        return await _objective_back(info, changed)

    @strawberry.mutation(permission_classes=REPORT, description="A NATIONAL_COORDINATOR adds an indicator.")
    async def create_indicator(self, info: Info[Context, None], indicator: CreateIndicatorInput) -> Indicator:
        created = await service.create_indicator(
            principal=info.context.require_principal(),
            fields=_given(indicator),
            repository=info.context.repositories.strategy,
        )
        return await _indicator_back(info, created)

    @strawberry.mutation(permission_classes=REPORT, description="A NATIONAL_COORDINATOR changes an indicator.")
    async def update_indicator(
        self, info: Info[Context, None], id: strawberry.ID, changes: UpdateIndicatorInput
    ) -> Indicator:
        changed = await service.update_indicator(
            principal=info.context.require_principal(),
            indicator_id=str(id),
            changes=_given(changes),
            repository=info.context.repositories.strategy,
        )
        return await _indicator_back(info, changed)

    @strawberry.mutation(
        permission_classes=REPORT,
        description="Record a value of a MANUAL indicator, with its source: a COORDINATOR of an agency that leads or "
        "supports the objective, or a NATIONAL_COORDINATOR. Your agency is the reporting agency.",
    )
    async def record_measurement(self, info: Info[Context, None], measurement: MeasurementInput) -> Measurement:
        fields = _given(measurement)
        indicator_id = str(fields.pop("indicator_id"))
        recorded = await service.record_measurement(
            principal=info.context.require_principal(),
            indicator_id=indicator_id,
            fields=fields,
            repository=info.context.repositories.strategy,
        )
        return Measurement.of(recorded)

    @strawberry.mutation(
        permission_classes=REPORT,
        description="A NATIONAL_COORDINATOR allocates a grant, fund, task force or personnel to an objective and "
        "an agency, from a named funding stream.",
    )
    async def allocate_resource(self, info: Info[Context, None], resource: ResourceInput) -> Resource:
        fields = {**_given(resource), "objective_id": str(resource.objective_id)}
        created = await service.allocate_resource(
            principal=info.context.require_principal(), fields=fields, repository=info.context.repositories.strategy
        )
        return Resource.of(created)

    @strawberry.mutation(
        permission_classes=REPORT,
        description="What was spent of a resource to date: a COORDINATOR of the agency it is allocated to, or a "
        "NATIONAL_COORDINATOR.",
    )
    async def report_spending(self, info: Info[Context, None], id: strawberry.ID, spent: Decimal) -> Resource:
        changed = await service.report_spending(
            principal=info.context.require_principal(),
            resource_id=str(id),
            spent=spent,
            repository=info.context.repositories.strategy,
        )
        return Resource.of(changed)

    @strawberry.mutation(
        permission_classes=REPORT, description="A NATIONAL_COORDINATOR records a state's Safe Harbor law for a year."
    )
    async def set_state_law(self, info: Info[Context, None], law: StateLawInput) -> StateLaw:
        recorded = await service.set_state_law(
            principal=info.context.require_principal(),
            fields=_given(law),
            repository=info.context.repositories.strategy,
        )
        return StateLaw.of(recorded)
