from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import strawberry

from strategy import models, progress, resources, state_laws
from strategy.computed import ComputedValue
from strategy.plan import Picture
from strategy.service import Overview

strawberry.enum(models.Pillar, description="The four pillars of the National Strategy.")
strawberry.enum(models.IndicatorKind, description="Whether an indicator is measured by hand or counted by Sett.")
COUNT_DEFINITIONS = " ".join(f"{count.value}: {text}" for count, text in models.DEFINITIONS.items())
strawberry.enum(
    models.ComputedCount,
    description="What a COMPUTED indicator counts in the operational graph, as counts only, never identities. "
    + COUNT_DEFINITIONS,
)
strawberry.enum(resources.ResourceKind)
strawberry.enum(
    state_laws.NonCriminalisation,
    description="FULL: no minor is charged with prostitution; PARTIAL: some still are, or are diverted through "
    "juvenile justice; AFFIRMATIVE_DEFENSE: a minor may be charged but may plead being trafficked; NONE.",
)
strawberry.enum(
    models.Status,
    description="MET if p >= 1; ON_TRACK if p >= e - 0.10; AT_RISK if p >= e - 0.25; else OFF_TRACK; "
    "NOT_STARTED without measurements (p: progress, e: expected progress; see Progress).",
)


def ratio(value: Fraction | None) -> float | None:
    """A progress ratio for display, to four places (the status is decided on the exact value)."""
    return None if value is None else round(float(value), 4)


@strawberry.type(description="A child that holds its parent back: AT_RISK, OFF_TRACK or NOT_STARTED.")
class HeldBack:
    id: strawberry.ID
    title: str
    status: models.Status

    @classmethod
    def of(cls, held: progress.Held) -> HeldBack:
        return cls(id=strawberry.ID(held.id), title=held.title, status=held.status)


@strawberry.type(
    description="Progress on `asOf`. Indicator: achieved p = clamp((latest - baseline) / (target - baseline), 0, 1), "
    "expected e = clamp(elapsed / planned duration, 0, 1). Objectives, goals, pillars and the strategy: the "
    "weighted means of their children (weights normalised; a child not started counts as p = 0)."
)
class Progress:
    as_of: date
    achieved: float | None = strawberry.field(description="p, 0 to 1; null when nothing was measured by asOf.")
    expected: float = strawberry.field(description="e, 0 to 1: the share of the planned time elapsed.")
    status: models.Status
    held_back_by: list[HeldBack] = strawberry.field(description="The children that hold this back.")
    indicators_holding_back: list[HeldBack] = strawberry.field(
        description="The indicators underneath, at any depth, that hold this back."
    )

    @classmethod
    def of(cls, found: progress.Progress) -> Progress:
        return cls(
            as_of=found.as_of,
            achieved=ratio(found.achieved),
            expected=float(round(float(found.expected), 4)),
            status=found.status,
            held_back_by=[HeldBack.of(held) for held in found.held_back_by],
            indicators_holding_back=[HeldBack.of(held) for held in found.indicators_holding_back],
        )


@strawberry.type(description="A value of an indicator as of a day, with who reported it and its source.")
class Measurement:
    id: strawberry.ID
    value: Decimal
    as_of: date
    reporting_agency_id: str
    source: str
    note: str
    recorded_at: datetime
    recorded_by: str

    @classmethod
    def of(cls, m: models.Measurement) -> Measurement:
        return cls(
            id=strawberry.ID(m.id),
            value=m.value,
            as_of=m.as_of,
            reporting_agency_id=m.reporting_agency_id,
            source=m.source,
            note=m.note,
            recorded_at=m.recorded_at,
            recorded_by=m.recorded_by,
        )


@strawberry.type(description="What is measured, from a baseline towards a target by a target date.")
class Indicator:
    id: strawberry.ID
    objective_id: strawberry.ID
    title: str
    unit: str
    baseline: Decimal
    target: Decimal
    start_date: date
    target_date: date
    weight: Decimal
    kind: models.IndicatorKind
    computed: models.ComputedCount | None = strawberry.field(
        description="For a COMPUTED indicator, the count it follows."
    )
    progress: Progress
    latest: Measurement | None = strawberry.field(description="The measurement in force on asOf.")
    measurements: list[Measurement] = strawberry.field(description="Every measurement up to asOf, oldest first.")


