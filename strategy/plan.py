"""A strategy's whole structure, and its progress at every level on one day (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from strategy.models import Goal, Indicator, Measurement, Objective, Pillar, Strategy
from strategy.progress import Progress, indicator_progress, rolled_up


@dataclass(frozen=True)
class Plan:
    strategy: Strategy
    goals: tuple[Goal, ...] = ()
    objectives: tuple[Objective, ...] = ()
    indicators: tuple[Indicator, ...] = ()

    def objectives_of(self, goal_id: str) -> tuple[Objective, ...]:
        return tuple(o for o in self.objectives if o.goal_id == goal_id)

    def indicators_of(self, objective_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.objective_id == objective_id)


@dataclass(frozen=True)
class Picture:
    """Progress of every node of a plan on `as_of`, by id; pillars by name."""

    as_of: date
    strategy: Progress
    pillars: Mapping[Pillar, Progress] = field(default_factory=dict)
    goals: Mapping[str, Progress] = field(default_factory=dict)
    objectives: Mapping[str, Progress] = field(default_factory=dict)
    indicators: Mapping[str, Progress] = field(default_factory=dict)


def picture(plan: Plan, measurements: Iterable[Measurement], as_of: date) -> Picture:
    """Indicators from their measurements up to `as_of`, then objectives, goals, pillars and the strategy as
    weighted means. A pillar weighs its goals by their own weights; the strategy weighs its goals likewise."""
    by_indicator: dict[str, list[Measurement]] = {}
    for measurement in measurements:
        by_indicator.setdefault(measurement.indicator_id, []).append(measurement)
    indicators = {i.id: indicator_progress(i, by_indicator.get(i.id, ()), as_of) for i in plan.indicators}
    objectives = {
        o.id: rolled_up(o.id, o.title, as_of, [(i.weight, indicators[i.id]) for i in plan.indicators_of(o.id)])
        for o in plan.objectives
    }
    goals = {
        g.id: rolled_up(g.id, g.title, as_of, [(o.weight, objectives[o.id]) for o in plan.objectives_of(g.id)])
        for g in plan.goals
    }
    pillars = {
        pillar: rolled_up(
            pillar.value,
            pillar.value.title(),
            as_of,
            [(g.weight, goals[g.id]) for g in plan.goals if g.pillar is pillar],
        )
        for pillar in Pillar
    }
    whole = rolled_up(plan.strategy.id, plan.strategy.title, as_of, [(g.weight, goals[g.id]) for g in plan.goals])
    return Picture(as_of, whole, pillars, goals, objectives, indicators)


def weight_share(weight: Decimal, weights: Iterable[Decimal]) -> Decimal:
    """A child's normalised weight among its siblings', for display."""
    total = sum(weights, Decimal(0))
    return weight / total if total else Decimal(0)
