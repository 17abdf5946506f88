"""Use cases on the strategy's structure and measurements, and the picture of its progress on a day."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from agencies.audit import AuditEvent
from agencies.principals import Principal, Role, Scope
from agencies.validation import first_problem
from strategy.computed import ComputedValue, CountSource, computed_measurements, counted_as_of
from strategy.errors import InvalidStrategy, StrategyForbidden, StrategyNotFound
from strategy.models import DEFINITIONS, ComputedCount, Goal, Indicator, IndicatorKind, Measurement, Objective, Strategy
from strategy.plan import Picture, Plan, picture
from strategy.policy import require_record, require_structure
from strategy.ports import StrategyRepository
from strategy.resources import Resource, Totals, cents, totals
from strategy.state_laws import StateLaw, StateRow, in_force

Clock = Callable[[], datetime]
M = TypeVar("M", bound=BaseModel)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _new_id() -> str:
    return str(uuid.uuid4())


def _built(model: type[M], fields: dict[str, Any]) -> M:
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise InvalidStrategy(first_problem(error)) from None


def _event(kind: str, principal: Principal, **detail: Any) -> AuditEvent:
    return AuditEvent(kind, principal.subject, principal.agency_id, detail)


async def create_strategy(*, principal: Principal, fields: dict[str, Any], repository: StrategyRepository) -> Strategy:
    require_structure(principal)
    strategy = _built(Strategy, {**fields, "id": _new_id()})
    await repository.save_strategy(strategy, _event("strategy.create", principal, strategy=strategy.id))
    return strategy


async def create_goal(*, principal: Principal, fields: dict[str, Any], repository: StrategyRepository) -> Goal:
    require_structure(principal)
    goal = _built(Goal, {**fields, "id": _new_id()})
    await repository.save_goal(goal, _event("strategy.goal.create", principal, goal=goal.id))
    return goal


async def create_objective(
    *, principal: Principal, fields: dict[str, Any], repository: StrategyRepository
) -> Objective:
    require_structure(principal)
    objective = _built(Objective, {**fields, "id": _new_id()})
    await repository.save_objective(objective, _event("strategy.objective.create", principal, objective=objective.id))
    return objective


async def create_indicator(
    *, principal: Principal, fields: dict[str, Any], repository: StrategyRepository
) -> Indicator:
    require_structure(principal)
    indicator = _built(Indicator, {**fields, "id": _new_id()})
    await repository.save_indicator(indicator, _event("strategy.indicator.create", principal, indicator=indicator.id))
    return indicator


async def update_goal(
    *, principal: Principal, goal_id: str, changes: dict[str, Any], repository: StrategyRepository
) -> Goal:
    require_structure(principal)
    merge = _merger(Goal, changes, fixed={"id", "strategy_id"})
    event = _event("strategy.goal.update", principal, goal=goal_id, fields=sorted(changes))
    return await repository.update_goal(goal_id, merge, event)


async def update_objective(
    *, principal: Principal, objective_id: str, changes: dict[str, Any], repository: StrategyRepository
) -> Objective:
    require_structure(principal)
    merge = _merger(Objective, changes, fixed={"id", "goal_id"})
    event = _event("strategy.objective.update", principal, objective=objective_id, fields=sorted(changes))
    return await repository.update_objective(objective_id, merge, event)


async def update_indicator(
    *, principal: Principal, indicator_id: str, changes: dict[str, Any], repository: StrategyRepository
) -> Indicator:
    require_structure(principal)
    merge = _merger(Indicator, changes, fixed={"id", "objective_id", "kind", "computed"})
    event = _event("strategy.indicator.update", principal, indicator=indicator_id, fields=sorted(changes))
    return await repository.update_indicator(indicator_id, merge, event)


def _merger(model: type[M], changes: dict[str, Any], *, fixed: set[str]) -> Callable[[M], M]:
    """The change as a function of the node as last committed, which the repository applies under the node's
    write lock: two changes at once to different fields both survive, and the merged whole is validated (two
    changes each valid alone, such as a target and a baseline made equal, are not both taken)."""
    if not changes:
        raise InvalidStrategy("nothing to change")
    if fixed & set(changes):
        raise InvalidStrategy(f"these cannot be changed: {sorted(fixed & set(changes))}")
    return lambda found: _built(model, {**found.model_dump(), **changes})


async def record_measurement(
    *,
    principal: Principal,
    indicator_id: str,
    fields: dict[str, Any],
    repository: StrategyRepository,
    clock: Clock = utc_now,
) -> Measurement:
    """A COORDINATOR of an agency that leads or supports the objective (or a NATIONAL_COORDINATOR) records a
    value of a MANUAL indicator, as of a day not in the future, with its source. The reporting agency is the
    principal's."""
    indicator = await repository.indicator(indicator_id)
    if indicator is None:
        raise StrategyNotFound(f"no indicator {indicator_id!r}")
    objective = await repository.objective(indicator.objective_id)
    if objective is None:
        raise StrategyNotFound(f"no indicator {indicator_id!r}")
    require_record(principal, objective)
    if indicator.kind is IndicatorKind.COMPUTED:
        raise InvalidStrategy(f"indicator {indicator_id!r} is COMPUTED from the graph: it takes no measurements")
    now = clock()
    measurement = _built(
        Measurement,
        {
            **fields,
            "id": _new_id(),
            "indicator_id": indicator_id,
            "reporting_agency_id": principal.agency_id,
            "recorded_at": now,
            "recorded_by": principal.subject,
        },
    )
    if measurement.as_of > now.date():
        raise InvalidStrategy(f"asOf: {measurement.as_of.isoformat()} is in the future")
    event = _event("strategy.measurement.record", principal, indicator=indicator_id, measurement=measurement.id)
    national = principal.is_(Role.NATIONAL_COORDINATOR)
    await repository.record(measurement, event, any_objective=national)
    return measurement