@strawberry.type(description="An objective: a lead agency, supporting agencies, and indicators.")
class Objective:
    id: strawberry.ID
    goal_id: strawberry.ID
    title: str
    lead_agency_id: str
    supporting_agency_ids: list[str]
    weight: Decimal
    progress: Progress
    indicators: list[Indicator]
    resources: list[Resource] = strawberry.field(
        description="As they stand now, whatever `asOf`: resources and their spending are not kept by day."
    )


@strawberry.type(description="A goal of the strategy, under one pillar.")
class Goal:
    id: strawberry.ID
    strategy_id: strawberry.ID
    title: str
    pillar: models.Pillar
    weight: Decimal
    progress: Progress
    objectives: list[Objective]


@strawberry.type(description="A pillar's progress: the weighted mean of its goals.")
class PillarProgress:
    pillar: models.Pillar
    progress: Progress


@strawberry.type(description="A National Strategy with its goals, as it stood on `asOf`.")
class Strategy:
    id: strawberry.ID
    title: str
    description: str
    demo: bool = strawberry.field(description="Demo data, loaded by `make run`: never a real plan.")
    as_of: date
    progress: Progress
    pillars: list[PillarProgress]
    goals: list[Goal]
    resource_totals: ResourceTotals = strawberry.field(
        description="As they stand now, whatever `asOf`: resources and their spending are not kept by day."
    )

    @classmethod
    def of(cls, overview: Overview) -> Strategy:
        plan, seen = overview.plan, overview.picture
        return cls(
            id=strawberry.ID(plan.strategy.id),
            title=plan.strategy.title,
            description=plan.strategy.description,
            demo=plan.strategy.demo,
            as_of=seen.as_of,
            progress=Progress.of(seen.strategy),
            pillars=[PillarProgress(pillar=p, progress=Progress.of(seen.pillars[p])) for p in models.Pillar],
            goals=[_goal(overview, goal, seen) for goal in plan.goals],
            resource_totals=ResourceTotals.of(overview.totals),
        )


def _goal(overview: Overview, goal: models.Goal, seen: Picture) -> Goal:
    return Goal(
        id=strawberry.ID(goal.id),
        strategy_id=strawberry.ID(goal.strategy_id),
        title=goal.title,
        pillar=goal.pillar,
        weight=goal.weight,
        progress=Progress.of(seen.goals[goal.id]),
        objectives=[_objective(overview, o, seen) for o in overview.plan.objectives_of(goal.id)],
    )


def _objective(overview: Overview, objective: models.Objective, seen: Picture) -> Objective:
    return Objective(
        id=strawberry.ID(objective.id),
        goal_id=strawberry.ID(objective.goal_id),
        title=objective.title,
        lead_agency_id=objective.lead_agency_id,
        supporting_agency_ids=sorted(objective.supporting_agency_ids),
        weight=objective.weight,
        progress=Progress.of(seen.objectives[objective.id]),
        indicators=[indicator_of(overview, i) for i in overview.plan.indicators_of(objective.id)],
        resources=[Resource.of(r) for r in overview.resources if r.objective_id == objective.id],
    )


def indicator_of(overview: Overview, indicator: models.Indicator) -> Indicator:
    found = overview.picture.indicators[indicator.id]
    return Indicator(
        id=strawberry.ID(indicator.id),
        objective_id=strawberry.ID(indicator.objective_id),
        title=indicator.title,
        unit=indicator.unit,
        baseline=indicator.baseline,
        target=indicator.target,
        start_date=indicator.start_date,
        target_date=indicator.target_date,
        weight=indicator.weight,
        kind=indicator.kind,
        computed=indicator.computed,
        progress=Progress.of(found),
        latest=Measurement.of(found.latest) if found.latest else None,
        measurements=[Measurement.of(m) for m in overview.measurements if m.indicator_id == indicator.id],
    )


@strawberry.type(description="A strategy, without its goals: for lists.")
class StrategySummary:
    id: strawberry.ID
    title: str
    description: str
    demo: bool

    @classmethod
    def of(cls, strategy: models.Strategy) -> StrategySummary:
        return cls(
            id=strawberry.ID(strategy.id), title=strategy.title, description=strategy.description, demo=strategy.demo
        )


@strawberry.type(description="A grant, fund, task force or personnel allocated to an objective and an agency.")
class Resource:
    id: strawberry.ID
    objective_id: strawberry.ID
    agency_id: str
    kind: resources.ResourceKind
    title: str
    stream: str = strawberry.field(description="The funding stream, e.g. the JVTA fund's fines stream.")
    fiscal_year: int
    amount: Decimal = strawberry.field(description="US dollars, exact to the cent.")
    spent: Decimal = strawberry.field(description="Spent to date, US dollars, exact to the cent.")
    personnel: int | None = strawberry.field(description="Staff (full-time equivalents), where it has any.")

    @classmethod
    def of(cls, r: resources.Resource) -> Resource:
        return cls(
            id=strawberry.ID(r.id),
            objective_id=strawberry.ID(r.objective_id),
            agency_id=r.agency_id,
            kind=r.kind,
            title=r.title,
            stream=r.stream,
            fiscal_year=r.fiscal_year,
            amount=resources.dollars(r.amount_cents),
            spent=resources.dollars(r.spent_cents),
            personnel=r.personnel,
        )


@strawberry.type(description="Resources summed for one goal, pillar, agency or stream (US dollars, exact).")
class ResourceTotal:
    key: str
    title: str
    allocated: Decimal
    spent: Decimal
    count: int

    @classmethod
    def of(cls, total: resources.Total) -> ResourceTotal:
        return cls(
            key=total.key,
            title=total.title,
            allocated=resources.dollars(total.allocated_cents),
            spent=resources.dollars(total.spent_cents),
            count=total.count,
        )


@strawberry.type(description="The strategy's resources summed per goal, pillar, agency and funding stream.")
class ResourceTotals:
    allocated: Decimal
    spent: Decimal
    by_goal: list[ResourceTotal]
    by_pillar: list[ResourceTotal]
    by_agency: list[ResourceTotal]
    by_stream: list[ResourceTotal]

    @classmethod
    def of(cls, found: resources.Totals) -> ResourceTotals:
        return cls(
            allocated=resources.dollars(found.allocated_cents),
            spent=resources.dollars(found.spent_cents),
            by_goal=[ResourceTotal.of(t) for t in found.by_goal],
            by_pillar=[ResourceTotal.of(t) for t in found.by_pillar],
            by_agency=[ResourceTotal.of(t) for t in found.by_agency],
            by_stream=[ResourceTotal.of(t) for t in found.by_stream],
        )


@strawberry.type(description="A state's Safe Harbor law for minors as recorded for a year.")
class StateLaw:
    state: str
    year: int
    non_criminalisation: state_laws.NonCriminalisation
    services_for_all_children: bool | None = strawberry.field(
        description="Specialised services reach every child victim, not only those in the justice system; null "
        "when the source does not say."
    )
    grade: str | None
    score: int | None
    source: str
    note: str

    @classmethod
    def of(cls, law: state_laws.StateLaw) -> StateLaw:
        return cls(
            state=law.state,
            year=law.year,
            non_criminalisation=law.non_criminalisation,
            services_for_all_children=law.services_for_all_children,
            grade=law.grade,
            score=law.score,
            source=law.source,
            note=law.note,
        )


@strawberry.type(description="One of the 50 states or DC, with the law in force in the year asked (null if none).")
class StateSafeHarbor:
    state: str
    name: str
    law: StateLaw | None

    @classmethod
    def of(cls, row: state_laws.StateRow) -> StateSafeHarbor:
        return cls(state=row.state, name=row.name, law=StateLaw.of(row.law) if row.law else None)


@strawberry.type(description="A count from the operational graph, as of a time, with its definition.")
class ComputedIndicatorValue:
    count: models.ComputedCount
    value: int
    as_of: datetime
    definition: str

    @classmethod
    def of(cls, found: ComputedValue) -> ComputedIndicatorValue:
        return cls(count=found.count, value=found.value, as_of=found.as_of, definition=found.definition)