@dataclass(frozen=True)
class Overview:
    """A strategy on a day: its structure, the measurements known then (computed ones included), the progress
    of every level, and its resources with their totals."""

    plan: Plan
    measurements: tuple[Measurement, ...]
    picture: Picture
    resources: tuple[Resource, ...]
    totals: Totals


async def strategy_on(
    *,
    principal: Principal,
    strategy_id: str,
    as_of: date | None,
    repository: StrategyRepository,
    counts: CountSource,
    clock: Clock = utc_now,
) -> Overview:
    """Any authenticated principal reads. Measurements after `as_of` (default today) are ignored; computed
    indicators are counted as of then (`strategy.computed`)."""
    now = clock()
    day = as_of or now.date()
    plan = await repository.plan(strategy_id)
    if plan is None:
        raise StrategyNotFound(f"no strategy {strategy_id!r}")
    known = [m for m in await repository.measurements(strategy_id) if m.as_of <= day]
    for indicator in plan.indicators:
        if indicator.kind is IndicatorKind.COMPUTED:
            known += await computed_measurements(indicator, day, now, counts)
    known.sort(key=lambda m: (m.as_of, m.recorded_at, m.id))
    resources = tuple(await repository.resources(strategy_id))
    return Overview(plan, tuple(known), picture(plan, known, day), resources, totals(plan, resources))


async def list_strategies(*, principal: Principal, repository: StrategyRepository) -> list[Strategy]:
    return await repository.strategies()


def _cents(field: str, dollars: Decimal) -> int:
    try:
        return cents(dollars)
    except ValueError as error:
        raise InvalidStrategy(f"{field}: {error}") from None


async def allocate_resource(
    *, principal: Principal, fields: dict[str, Any], repository: StrategyRepository
) -> Resource:
    """A NATIONAL_COORDINATOR allocates a grant, fund, task force or personnel to an objective and an agency.
    `fields` gives the money in dollars: `amount`, and `spent` to date (default none)."""
    require_structure(principal)
    given = dict(fields)
    if "amount" not in given:
        raise InvalidStrategy("amount: required")
    money = {"amount_cents": _cents("amount", given.pop("amount")), "spent_cents": 0}
    if "spent" in given:
        money["spent_cents"] = _cents("spent", given.pop("spent"))
    resource = _built(Resource, {**given, **money, "id": _new_id()})
    if await repository.objective(resource.objective_id) is None:
        raise StrategyNotFound(f"no objective {resource.objective_id!r}")
    await repository.save_resource(resource, _event("strategy.resource.allocate", principal, resource=resource.id))
    return resource


async def report_spending(
    *, principal: Principal, resource_id: str, spent: Decimal, repository: StrategyRepository
) -> Resource:
    """What was spent to date, in dollars: reported by a COORDINATOR of the agency the resource is allocated to,
    or a NATIONAL_COORDINATOR. The amount is read only once the principal may report it."""
    found = await repository.resource(resource_id)
    if found is None:
        raise StrategyNotFound(f"no resource {resource_id!r}")
    national = principal.is_(Role.NATIONAL_COORDINATOR)
    own = principal.is_(Role.COORDINATOR) and principal.agency_id == found.agency_id
    if not principal.has(Scope.STRATEGY_REPORT) or not (national or own):
        raise StrategyForbidden(
            f"only the agency the resource is allocated to ({found.agency_id}) reports its spending"
        )
    spent_cents = _cents("spent", spent)
    changed = _built(Resource, {**found.model_dump(), "spent_cents": spent_cents})
    event = _event("strategy.resource.spending", principal, resource=resource_id, spent_cents=spent_cents)
    await repository.save_resource(changed, event)
    return changed


async def set_state_law(*, principal: Principal, fields: dict[str, Any], repository: StrategyRepository) -> StateLaw:
    """A NATIONAL_COORDINATOR records a state's Safe Harbor law for a year (replacing that year's record)."""
    require_structure(principal)
    law = _built(StateLaw, fields)
    event = _event("strategy.state_law.set", principal, state=law.state, year=law.year)
    await repository.save_state_law(law, event)
    return law


async def state_laws_in(*, principal: Principal, year: int, repository: StrategyRepository) -> tuple[StateRow, ...]:
    """Every state and DC with the law in force in `year` (None where nothing is recorded)."""
    return in_force(await repository.state_laws(), year)


async def computed_values(
    *, principal: Principal, until: datetime | None, counts: CountSource, clock: Clock = utc_now
) -> list[ComputedValue]:
    """Every count, as of the start of the day (UTC) of `until`, or now (see `counted_as_of`)."""
    moment = counted_as_of(until, clock())
    return [ComputedValue(what, await counts.count(what, moment), moment, DEFINITIONS[what]) for what in ComputedCount]
